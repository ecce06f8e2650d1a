"""A real browser: Debian's chromium driven through its chromedriver (scripts/system-packages.sh installs both)."""

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from articles.models import Article
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, CancerTypeFactory, StaffFactory

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Quiet, offline and safe to run as root in a container: nothing phones home, nothing is cached between runs.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
]


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).exists():
            pytest.fail(f"{program} is missing: `make test` installs it (scripts/system-packages.sh test).")
    profile = tempfile.mkdtemp(prefix="navis-chromium-")
    options = webdriver.ChromeOptions()
    # Both paths given: Selenium Manager has nothing to look up or download.
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def stomach_article(db) -> Article:
    """A published answer on stomach cancer, as long as a real one, with more questions than any demo article."""
    stomach = CancerTypeFactory(
        name="Stomach cancer",
        slug="stomach-cancer",
        overview="Most stomach cancers begin in the lining of the stomach. It is also called gastric cancer.",
    )
    editor = StaffFactory(email="editor@example.com", groups=["Editor"])
    reviewer = StaffFactory(email="reviewer@example.com", groups=["Medical reviewer"])
    article = ArticleFactory(
        created_by=editor,
        cancer_type=stomach,
        title="What does HER2-positive mean for stomach cancer?",
        body="The short answer first.\n\n" + "A paragraph of the answer. " * 40,
        questions=0,
    )
    for order in range(8):  # more than any demo article asks, each as long as the longest
        article.questions.create(
            text=f"Question {order + 1}: has my cancer been tested for this, and what would the result change "
            "about the treatment you suggest?",
            order=order,
        )
    return publish(article, editor, reviewer)

"""axe over the public and patient pages, at 1280 px and 390 px: nothing critical or serious."""

import pytest

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = (1280, 800)
PHONE = (390, 844)


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_home_page_passes_axe(browser, live_server, size):
    browser.set_window_size(*size)
    browser.get(f"{live_server.url}/")
    assert_accessible(browser)

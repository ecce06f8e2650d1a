"""axe-core (from npm: package.json, installed by `make test`) run in the page the browser has open.

`violations(browser)` injects node_modules/axe-core/axe.min.js and returns what axe.run finds;
`assert_accessible(browser)` fails with a readable list when any of it is critical or serious.
The script goes in through the driver (DevTools evaluates it), so the site's Content-Security-Policy
stays as it is served: nothing is loosened for the tests.
"""

from functools import cache
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
# WCAG 2.2 A and AA, and axe's best practices (landmarks, one main, headings...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """
const [tags, done] = arguments;
axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(results => done({violations: results.violations}))
  .catch(error => done({error: String(error)}));
"""


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make test` installs it (npm ci, from package-lock.json).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def violations(browser) -> list[dict]:
    """axe's violations on the page the browser has open (each with its id, impact, help and nodes)."""
    if not browser.execute_script("return typeof window.axe === 'object';"):
        browser.execute_script(axe_source())
    browser.set_script_timeout(60)
    outcome = browser.execute_async_script(RUN_AXE, TAGS)
    if "error" in outcome:
        raise AssertionError(f"axe.run failed on {browser.current_url}: {outcome['error']}")
    return outcome["violations"]


def report(found: list[dict]) -> str:
    """One line per element: rule id, impact, the element's selector and what axe says is wrong."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
            # failureSummary is "Fix any of the following:" and then the reasons, one a line: the first is enough.
            reasons = (node.get("failureSummary") or "").splitlines()[1:2]
            summary = "; ".join([violation["help"], *(reason.strip() for reason in reasons)])
            lines.append(f"- {violation['id']} ({violation['impact']}) at {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(browser, page: str = "") -> None:
    """Fail when axe finds anything critical or serious on the open page."""
    blocking = [violation for violation in violations(browser) if violation["impact"] in BLOCKING]
    if blocking:
        where = page or browser.current_url
        raise AssertionError(f"axe: {len(blocking)} critical or serious on {where}:\n{report(blocking)}")

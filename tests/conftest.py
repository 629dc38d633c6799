import os
import runpy
from pathlib import Path

import pytest

from lassonet_bench.core.devices import torch_threads

PICTURES = runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "pictures.py"))  # the docs' browser

# Elements of a page whose box reaches past the window's right edge (the rule graph's SVG aside).
OVERFLOWING = """() => [...document.querySelectorAll('p, li, td, th, h1, h2, h3, a, span, img, table, pre')]
    .filter(e => e.closest('svg') === null && e.getBoundingClientRect().width > 0
                 && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + ': ' + (e.innerText || e.src || '').slice(0, 60))"""


@pytest.fixture(autouse=True)
def one_torch_thread():
    """The networks in the tests are tiny: one thread is several times faster than two on a busy 2-core machine."""
    with torch_threads(1):
        yield


# The files whose module fixtures run whole workflows (minutes): collected first, so that with several workers
# (pytest-xdist, --dist=loadfile) they start at once and the other files fill the remaining workers meanwhile.
LONG_FILES = ("test_workflow.py", "test_slurm.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONG_FILES)  # stable: the order within each group is kept


class BrowserPage:
    """A page of headless Chromium at the docs' 1280 px width, with the JavaScript errors it logged."""

    def __init__(self, page):
        self.page, self.errors = page, []
        page.set_default_timeout(180_000)  # a 5 MB page on a busy 2-core machine
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def overflowing(self):
        """The texts and images of the page shown now that reach past the window's right edge."""
        return self.page.evaluate(OVERFLOWING)


@pytest.fixture
def browser_page():
    """Debian's chromium (tests/browser/install.sh installs it if missing), driven by Playwright: a failure on CI
    where it cannot be had, a skip elsewhere."""
    from playwright.sync_api import sync_playwright

    try:
        executable = PICTURES["chromium_executable"]()
    except RuntimeError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{error}; on CI the browser test is required")
        pytest.skip(str(error))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=PICTURES["CHROMIUM_ARGS"])
        try:
            yield BrowserPage(browser.new_page(viewport=PICTURES["VIEWPORT"]))
        finally:
            browser.close()

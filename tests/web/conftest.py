
from tests.browser.conftest import browser, live_personas, page_as  # noqa: F401 - real-browser fixtures



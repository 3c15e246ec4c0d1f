"""Pages stay light for phones on slow, metered connections, and everything they load comes
from the site itself: no CDN, no external fonts, no third-party scripts."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

KB = 1024
# Budgets from the product brief: the first visit must fit a weak 3G connection in seconds.
DOCUMENT_STYLE_FONT_BUDGET = 150 * KB
SCRIPT_BUDGET = 100 * KB
DOCUMENT_STYLE_FONT = {"document", "stylesheet", "font"}


def load_and_weigh(browser, path):
    """Open a page, wait until the network is quiet, and sum response body sizes by kind."""
    response = browser.page.goto(browser.url(path), wait_until="networkidle")
    assert response.ok
    weights = {}
    for response in browser.responses:
        if 300 <= response.status < 400:
            continue  # a redirect has no body of its own; its target is counted
        kind = response.request.resource_type
        weights[kind] = weights.get(kind, 0) + len(response.body())
    return weights


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
def test_page_stays_within_its_weight_budget(open_browser, path):
    browser = open_browser()

    weights = load_and_weigh(browser, path)

    assert weights.get("document", 0) > 0
    assert weights.get("stylesheet", 0) > 0
    document_style_font = sum(weights.get(kind, 0) for kind in DOCUMENT_STYLE_FONT)
    assert document_style_font <= DOCUMENT_STYLE_FONT_BUDGET, weights
    assert weights.get("script", 0) <= SCRIPT_BUDGET, weights
    browser.assert_no_errors()


@pytest.mark.parametrize("path", ["/", "/accounts/signup/"])
def test_page_requests_nothing_from_other_hosts(open_browser, live_server, path):
    browser = open_browser()
    own_host = urlsplit(live_server.url).netloc
    assert urlsplit(live_server.url).hostname in {"127.0.0.1", "localhost"}

    browser.page.goto(browser.url(path), wait_until="networkidle")

    assert browser.requested_urls, "the page made no requests at all"
    foreign = [
        url
        for url in browser.requested_urls
        # data: URLs are inline and never touch the network.
        if not url.startswith("data:") and urlsplit(url).netloc != own_host
    ]
    assert foreign == []
    assert all(urlsplit(url).scheme in {"http", "data"} for url in browser.requested_urls)
    browser.assert_no_errors()

"""The sign-up page on a phone: right to left, nothing wider than the screen. A screenshot is
kept under var/screenshots/ for a person to look at."""

import pytest

from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def text_box(locator):
    """Where the text of an element is drawn (a block element's own box is always full width)."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height}; }"
    )


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not displayed"
    return found


def test_signup_page_fits_a_phone_right_to_left(open_browser):
    browser = open_browser(viewport=PHONE)
    page = browser.page

    page.goto(browser.url("/accounts/signup/"), wait_until="networkidle")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "signup-ar-390x844.png", full_page=True)

    assert browser.html_attributes() == ("rtl", "ar")
    # Nothing may force sideways scrolling on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    main = box(page.locator("main"))
    assert main["x"] >= 0
    assert main["x"] + main["width"] <= PHONE["width"]

    # Label text starts at the right edge, above a full-width input.
    label = text_box(page.locator("main label[for=id_email]"))
    field = box(page.locator("main [name=email]"))
    main_form = box(page.locator("main form"))
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) <= 2
    assert label["width"] < field["width"] / 2
    assert label["y"] + label["height"] <= field["y"] + 1
    assert field["width"] >= main_form["width"] - 2
    # The submit button sits on the right in RTL and is big enough for a thumb.
    submit = box(page.locator("main form [type=submit]").first)
    assert submit["x"] + submit["width"] >= main_form["x"] + main_form["width"] - 2
    assert submit["height"] >= 44
    browser.assert_no_errors()


def test_addresses_and_latin_names_are_typed_left_to_right_on_an_arabic_page(open_browser):
    browser = open_browser(viewport=PHONE)
    page = browser.page
    page.goto(browser.url("/accounts/signup/"), wait_until="networkidle")

    direction = "el => getComputedStyle(el).direction"
    assert page.locator("html").evaluate(direction) == "rtl"
    assert page.locator("input[type=email]").first.evaluate(direction) == "ltr"
    assert page.locator("input[name=full_name_latin]").evaluate(direction) == "ltr"
    assert page.locator("input[name=full_name]").evaluate(direction) == "rtl"

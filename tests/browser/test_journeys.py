"""A newcomer's first visit in a real browser: sign-up, e-mail verification, sign-in and the
language switch, what the sign-up page does with bad input, and a visitor's way from home to an
open cohort, through sign-up and back to its application form."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Governorate, User
from cohorts.models import Cohort
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, TraineeFactory

pytestmark = pytest.mark.browser

PASSWORD = "Najaf-Youth-2025!"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF]")


def arabic(msgid: str) -> str:
    """The Arabic text of a message; asserting it differs from the msgid proves the page is
    really translated, not just marked dir="rtl"."""
    with translation.override("ar"):
        text = gettext(msgid)
    assert text != msgid, f"no Arabic translation for {msgid!r}"
    return text


def fill_signup(page, *, email, full_name="زينب علي حسين", phone="", password2=PASSWORD):
    form = page.locator("main form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=full_name]").fill(full_name)
    form.locator("[name=governorate]").select_option(Governorate.NAJAF.value)
    form.locator("[name=phone]").fill(phone)
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(password2)


def submit_main_form(page):
    """Submit the page's own form (the header holds the language and sign-out forms too) and
    return the response of the navigation it causes."""
    with page.expect_navigation() as navigation:
        page.locator("main form [type=submit]").first.click()
    return navigation.value


def test_signup_verify_login_and_switch_language(open_browser, mailoutbox):
    # A Sorani-speaking phone: the site has no Kurdish, so its default, Arabic, must answer.
    browser = open_browser(locale="ku-IQ")
    page = browser.page

    page.goto(browser.url("/accounts/signup/"))
    assert browser.html_attributes() == ("rtl", "ar")
    assert page.locator("main h1").inner_text().strip() == arabic("Sign Up")

    fill_signup(page, email="zainab@example.org", phone="0770 123 4567")
    response = submit_main_form(page)

    assert response.ok
    assert browser.path() == "/accounts/confirm-email/"
    assert page.locator("main h1").inner_text().strip() == arabic("Verify Your Email Address")
    user = User.objects.get(email="zainab@example.org")
    assert user.full_name == "زينب علي حسين"
    assert user.governorate == Governorate.NAJAF
    assert user.phone == "07701234567"
    assert user.preferred_language == "ar"
    assert user.role == User.Role.TRAINEE
    assert not user.emailaddress_set.get().verified

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zainab@example.org"]
    links = CONFIRM_LINK.findall(mailoutbox[0].body)
    assert len(links) == 1
    assert links[0].startswith(browser.base_url)

    # Opening the link alone changes nothing (mail scanners follow links); the button confirms.
    page.goto(links[0])
    assert page.locator("main h1").inner_text().strip() == arabic("Confirm Email Address")
    assert not user.emailaddress_set.get().verified
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(browser.url("/"))
    assert user.emailaddress_set.get().verified

    # Confirming in the browser that signed up signs the person in; sign out to test sign-in.
    sign_out = page.locator("header form[action='/accounts/logout/'] button")
    with page.expect_navigation():
        sign_out.click()
    assert page.locator("header form[action='/accounts/logout/']").count() == 0

    page.goto(browser.url("/accounts/login/"))
    assert browser.html_attributes() == ("rtl", "ar")
    form = page.locator("main form")
    form.locator("[name=login]").fill("zainab@example.org")
    form.locator("[name=password]").fill(PASSWORD)
    submit_main_form(page)

    assert browser.path() == "/"
    assert browser.html_attributes() == ("rtl", "ar")
    assert page.locator("header form[action='/accounts/logout/']").count() == 1
    assert "زينب" in page.locator("main h1").inner_text()

    switch = page.locator("header form[action='/i18n/language/'] button[name=language]")
    assert switch.get_attribute("value") == "en"
    with page.expect_navigation():
        switch.click()

    assert browser.path() == "/"
    assert browser.html_attributes() == ("ltr", "en")
    assert page.locator("main h1").inner_text().strip() == "Welcome, زينب"
    assert page.title() == "Home · Ishtar Youth Leadership"
    assert switch.get_attribute("value") == "ar"
    assert switch.inner_text().strip() == "العربية"

    page.reload()
    assert browser.html_attributes() == ("ltr", "en")
    assert page.locator("main h1").inner_text().strip() == "Welcome, زينب"
    user.refresh_from_db()
    assert user.preferred_language == "en"

    browser.assert_no_errors()


def test_signup_with_mismatched_passwords_shows_an_arabic_error(open_browser, mailoutbox):
    browser = open_browser()
    page = browser.page
    page.goto(browser.url("/accounts/signup/"))

    fill_signup(page, email="hassan@example.org", password2=PASSWORD + "x")
    response = submit_main_form(page)

    assert response.status == 400  # the form comes back with its errors
    assert browser.path() == "/accounts/signup/"
    assert browser.html_attributes() == ("rtl", "ar")
    error = page.locator("main .field.invalid .error")
    assert error.count() == 1
    assert error.inner_text().strip() == arabic("You must type the same password each time.")
    assert ARABIC_LETTERS.search(error.inner_text())
    # What was typed survives the round trip, so only the passwords need typing again.
    assert page.locator("main [name=full_name]").input_value() == "زينب علي حسين"
    assert page.locator("main [name=governorate]").input_value() == Governorate.NAJAF.value
    assert User.objects.count() == 0
    assert mailoutbox == []
    browser.assert_no_errors(expected_responses=[response])


def test_signup_with_an_invalid_phone_shows_a_field_error_and_saves_nothing(
    open_browser, mailoutbox
):
    browser = open_browser()
    page = browser.page
    page.goto(browser.url("/accounts/signup/"))

    fill_signup(page, email="hassan@example.org", phone="12345")
    response = submit_main_form(page)

    assert response.status == 400  # the form comes back with its errors
    assert browser.path() == "/accounts/signup/"
    phone_field = page.locator("main .field.invalid:has([name=phone])")
    assert phone_field.count() == 1
    assert phone_field.locator(".error[role=alert]").inner_text().strip() != ""
    assert page.locator("main .field.invalid").count() == 1
    assert page.locator("main [name=phone]").input_value() == "12345"
    assert User.objects.count() == 0
    assert mailoutbox == []
    browser.assert_no_errors(expected_responses=[response])


def test_signup_with_a_taken_email_creates_no_second_account(open_browser, mailoutbox):
    existing = TraineeFactory(email="taken@example.org", full_name="علي كاظم جواد")
    browser = open_browser()
    page = browser.page
    page.goto(browser.url("/accounts/signup/"))

    fill_signup(page, email="Taken@Example.org", full_name="شخص آخر")
    response = submit_main_form(page)

    assert response.status == 200
    assert browser.html_attributes() == ("rtl", "ar")
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "علي كاظم جواد"
    # Nobody can confirm their way into the existing account from this attempt.
    assert not any(CONFIRM_LINK.search(message.body) for message in mailoutbox)
    browser.assert_no_errors()


def test_a_visitor_finds_an_open_cohort_signs_up_and_comes_back_to_apply(open_browser, mailoutbox):
    cohort = cohort_with(
        manager=ManagerFactory(), status=Cohort.Status.RECRUITING, name="القادة الشباب — كربلاء"
    )
    browser = open_browser()
    page = browser.page

    # Home → the open cohorts → the cohort's page → "create an account".
    page.goto(browser.url("/"))
    with page.expect_navigation():
        page.locator("main a[href='/cohorts/']").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="القادة الشباب — كربلاء").click()
    cohort_path = f"/cohorts/{cohort.pk}/"
    assert browser.path() == cohort_path
    with page.expect_navigation():
        page.locator("#apply a[href^='/accounts/signup/']").click()

    fill_signup(page, email="hawraa@example.org", full_name="حوراء جاسم")
    submit_main_form(page)
    assert browser.path() == "/accounts/confirm-email/"

    link = CONFIRM_LINK.findall(mailoutbox[-1].body)[0]
    page.goto(link)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # Back on the cohort's page, signed in, with its application form in front of them.
    assert browser.path() == cohort_path
    assert page.locator("#apply form [name=motivation]").count() == 1
    browser.assert_no_errors()

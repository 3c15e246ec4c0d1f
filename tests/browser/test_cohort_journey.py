"""A trainee's way into a cohort in a real browser on a phone: sign in, apply on the public page,
be accepted, then check in to the session running now with the code shown in the room."""

import datetime

import pytest
from django.utils import timezone

from cohorts import services
from cohorts.models import Application, Attendance, Cohort, Membership, Session
from tests.browser.conftest import SCREENSHOT_DIR
from tests.cohorts.factories import cohort_with
from tests.factories import PASSWORD, ManagerFactory, TraineeFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def submit_main_form(page, selector="main form [type=submit]"):
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def test_trainee_applies_is_accepted_and_checks_in(open_browser):
    manager = ManagerFactory()
    trainee = TraineeFactory(email="zainab@example.org", full_name="زينب علي")
    now = timezone.now()
    cohort = cohort_with(
        manager=manager,
        status=Cohort.Status.RECRUITING,
        name="القادة الشباب — النجف",
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    # Started five minutes ago: check-in is open, and on time.
    session = services.create_session(
        actor=manager,
        cohort=cohort,
        title="ورشة القيادة",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=2),
    )

    browser = open_browser(viewport=PHONE)
    page = browser.page
    page.goto(browser.url("/accounts/login/"))
    form = page.locator("main form")
    form.locator("[name=login]").fill(trainee.email)
    form.locator("[name=password]").fill(PASSWORD)
    submit_main_form(page)

    # The public page and its application form.
    page.goto(browser.url(f"/cohorts/{cohort.pk}/"))
    assert browser.html_attributes() == ("rtl", "ar")
    apply_form = page.locator("#apply form")
    apply_form.locator("[name=motivation]").fill("أريد أن أتعلم القيادة وأخدم مدينتي")
    apply_form.locator("[name=availability]").fill("مساء الأحد والثلاثاء")
    apply_form.locator("[name=consent]").check()
    response = submit_main_form(page, "#apply form [type=submit]")
    assert response.ok
    assert page.locator("#application .status-submitted").count() == 1
    application = Application.objects.get(cohort=cohort, applicant=trainee)
    assert application.status == Application.Status.SUBMITTED

    # The selection committee accepts.
    services.decide_application(actor=manager, application=application, decision="accepted")
    assert Membership.objects.active().trainees().filter(cohort=cohort, user=trainee).exists()

    # Back on the cohort page: the session running now offers check-in.
    page.goto(browser.url(f"/cohorts/{cohort.pk}/"))
    with page.expect_navigation():
        page.locator(f"a[href='/cohorts/sessions/{session.pk}/check-in/']").first.click()
    page.locator("main form [name=code]").fill(Session.objects.get(pk=session.pk).check_in_code)
    response = submit_main_form(page)
    assert response.ok
    assert page.locator("#check-in-status").count() == 1
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "cohort-check-in-ar-390x844.png", full_page=True)

    mark = Attendance.objects.get(session=session, user=trainee)
    assert (mark.status, mark.source) == (Attendance.Status.PRESENT, Attendance.Source.CHECK_IN)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    browser.assert_no_errors()

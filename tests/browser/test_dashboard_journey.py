"""The manager's dashboard in a real browser: on a phone the table becomes one card per trainee
(no column crushed to a letter per line, nothing wider than the screen), names lead to the
trainee's page, and during a live session the figures count only sessions that have ended with
their attendance taken. Screenshots are kept under var/screenshots/ for a person to look at."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import Attendance
from tests.browser.conftest import SCREENSHOT_DIR
from tests.cohorts.factories import MembershipFactory, SessionFactory, at, cohort_with, today
from tests.factories import PASSWORD, ManagerFactory, TraineeFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(browser, person):
    page = browser.page
    page.goto(browser.url("/accounts/login/"))
    form = page.locator("main form")
    form.locator("[name=login]").fill(person.email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()


def _cohort(manager, trainees):
    """A running cohort whose trainees joined three weeks ago and never signed in (so every one
    is flagged inactive, with a long reason), with a session held last week where the first half
    were present and the others absent (flagged for attendance too)."""
    cohort = cohort_with(manager=manager, name="القادة الشباب — النجف", min_attendance_percent=75)
    held = SessionFactory(
        cohort=cohort,
        starts_at=at(today() - datetime.timedelta(days=7), 17),
        ends_at=at(today() - datetime.timedelta(days=7), 19),
    )
    joined = timezone.now() - datetime.timedelta(days=21)
    people = []
    for n in range(trainees):
        person = TraineeFactory(
            full_name=f"عبد الرحمن بن محمد الموسوي {n}", full_name_latin=f"Abdulrahman {n}"
        )
        MembershipFactory(cohort=cohort, user=person, joined_at=joined)
        people.append(person)
    services.mark_roll_call(
        actor=manager,
        session=held,
        marks={
            p.pk: Attendance.Status.PRESENT if n < trainees // 2 else Attendance.Status.ABSENT
            for n, p in enumerate(people)
        },
    )
    return cohort, people


def _cell_widths(page):
    """[(text, width, widest word's width)] of every cell of the dashboard's table."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.dashboard tbody tr > *')].map(cell => {
            const words = (cell.innerText || '').split(/\\s+/).filter(Boolean);
            const probe = document.createElement('span');
            probe.style.whiteSpace = 'nowrap';
            probe.style.font = getComputedStyle(cell).font;
            document.body.appendChild(probe);
            let widest = 0;
            for (const word of words) { probe.textContent = word; widest = Math.max(widest, probe.getBoundingClientRect().width); }
            probe.remove();
            return [cell.innerText, cell.getBoundingClientRect().width, widest];
        })"""
    )


def test_dashboard_is_cards_on_a_phone_and_a_table_on_a_desktop(open_browser):
    manager = ManagerFactory()
    cohort, people = _cohort(manager, 4)
    url = reverse("cohorts:dashboard", args=[cohort.pk])

    browser = open_browser(viewport=PHONE)
    page = browser.page
    sign_in(browser, manager)
    page.goto(browser.url(url), wait_until="networkidle")
    assert page.locator("table.dashboard tbody tr").count() == 4
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "dashboard-ar-390x844.png", full_page=True)

    # Nothing forces sideways scrolling on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every cell is as wide as its card, and wider than any word it holds: the at-risk reasons
    # read as sentences, not a letter per line.
    main_width = page.locator("main").bounding_box()["width"]
    cells = _cell_widths(page)
    assert cells
    for text, width, widest in cells:
        assert width >= widest, f"{text!r}: {width}px is narrower than a word ({widest}px)"
        assert width >= main_width * 0.8, f"{text!r} is a column of {width}px, not a card"
    reasons = page.locator("table.dashboard td.reasons").first
    assert reasons.bounding_box()["height"] < 200
    # The column headings are on the cards.
    label = page.locator("table.dashboard td.reasons").first.evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert label not in ("none", "normal", "")

    # A name leads to the trainee's page.
    with page.expect_navigation():
        page.get_by_role("link", name=people[0].full_name).click()
    assert browser.path() == reverse("cohorts:dashboard_trainee", args=[cohort.pk, people[0].pk])
    assert page.locator("h1").inner_text() == people[0].full_name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOT_DIR / "dashboard-trainee-ar-390x844.png", full_page=True)
    browser.assert_no_errors()

    # On a desktop it stays a table with its headings.
    desktop = open_browser(viewport=DESKTOP)
    sign_in(desktop, manager)
    desktop.page.goto(desktop.url(url), wait_until="networkidle")
    assert desktop.page.locator("table.dashboard thead th").first.is_visible()
    first_row = desktop.page.locator("table.dashboard tbody tr").first.bounding_box()
    assert first_row["height"] < 200
    desktop.assert_no_errors()


def test_dashboard_during_a_live_session_raises_no_false_alarm(open_browser):
    """Four trainees, all present at last week's session, during today's session (one has
    checked in so far), with a session two days ago whose attendance was never taken: nobody is
    at risk, average attendance stays 100 %, and the session without a roll call says so."""
    manager = ManagerFactory()
    cohort = cohort_with(manager=manager, name="القادة الشباب — البصرة", min_attendance_percent=75)
    now = timezone.now()
    people = []
    for n in range(4):
        person = TraineeFactory(full_name=f"متدرب حاضر {n}")
        person.last_login = now - datetime.timedelta(hours=1)
        person.save(update_fields=["last_login"])
        MembershipFactory(cohort=cohort, user=person, joined_at=now - datetime.timedelta(days=21))
        people.append(person)
    last_week = SessionFactory(
        cohort=cohort,
        title="ورشة الأسبوع الماضي",
        starts_at=at(today() - datetime.timedelta(days=7), 17),
        ends_at=at(today() - datetime.timedelta(days=7), 19),
    )
    SessionFactory(
        cohort=cohort,
        title="جلسة بلا تسجيل حضور",
        starts_at=at(today() - datetime.timedelta(days=2), 17),
        ends_at=at(today() - datetime.timedelta(days=2), 19),
    )
    live = SessionFactory(
        cohort=cohort,
        title="الجلسة الجارية",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    services.mark_roll_call(
        actor=manager,
        session=last_week,
        marks={p.pk: Attendance.Status.PRESENT for p in people},
    )
    services.mark_roll_call(
        actor=manager, session=live, marks={people[0].pk: Attendance.Status.PRESENT}
    )

    browser = open_browser(viewport=DESKTOP)
    page = browser.page
    sign_in(browser, manager)
    page.goto(browser.url(reverse("cohorts:dashboard", args=[cohort.pk])), wait_until="networkidle")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "dashboard-live-session.png", full_page=True)

    stats = page.locator(".cards.stats .stat").all_inner_texts()
    assert stats[0] == "4"  # trainees
    assert stats[2] == "100%"  # average attendance: only last week's session counts
    assert stats[3] == "0"  # at risk
    assert page.locator("table.dashboard tr.at-risk").count() == 0
    # The session without a roll call is shown as such, not as 0 %.
    chart = page.locator("#sessions-title + ul")
    untaken = chart.locator("li", has_text="جلسة بلا تسجيل حضور")
    assert "لم يُسجَّل الحضور" in untaken.inner_text()
    # Every trainee attended 1 of the 1 session counted.
    for cell in page.locator("table.dashboard tbody td[data-label]:has(meter)").all():
        assert "(1/1)" in cell.inner_text()
    browser.assert_no_errors()

"""Data tables on a 390 px phone: a table marked `card-rows` shows one card per row, each cell
with its column's heading above it (from data-label), so that nothing is wider than the screen
and no column is crushed to a word per line. On a desktop the same table keeps its headings.

Each page is opened as the person who reads it: a trainee, a mentor, the cohort's manager.
Screenshots are kept under var/screenshots/ for a person to look at."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from mentoring import services as mentoring
from mentoring.models import Mentorship
from proposals.models import Proposal
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.test_dashboard_journey import DESKTOP, PHONE, sign_in
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory
from tests.proposals.factories import proposal_at

pytestmark = pytest.mark.browser


# In one transaction, as a request would: the attendance rows' tallies lock their rows (on
# PostgreSQL a lock outside a transaction is refused); the live server reads it once committed.
@transaction.atomic
def _world():
    """A running cohort with long Arabic names everywhere (they are what crushes a column):
    a manager, a mentor, four trainees who joined a month ago, a session held last week with
    its roll call and one next week, a recruiting cohort the first trainee applied to, a
    published mentor round (the mentor took all four), two trainees who joined since waiting in
    a draft round, and the first trainee's proposal in review with the mentor."""
    manager = ManagerFactory(full_name="أمير عبد الحسين كاظم الخفاجي")
    mentor = MentorFactory(full_name="د. فاطمة عبد الكريم جواد الياسري")
    trainees = [
        TraineeFactory(full_name=f"عبد الرحمن بن محمد الموسوي {n}", full_name_latin=f"Abd {n}")
        for n in range(4)
    ]
    cohort = cohort_with(
        manager=manager,
        trainees=trainees,
        mentors=[mentor],
        name="القادة الشباب — النجف الأشرف، الدفعة الثانية",
    )
    Membership.objects.filter(cohort=cohort).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    last_week = today() - datetime.timedelta(days=7)
    held = SessionFactory(
        cohort=cohort,
        facilitator=mentor,
        title="ورشة التخطيط الاستراتيجي للمبادرات الشبابية المحلية",
        starts_at=at(last_week, 17),
        ends_at=at(last_week, 19),
    )
    for person in trainees:
        AttendanceFactory(session=held, user=person)
    next_week = today() + datetime.timedelta(days=7)
    SessionFactory(cohort=cohort, starts_at=at(next_week, 17), ends_at=at(next_week, 19))
    recruiting = cohort_with(
        manager=manager, status=Cohort.Status.RECRUITING, name="صناع السياسات — البصرة"
    )
    ApplicationFactory(cohort=recruiting, applicant=trainees[0])

    mentoring.save_mentor_profile(actor=mentor, user=mentor, languages=["ar"], capacity=8)
    published = mentoring.run_match_round(actor=manager, cohort=cohort)
    mentoring.publish_match_round(actor=manager, round=published)
    for mentorship in Mentorship.objects.filter(cohort=cohort, mentor=mentor):
        mentoring.accept(actor=mentor, mentorship=mentorship)
    for n in range(2):
        waiting = TraineeFactory(full_name=f"زينب بنت علي الحسيني {n}")
        membership = MembershipFactory(cohort=cohort, user=waiting, role=Membership.Role.TRAINEE)
        mentoring.save_intake(actor=waiting, membership=membership, languages=["ar"])
    mentoring.run_match_round(actor=manager, cohort=cohort)

    team = {
        "cohort": cohort,
        "lead": trainees[0],
        "coauthor": trainees[1],
        "manager": manager,
        "reviewer": mentor,
    }
    proposal_at(team, Proposal.Status.IN_REVIEW, title="طاولة حوار شبابية حول البطالة في النجف")
    return {
        "manager": manager,
        "mentor": mentor,
        "trainee": trainees[0],
        "cohort": cohort,
        "recruiting": recruiting,
    }


def _labelled_cells(page):
    """[(data-label, the ::before content, its display, cell width)] of every labelled body cell
    of the page's card tables that is displayed (an empty cell is left out of a card)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.card-rows tbody td[data-label]')]
          .filter(cell => getComputedStyle(cell).display !== 'none').map(cell => {
            const before = getComputedStyle(cell, '::before');
            return [cell.dataset.label, before.content, before.display,
                    cell.getBoundingClientRect().width];
        })"""
    )


def _check_cards(browser, name, path):
    """Open `path` on the phone, keep a screenshot, and check the page fits the screen and its
    tables are cards whose cells show their headings."""
    page = browser.page
    page.goto(browser.url(path), wait_until="networkidle")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"phone-table-{name}-ar-390x844.png", full_page=True)

    # Nothing forces sideways scrolling on a 390 px screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide"
    cells = _labelled_cells(page)
    assert cells, f"{name}: no labelled cell in a card table"
    main_width = page.locator("main").bounding_box()["width"]
    for label, content, display, cell_width in cells:
        # The heading is drawn before the value, on a line of its own.
        assert label.strip(), f"{name}: an empty data-label"
        assert label in content, f"{name}: {label!r} is not shown ({content!r})"
        assert display == "block", f"{name}: {label!r} is displayed {display}"
        # A card's cell is as wide as the card, not a column squeezed beside others.
        assert cell_width >= main_width * 0.8, f"{name}: {label!r} is {cell_width}px wide"


def test_a_trainees_tables_are_cards_on_a_phone(open_browser):
    world = _world()
    browser = open_browser(viewport=PHONE)
    sign_in(browser, world["trainee"])
    cohort = world["cohort"]
    _check_cards(browser, "my-cohorts", reverse("cohorts:mine"))
    _check_cards(browser, "my-attendance", reverse("cohorts:my_attendance", args=[cohort.pk]))
    _check_cards(browser, "my-proposals", reverse("proposals:mine"))
    browser.assert_no_errors()


def test_a_mentors_tables_are_cards_on_a_phone(open_browser):
    world = _world()
    browser = open_browser(viewport=PHONE)
    sign_in(browser, world["mentor"])
    _check_cards(browser, "my-mentees", reverse("mentoring:my_mentees"))
    _check_cards(browser, "proposals-queue", reverse("proposals:queue"))
    browser.assert_no_errors()


def test_a_managers_tables_are_cards_on_a_phone(open_browser):
    world = _world()
    browser = open_browser(viewport=PHONE)
    sign_in(browser, world["manager"])
    pk = world["cohort"].pk
    pages = {
        "cohorts": reverse("cohorts:manage"),
        "applications": reverse("cohorts:applications", args=[world["recruiting"].pk]),
        "members": reverse("cohorts:members", args=[pk]),
        "sessions": reverse("cohorts:sessions", args=[pk]),
        "people": reverse("accounts:people"),
        "mentor-load": reverse("mentoring:load", args=[pk]),
        "match-round": reverse("mentoring:round", args=[pk]),
        "proposals-manage": reverse("proposals:manage", args=[pk]),
        "rubric": reverse("proposals:rubric", args=[pk]),
        "certificates": reverse("certificates:manage", args=[pk]),
    }
    for name, path in pages.items():
        _check_cards(browser, name, path)
    # The draft round's pairs can still be pinned or forbidden from the card.
    page = browser.page
    page.goto(browser.url(pages["match-round"]), wait_until="networkidle")
    assert page.locator("table.card-rows tbody tr").first.get_by_role("button").count() == 2
    browser.assert_no_errors()


def test_a_card_table_stays_a_table_on_a_desktop(open_browser):
    world = _world()
    browser = open_browser(viewport=DESKTOP)
    sign_in(browser, world["manager"])
    page = browser.page
    page.goto(browser.url(reverse("cohorts:members", args=[world["cohort"].pk])))
    table = page.locator("table.card-rows")
    assert table.locator("thead th").first.is_visible()
    assert table.evaluate("el => getComputedStyle(el).display") == "table"
    cells = _labelled_cells(page)
    assert cells
    assert {content for _label, content, _display, _width in cells} <= {"none", "normal"}
    # Each row is one line of cells side by side, not a stack.
    row = table.locator("tbody tr").first.bounding_box()
    assert row["height"] < 120
    # Every cell lines up with the Arabic page's side, a Latin or dir="auto" one included.
    aligns = table.evaluate(
        "el => [...el.querySelectorAll('th, td')].map(c => getComputedStyle(c).textAlign)"
    )
    assert aligns and set(aligns) == {"right"}
    assert table.locator("td[dir=auto]").count()
    browser.assert_no_errors()

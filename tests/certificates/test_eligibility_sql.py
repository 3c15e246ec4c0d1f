"""The eligibility rule as the database works it out for a whole cohort (certificates.eligibility
.figures, read by the manager's page and the eligibility API a page at a time) agrees with the
rule in Python (eligibility_of_rows over every row) on a cohort that holds every case: required
and optional courses at 0, 99 and 100 %, attendance above, at and below the policy or not
counted yet, initiatives led, joined, only invited or not approved, certificates valid, revoked
and superseded."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from certificates import services, views
from certificates.eligibility import ByName
from certificates.models import Certificate
from cohorts.models import AttendanceTally, Membership
from cohorts.services import mark_attendance
from core.paging import Paginator
from proposals.models import Proposal, TeamMember
from tests.cohorts.factories import CurriculumItemFactory
from tests.courses.factories import CourseFactory
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NAMES = ["زينب", "Adam", "علي", "bassam", "حسن", "Carla", "دعاء", "فاطمة", "مريم", "Omar"]


def _world(cohort, manager, held_sessions, *, initiative: bool):
    required, optional = CourseFactory(), CourseFactory()
    CurriculumItemFactory(cohort=cohort, course=required, position=1, required=True)
    CurriculumItemFactory(cohort=cohort, course=optional, position=2, required=False)
    cohort.requires_approved_initiative = initiative
    cohort.save(update_fields=["requires_approved_initiative"])
    people = []
    # Every combination of the required course's %, attendance and an initiative, cycled over
    # twenty-four trainees (the optional course is complete for some and never counts).
    cases = itertools.product([100, 99, 0], ["both", "one", "none"], ["lead", "member", "no"])
    for n, (percent, attended, role) in zip(range(24), itertools.cycle(cases), strict=False):
        person = TraineeFactory(full_name=f"{NAMES[n % len(NAMES)]} {n:02d}")
        Membership.objects.create(cohort=cohort, user=person, role="trainee")
        held = {"both": held_sessions, "one": held_sessions[:1], "none": []}[attended]
        for session in held:
            mark_attendance(actor=manager, session=session, user=person, status="present")
        percents = {str(required.pk): percent} if percent else {}
        if n % 2:
            percents[str(optional.pk)] = 100
        AttendanceTally.objects.filter(cohort=cohort, user=person).update(course_percents=percents)
        people.append((person, role))
    leads = [p for p, role in people if role == "lead"]
    approved = Proposal.objects.create(
        cohort=cohort, lead=leads[0], title="مبادرة", status=Proposal.Status.APPROVED
    )
    for person in leads[1:]:
        status = Proposal.Status.COMPLETED if person.pk % 2 else Proposal.Status.SUBMITTED
        Proposal.objects.create(cohort=cohort, lead=person, title="مبادرة", status=status)
    for i, person in enumerate(p for p, role in people if role == "member"):
        TeamMember.objects.create(
            proposal=approved,
            user=person,
            status=TeamMember.Status.ACCEPTED if i % 3 else TeamMember.Status.INVITED,
        )
    return [p for p, _role in people]


def _certify(cohort, manager, verdicts):
    """A valid certificate for one eligible trainee, a revoked one for another, and a re-issued
    one (its first version superseded) for a third."""
    eligible = [v.user_id for v in verdicts.values() if v.eligible]
    assert len(eligible) >= 3
    first, second, third = (
        services._new_certificate(cohort, Membership.objects.get(user_id=u).user, actor=manager)
        for u in eligible[:3]
    )
    services.revoke_certificate(certificate=second, actor=manager, reason="خطأ")
    services.reissue_certificate(certificate=third, actor=manager, reason="تصحيح الاسم")
    assert Certificate.objects.filter(status=Certificate.Status.SUPERSEDED).count() == 1
    return {first.trainee_id, second.trainee_id, third.trainee_id}


@pytest.mark.parametrize("initiative", [False, True])
def test_the_database_counts_and_pages_as_the_python_rule_decides(
    cohort, trainee, manager, held_sessions, initiative
):
    _world(cohort, manager, held_sessions, initiative=initiative)
    expected = services.eligibility_for_cohort(cohort)
    issued = _certify(cohort, manager, expected)
    ready = {u for u, v in expected.items() if v.eligible} - issued
    # Both kinds are there, or the comparison proves little.
    assert ready and len(expected) - len(issued) - len(ready) > 5
    held = {
        c.trainee_id: (c.pk, c.status, c.code)
        for c in Certificate.objects.current().filter(cohort=cohort)
    }
    assert sorted(status for _pk, status, _code in held.values()) == ["revoked", "valid", "valid"]

    listed = ByName(cohort, 7)
    seen = []
    for start in range(0, len(listed), 7):
        page = listed[start : start + 7]
        seen += page
        assert (listed.issued, listed.ready) == (len(issued), len(ready))
        assert listed.missing == len(expected) - len(issued) - len(ready)
        # The page's current certificates (valid, revoked, the re-issued one's new version).
        assert {u: (h.pk, h.status, h.code) for u, h in listed.held.items()} == {
            v.user_id: held[v.user_id] for v in page if v.user_id in held
        }
    # Every trainee once, by name, each with the verdict and reasons of the Python rule.
    assert [v.user_id for v in seen] == [
        v.user_id for v in sorted(expected.values(), key=lambda v: (v.name.lower(), v.user_id))
    ]
    assert {v.user_id: v for v in seen} == expected
    # And as the rule decides for each trainee alone (the dashboard narrowed to one person).
    people = User.objects.in_bulk([v.user_id for v in seen])
    assert seen == [services.eligibility(cohort, people[v.user_id]) for v in seen]


def test_a_page_asked_for_is_read_with_the_count(
    cohort, trainee, manager, held_sessions, django_assert_num_queries
):
    _world(cohort, manager, held_sessions, initiative=False)
    plain = ByName(cohort, 7)
    pages = [plain[start : start + 7] for start in range(0, len(plain), 7)]
    last = len(pages)
    assert last > 2 and len(pages[-1]) < 7
    for number in (1, 2, last):
        asked = ByName(cohort, 7, page=str(number))
        # The sessions and curriculum the figures are built from (none is to come: no marks to
        # read), then the page with the count: no count query of its own.
        with django_assert_num_queries(3):
            page = Paginator(asked, 7).get_page(str(number))
            assert page.number == number and list(page) == pages[number - 1]
        assert (asked.issued, asked.ready, asked.missing) == (
            plain.issued,
            plain.ready,
            plain.missing,
        )
    # Past the last page or not a number: the paginator's choice, as without the number.
    for text, number in [(str(last + 1), last), ("9" * 30, last), ("x", 1), (None, 1)]:
        page = Paginator(ByName(cohort, 7, page=text), 7).get_page(text)
        assert page.number == number and list(page) == pages[number - 1]


def test_the_manager_page_shows_the_whole_cohorts_figures_and_one_page(
    client, cohort, trainee, manager, held_sessions, monkeypatch
):
    monkeypatch.setattr(views, "MANAGE_PAGE_SIZE", 10)
    _world(cohort, manager, held_sessions, initiative=True)
    expected = services.eligibility_for_cohort(cohort)
    issued = _certify(cohort, manager, expected)
    ready = sum(1 for u, v in expected.items() if v.eligible and u not in issued)
    client.force_login(manager)
    url = reverse("certificates:manage", args=[cohort.pk])
    response = client.get(url, {"page": "2"})
    assert response.status_code == 200
    page = response.context["page"]
    assert (
        page.number == 2 and page.paginator.num_pages == 3 and len(response.context["rows"]) == 10
    )
    missing = len(expected) - len(issued) - ready
    context = response.context
    assert (context["issued"], context["eligible"], context["missing"]) == (3, ready, missing)
    # A page beyond the last shows the last; a page that is not a number shows the first.
    assert client.get(url, {"page": "9" * 30}).context["page"].number == 3
    assert client.get(url, {"page": "x"}).context["page"].number == 1
    # Across the pages, each row offers its form: revoke a valid certificate, issue to an
    # eligible trainee who holds none, nothing to the others.
    html = "".join(client.get(url, {"page": n}).content.decode() for n in (1, 2, 3))
    valid = Certificate.objects.current().filter(cohort=cohort, status="valid")
    for cert in valid:
        assert reverse("certificates:revoke", args=[cohort.pk, cert.pk]) in html
    for user_id, verdict in expected.items():
        offered = reverse("certificates:issue", args=[cohort.pk, user_id]) in html
        assert offered == (verdict.eligible and user_id not in issued), verdict

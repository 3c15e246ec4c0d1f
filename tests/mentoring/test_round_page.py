"""The manager's round page read as pages of pairs (matched first, best score first, then the
trainees without a mentor): every pair on exactly one page, pins and forbids and the mentors'
choices shown on each, hostile page numbers answered with a page, a constant number of queries
past the first page, and nothing of it for a manager of another cohort."""

import pytest
from django.urls import reverse

from mentoring import services, views
from mentoring.models import MatchProposal
from tests.factories import ManagerFactory
from tests.mentoring.test_views import _setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(manager, monkeypatch):
    """Five trainees, one mentor with room for three: three pairs and two waiting trainees, two
    rows a page; a forbid and a pin made on the draft."""
    monkeypatch.setattr(views, "ROUND_PAGE_SIZE", 2)
    cohort, trainees, [mentor] = _setup(manager, n_trainees=5, n_mentors=1)
    services.save_mentor_profile(actor=mentor, user=mentor, capacity=3)
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    waiting = round_.proposals.filter(mentor__isnull=True).first().trainee
    services.forbid(actor=manager, round=round_, trainee=waiting, mentor=mentor)
    matched = round_.proposals.filter(mentor__isnull=False).first().trainee
    services.pin(actor=manager, round=round_, trainee=matched, mentor=mentor)
    return cohort, round_, mentor


def _page(client, cohort, number):
    url = reverse("mentoring:round", kwargs={"pk": cohort.pk})
    return client.get(url, {"page": number})


def test_every_pair_is_on_exactly_one_page(client, manager, draft):
    cohort, round_, mentor = draft
    client.force_login(manager)
    proposals = MatchProposal.objects.filter(round=round_)
    order = [
        p.trainee_id for p in sorted(proposals, key=lambda p: (p.mentor_id is None, -p.score, p.pk))
    ]
    seen = []
    for number in (1, 2, 3):
        response = _page(client, cohort, number)
        assert response.status_code == 200
        rows = response.context["matched"] + response.context["unmatched"]
        seen += [row["trainee_id"] for row in rows]
        html = response.content.decode()
        # The pin and forbid made on the draft and the mentor to choose are on every page.
        assert html.count('name="undo" value="1"') >= 1
        assert f'<option value="{mentor.pk}">' in html
    assert seen == order
    assert len(seen) == 5
    assert sum(p.mentor_id is not None for p in proposals) == 3


@pytest.mark.parametrize(
    "number,shown",
    [("abc", 1), ("", 1), ("-1", 3), ("999", 3), ("\u0662", 2), ("1.5", 1), ("\x00", None)],
)
def test_hostile_page_numbers_get_a_page(client, manager, draft, number, shown):
    cohort, round_, mentor = draft
    client.force_login(manager)
    response = _page(client, cohort, number)
    if shown is None:  # NUL is refused before any page (core.middleware), with its reason
        assert response.status_code == 400 and "NUL" in response.content.decode()
        return
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_later_pages_run_one_count_query_more(client, manager, draft, django_assert_num_queries):
    cohort, round_, mentor = draft
    client.force_login(manager)
    _page(client, cohort, 1)  # the badge's unread count is cached from here on
    # Session, person, cohort, round, the pager's count, the page of pairs, pins, forbids,
    # mentors.
    for number in (1, 2, 3):
        with django_assert_num_queries(9):
            assert _page(client, cohort, number).status_code == 200


def test_a_manager_of_another_cohort_sees_nothing(client, manager, draft):
    cohort, round_, mentor = draft
    client.force_login(ManagerFactory())
    assert _page(client, cohort, 1).status_code == 404
    assert _page(client, cohort, 2).status_code == 404

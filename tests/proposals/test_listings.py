"""The managers' proposal lists read through compiled shapes (proposals.listings): the rows and
counts the ORM gives, page by page and filter by filter, run after run on one connection; budget
totals summed per proposal (none without budget lines); the API's rows written as its serializer
writes them; each person sees what `visible_to` shows, a manager of another cohort nothing."""

import re

import pytest
from django.urls import reverse

from proposals import listings
from proposals.api.serializers import ProposalListSerializer, list_items
from proposals.models import BudgetLine, Proposal
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, StaffFactory, TraineeFactory
from tests.proposals.factories import proposal_at

S = Proposal.Status
pytestmark = pytest.mark.django_db
STATUSES = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.APPROVED]


@pytest.fixture
def many(world):
    """55 proposals of the world's cohort (statuses in turn; in turn without budget lines, with
    one costing nothing, with two) and 3 of another cohort with the same lead."""
    cohort, lead = world["cohort"], world["lead"]
    other = cohort_with(manager=ManagerFactory(), trainees=[lead])
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(cohort=cohort, lead=lead, title=f"مبادرة {i}", status=STATUSES[i % 4])
            for i in range(55)
        ]
        + [Proposal(cohort=other, lead=lead, title=f"أخرى {i}", status=S.DRAFT) for i in range(3)]
    )
    lines = ([], [(1, 0)], [(3, 150_000), (50, 5_000)])
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=p, item="قاعة", quantity=quantity, unit_cost_iqd=cost * (i + 1))
        for i, p in enumerate(proposals)
        for quantity, cost in lines[i % 3]
    )
    return {"cohort": cohort, "other": other}


def _expected(proposals) -> list[dict]:
    """The rows as worked out in Python: newest first, each budget total the sum of its lines
    (None without any)."""
    out = []
    for p in sorted(proposals, key=lambda p: (p.updated_at, p.pk), reverse=True):
        lines = list(p.budget_lines.all())
        out.append(
            {
                "id": p.pk,
                "title": p.title,
                "status": p.status,
                "lead__full_name": p.lead.full_name,
                "budget_total_iqd": sum(line.total for line in lines) if lines else None,
            }
        )
    return out


def test_a_cohorts_rows_and_counts_are_its_proposals(many):
    cohort = many["cohort"]
    everything = _expected(Proposal.objects.filter(cohort=cohort))
    assert {row["budget_total_iqd"] for row in everything} >= {None, 0, 3 * 700_000}
    for _ in range(2):  # the second round runs the stored SQL only
        rows = listings.cohort_rows(cohort.pk, "")
        assert rows.count() == len(rows) == 55
        assert rows[0:50] + rows[50:100] == everything
        assert rows[3:3] == []
        for status in STATUSES:
            of_status = [row for row in everything if row["status"] == status]
            rows = listings.cohort_rows(cohort.pk, status)
            assert rows.count() == len(of_status)
            assert rows[0:51] == of_status
        assert listings.cohort_rows(cohort.pk, "nonsense")[0:60] == everything
        assert listings.cohort_rows(many["other"].pk, S.SUBMITTED).count() == 0


def _table_rows(response) -> int:
    return len(re.findall(r'<tr><td data-label="[^"]*"><a href="/proposals/\d+/decide/"', response))


def test_the_managers_page_shows_a_page_of_its_cohorts_proposals(client, world, many):
    url = reverse("proposals:manage", args=[many["cohort"].pk])
    client.force_login(world["manager"])
    first = client.get(url).content.decode()
    assert _table_rows(first) == 50
    assert _table_rows(client.get(url + "?page=2").content.decode()) == 5
    in_review = client.get(url + "?status=in_review").content.decode()
    assert _table_rows(in_review) == 14  # 2, 6, ..., 54
    newest = Proposal.objects.filter(cohort=many["cohort"]).order_by("-updated_at", "-id")[0]
    assert f'<a href="/proposals/{newest.pk}/decide/" dir="auto">{newest.title}</a>' in first
    client.force_login(StaffFactory())
    assert _table_rows(client.get(url).content.decode()) == 50
    # Another cohort's manager, a trainee of the cohort: not found.
    for person in (many["other"].memberships.get(role="manager").user, world["lead"]):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_empty_cohort_says_so(client, world):
    client.force_login(world["manager"])
    page = client.get(reverse("proposals:manage", args=[world["cohort"].pk])).content.decode()
    assert _table_rows(page) == 0
    assert 'colspan="4"' in page


def test_api_rows_are_what_the_serializer_writes_of_the_visible_proposals(world, many):
    proposal_at(world, S.IN_REVIEW)  # one with the world's reviewer assigned
    people = {
        "manager": world["manager"],
        "other_manager": many["other"].memberships.get(role="manager").user,
        "lead": world["lead"],
        "reviewer": world["reviewer"],
        "outsider": TraineeFactory(),
        "staff": StaffFactory(),
    }
    seen = {}
    for _ in range(2):
        for name, person in people.items():
            visible = Proposal.objects.visible_to(person).with_budget_total()
            visible = visible.order_by("-updated_at", "-id")
            for cohort, status in [(None, None), (many["cohort"].pk, None), (None, "draft")]:
                expected = visible
                if cohort:
                    expected = expected.filter(cohort=cohort)
                if status:
                    expected = expected.filter(status=status)
                rows = listings.visible_rows(person, cohort, status)
                assert rows.count() == expected.count(), name
                items = list_items(rows[0:100])
                assert items == ProposalListSerializer(expected, many=True).data, name
            seen[name] = listings.visible_rows(person, None, None).count()
    assert seen == {
        "manager": 56,
        "other_manager": 3,
        "lead": 59,
        "reviewer": 1,
        "outsider": 0,
        "staff": 59,
    }


def test_api_list_pages_and_filters(api_client, world, many):
    api_client.force_authenticate(world["manager"])
    url = reverse("api:proposal-list")
    body = api_client.get(url).json()
    assert body["count"] == 55 and len(body["results"]) == 25 and body["next"]
    totals = {row["id"]: row["budget_total_iqd"] for row in body["results"]}
    expected = Proposal.objects.with_budget_total().in_bulk(list(totals))
    assert totals == {pk: p.budget_total_iqd for pk, p in expected.items()}
    assert len(api_client.get(url + "?page=3").json()["results"]) == 5
    body = api_client.get(url, {"cohort": many["other"].pk}).json()
    assert body["count"] == 0 and body["results"] == []
    body = api_client.get(url, {"status": "submitted", "page_size": 100}).json()
    assert body["count"] == 14 and {row["status"] for row in body["results"]} == {"submitted"}
    assert api_client.get(url, {"cohort": 2**63 - 1}).json()["count"] == 0
    assert api_client.get(url, {"cohort": 2**63}).status_code == 400

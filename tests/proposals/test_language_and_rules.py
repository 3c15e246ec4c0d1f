"""Errors reach people in their language; the own-mentor rule; hostile text input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict
from proposals import completion, mentors, services
from proposals.models import Proposal
from tests.proposals.factories import proposal_at
from tests.proposals.test_views import form_data

S = Proposal.Status
pytestmark = pytest.mark.django_db


def test_api_conflict_message_in_arabic_by_default_and_english_on_request(api_client, world):
    proposal = proposal_at(world)
    url = reverse("api:proposal-transition", args=[proposal.pk])
    api_client.force_authenticate(world["lead"])
    arabic = api_client.post(url, {"action": "resubmit"}, format="json").json()
    assert "لا يمكن" in arabic["error"]["message"]
    english = api_client.post(
        url, {"action": "resubmit"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert "cannot be done" in english["error"]["message"]


def test_stale_edit_page_says_so_in_arabic(client, world):
    proposal = proposal_at(world)
    client.force_login(world["lead"])
    url = reverse("proposals:edit", args=[proposal.pk])
    client.post(url, form_data(version=1, title="أولى"))
    response = client.post(url, form_data(version=1, title="ثانية"))
    assert response.status_code == 409
    assert "حفظ شخص آخر تعديلات" in response.content.decode()


def test_nul_in_a_field_is_a_400_and_nothing_written(client, world):
    client.force_login(world["lead"])
    response = client.post(
        reverse("proposals:create", args=[world["cohort"].pk]), form_data(title="عنوان\x00")
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_own_mentor_is_skipped_when_the_cohort_says_so(world, monkeypatch):
    proposal = proposal_at(world, S.SUBMITTED)
    services.configure_rubric(
        actor=world["manager"], cohort=world["cohort"], exclude_own_mentor=True
    )
    monkeypatch.setattr(mentors, "mentor_of", lambda trainee, cohort: {world["reviewer"].pk})
    assignments, skipped = services.assign_reviewers(
        actor=world["manager"],
        proposals=[proposal],
        reviewers=[world["reviewer"]],
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert assignments == []
    assert [(p.pk, u.pk) for p, u in skipped] == [(proposal.pk, world["reviewer"].pk)]
    assert not proposal.assignments.exists()


def test_rubric_weights_are_bounded_and_frozen_once_used(world):
    with pytest.raises(ValidationError):
        services.configure_rubric(
            actor=world["manager"], cohort=world["cohort"], criteria=[{"name": "م", "weight": 0}]
        )
    proposal = proposal_at(world, S.APPROVED)
    assert proposal.status == S.APPROVED
    with pytest.raises(Conflict):
        services.configure_rubric(
            actor=world["manager"], cohort=world["cohort"], criteria=[{"name": "م", "weight": 1}]
        )


def test_dashboard_column_and_approved_initiative(world, django_assert_max_num_queries):
    proposal = proposal_at(world, S.APPROVED)
    user_ids = [world["lead"].pk, world["coauthor"].pk]
    with django_assert_max_num_queries(2):
        column = completion.initiative_by_trainee(world["cohort"], user_ids)
    assert column == {world["lead"].pk: f"{proposal.title} — {S.APPROVED.label}"}
    assert completion.has_approved_initiative(world["lead"], world["cohort"])
    assert not completion.has_approved_initiative(world["coauthor"], world["cohort"])

"""The proposal pages through the test client: journey, bad input, files, query budgets."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Proposal, Review, ReviewNote
from tests.factories import MentorFactory, TraineeFactory
from tests.proposals.factories import complete_data, proposal_at, score_all, team_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


def form_data(version=None, token=None, lines=(("قاعة", "3", "150000"),), **overrides):
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in complete_data(**overrides).items()
    }
    data.update({"budget-TOTAL_FORMS": str(len(lines)), "budget-INITIAL_FORMS": "0"})
    for i, (item, qty, cost) in enumerate(lines):
        data.update(
            {
                f"budget-{i}-item": item,
                f"budget-{i}-quantity": qty,
                f"budget-{i}-unit_cost_iqd": cost,
            }
        )
    if version is not None:
        data["version"] = str(version)
    if token is not None:
        data["form_token"] = str(token)
    return data


def test_create_page_double_post_makes_one_proposal(client, world):
    client.force_login(world["lead"])
    url = reverse("proposals:create", args=[world["cohort"].pk])
    assert client.get(url).status_code == 200
    token = uuid.uuid4()
    first = client.post(url, form_data(token=token))
    second = client.post(url, form_data(token=token))
    assert first.status_code == second.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.budget_total() == 450_000


@pytest.mark.parametrize(
    "lines",
    [(("قاعة", "-3", "100"),), (("قاعة", "3", "99999999999999999999"),), (("قاعة", "²", "100"),)],
)
def test_bad_budget_answers_400_in_arabic_and_writes_nothing(client, world, lines):
    client.force_login(world["lead"])
    response = client.post(
        reverse("proposals:create", args=[world["cohort"].pk]), form_data(lines=lines)
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    assert 'lang="ar"' in response.content.decode()


def test_end_before_start_answers_400(client, world):
    client.force_login(world["lead"])
    today = timezone.localdate()
    response = client.post(
        reverse("proposals:create", args=[world["cohort"].pk]),
        form_data(starts_on=today, ends_on=today - datetime.timedelta(days=2)),
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_stale_edit_answers_409_and_keeps_the_other_save(client, world):
    proposal = proposal_at(world)
    client.force_login(world["lead"])
    url = reverse("proposals:edit", args=[proposal.pk])
    assert client.post(url, form_data(version=1, title="أولى")).status_code == 302
    response = client.post(url, form_data(version=1, title="ثانية"))
    assert response.status_code == 409
    assert Proposal.objects.get().title == "أولى"


def test_submit_and_wrong_state_transition(client, world):
    proposal = proposal_at(world)
    client.force_login(world["lead"])
    url = reverse("proposals:transition", args=[proposal.pk, "submit"])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click: still one revision
    assert proposal.revisions.count() == 1
    response = client.post(reverse("proposals:transition", args=[proposal.pk, "resubmit"]))
    assert response.status_code == 409
    assert Proposal.objects.get().status == S.SUBMITTED


def test_review_form_refuses_bad_scores_and_non_assignees(client, world):
    proposal = proposal_at(world, S.IN_REVIEW)
    assignment = proposal.assignments.get()
    criteria = services.rubric_for(proposal.cohort).criteria.all()
    client.force_login(MentorFactory())
    assert client.get(reverse("proposals:review", args=[assignment.pk])).status_code == 404
    client.force_login(world["reviewer"])
    url = reverse("proposals:review", args=[assignment.pk])
    data = {f"score_{c.pk}": "4" for c in criteria}
    data[f"score_{criteria[0].pk}"] = "9"
    assert client.post(url, data).status_code == 400
    assert not Review.objects.exists()
    data[f"score_{criteria[0].pk}"] = "5"
    next_url = reverse("proposals:queue") + "?state=done"
    response = client.post(url, {**data, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url  # the queue's filter survives the action
    assert Review.objects.get().submitted_at is not None


def test_reviewers_read_and_answer_the_private_notes_on_their_review_page(client, world):
    """The notes managers and reviewers leave each other are on the reviewer's page, with a
    reply form; the team never sees them."""
    proposal = proposal_at(world, S.IN_REVIEW)
    review_url = reverse("proposals:review", args=[proposal.assignments.get().pk])
    note_url = reverse("proposals:note", args=[proposal.pk])
    client.force_login(world["manager"])
    client.post(note_url, {"body": "هل الميزانية واقعية؟", "next": review_url})
    question = ReviewNote.objects.get()

    client.force_login(world["reviewer"])
    page = client.get(review_url).content.decode()
    assert "هل الميزانية واقعية؟" in page and world["manager"].full_name in page
    response = client.post(
        note_url, {"body": "نعم، بعد خفض بند النقل", "parent": question.pk, "next": review_url}
    )
    assert response.status_code == 302 and response["Location"] == review_url
    reply = ReviewNote.objects.exclude(pk=question.pk).get()
    assert reply.parent == question and reply.author == world["reviewer"]
    assert "نعم، بعد خفض بند النقل" in client.get(review_url).content.decode()

    client.force_login(world["manager"])
    decide = client.get(reverse("proposals:decide", args=[proposal.pk])).content.decode()
    assert "نعم، بعد خفض بند النقل" in decide
    client.force_login(world["lead"])
    detail = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "هل الميزانية واقعية؟" not in detail and "نعم، بعد خفض" not in detail


def test_decision_page_publishes_and_team_sees_reviews_without_names(client, world):
    proposal = proposal_at(world, S.IN_REVIEW)
    score_all(proposal, world["reviewer"])
    client.force_login(world["lead"])
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "مقترح واعد" not in page
    assert client.get(reverse("proposals:decide", args=[proposal.pk])).status_code == 403
    client.force_login(world["manager"])
    url = reverse("proposals:decide", args=[proposal.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "approve", "message": "أحسنتم"}).status_code == 302
    assert client.post(url, {"decision": "approve", "message": "مرة أخرى"}).status_code == 409
    client.force_login(world["lead"])
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "مقترح واعد" in page
    assert world["reviewer"].full_name not in page


def test_attachment_is_served_as_a_download_to_the_team_only(client, world):
    proposal = proposal_at(world)
    client.force_login(world["lead"])
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 100)
    assert (
        client.post(reverse("proposals:attach", args=[proposal.pk]), {"file": upload}).status_code
        == 302
    )
    attachment = proposal.attachments.get()
    url = reverse("proposals:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(TraineeFactory())
    assert client.get(url).status_code == 404


def test_mislabelled_upload_answers_400(client, world):
    proposal = proposal_at(world)
    client.force_login(world["lead"])
    upload = SimpleUploadedFile("plan.pdf", b"<html>hello</html>")
    response = client.post(reverse("proposals:attach", args=[proposal.pk]), {"file": upload})
    assert response.status_code == 400
    assert not proposal.attachments.exists()


def test_compare_shows_changed_fields(client, world):
    proposal = proposal_at(world, S.CHANGES_REQUESTED)
    services.update_proposal(
        actor=world["lead"],
        proposal=proposal,
        expected_version=proposal.version,
        data={"risks": "خطر جديد"},
    )
    services.resubmit_proposal(actor=world["lead"], proposal=proposal)
    client.force_login(world["reviewer"])
    page = client.get(
        reverse("proposals:compare", args=[proposal.pk]) + "?a=1&b=²"
    ).content.decode()
    assert "خطر جديد" in page


def test_implementation_page_posts_progress(client, world):
    proposal = proposal_at(world, S.IN_IMPLEMENTATION)
    milestone = services.add_milestone(
        actor=world["lead"], proposal=proposal, title="الجلسة", due_on=timezone.localdate()
    )
    client.force_login(world["lead"])
    url = reverse("proposals:implementation", args=[proposal.pk])
    bad = client.post(
        url, {"action": "progress", "p-text": "x", f"p-percent_{milestone.pk}": "150"}
    )
    assert bad.status_code == 400
    ok = client.post(url, {"action": "progress", "p-text": "تم", f"p-percent_{milestone.pk}": "40"})
    assert ok.status_code == 302
    milestone.refresh_from_db()
    assert milestone.percent_complete == 40


def test_showcase_only_with_consent_and_first_names(client, world):
    shown = proposal_at(world, S.COMPLETED, title="مبادرة معروضة")
    Proposal.objects.filter(pk=shown.pk).update(
        showcase_consent=True, showcase_first_names_only=True
    )
    proposal_at(world, S.COMPLETED, title="مبادرة خاصة")
    page = client.get(reverse("proposals:showcase")).content.decode()
    assert "مبادرة معروضة" in page and "مبادرة خاصة" not in page
    assert world["lead"].full_name not in page
    assert world["lead"].get_short_name() in page


def _many(n, status=S.SUBMITTED):
    world = team_world()
    for i in range(n):
        proposal_at(world, status, title=f"مبادرة {i}")
    return world


@pytest.mark.parametrize("size", [2, 8])
def test_list_pages_run_constant_queries(client, size, django_assert_max_num_queries):
    world = _many(size, S.IN_REVIEW)
    client.force_login(world["lead"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("proposals:mine")).status_code == 200
    client.force_login(world["reviewer"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("proposals:queue") + "?state=all").status_code == 200
    client.force_login(world["manager"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("proposals:manage", args=[world["cohort"].pk])).status_code == 200
    with django_assert_max_num_queries(16):
        proposal = Proposal.objects.first()
        assert client.get(reverse("proposals:decide", args=[proposal.pk])).status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_showcase_runs_constant_queries(client, size, django_assert_max_num_queries):
    world = team_world()
    for i in range(size):
        p = proposal_at(world, S.COMPLETED, title=f"م {i}")
        Proposal.objects.filter(pk=p.pk).update(showcase_consent=True)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("proposals:showcase")).status_code == 200


def test_rubric_page_saves_cohort_settings(client, world):
    client.force_login(world["manager"])
    url = reverse("proposals:rubric", args=[world["cohort"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"exclude_own_mentor": "on", "proposal_deadline": "2099-01-31"})
    assert response.status_code == 302
    rubric = services.rubric_for(world["cohort"])
    assert rubric.exclude_own_mentor is True
    assert rubric.hide_reviewer_names is False
    assert rubric.proposal_deadline == datetime.date(2099, 1, 31)
    assert client.post(url, {"proposal_deadline": "not a date"}).status_code == 400

"""Eligibility, issue (idempotent, refused with reasons), revoke, re-issue, render, bulk, sweep."""

import hashlib

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from certificates import bulk, services
from certificates.models import BulkIssueRun, Certificate
from cohorts.models import Membership
from cohorts.services import mark_attendance
from core.errors import Conflict, PermissionDenied
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def issue(cohort, trainee, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)


def test_eligible_without_sessions_and_issue_is_idempotent(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    verdict = services.eligibility(cohort, trainee)
    assert verdict.eligible and verdict.reasons == []
    first = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    again = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    assert first.pk == again.pk
    assert Certificate.objects.filter(cohort=cohort, trainee=trainee).count() == 1
    first.refresh_from_db()
    assert first.name_ar == trainee.full_name and first.cohort_name_ar == cohort.name
    assert len(first.code) == 26 and first.short_code == first.code[:12]
    with first.file.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == first.sha256
    assert Notification.objects.filter(recipient=trainee, kind="certificates.issued").count() == 1
    assert AuditEvent.objects.filter(action="certificates.issue").count() == 1
    # Rendering twice changes nothing.
    assert services.render_and_store(first.pk) is False


def test_profile_edit_does_not_change_issued_certificate(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    cert = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    trainee.full_name = "اسم آخر"
    trainee.save(update_fields=["full_name"])
    cert.refresh_from_db()
    assert cert.name_ar != "اسم آخر"


def test_attendance_below_policy_is_refused_with_the_reason(
    cohort, trainee, manager, held_sessions
):
    mark_attendance(actor=manager, session=held_sessions[0], user=trainee, status="present")
    verdict = services.eligibility(cohort, trainee)
    assert not verdict.eligible
    assert verdict.attendance_percent == 50
    # Arabic, the default language, as the reasons are rendered where they are shown.
    assert "الحضور 50% من 75% المطلوبة" in verdict.explanation
    assert (
        explanation_with_initiative_required(cohort, trainee)
        == "الحضور 50% من 75% المطلوبة؛ لا توجد مبادرة معتمدة"
    )
    with pytest.raises(Conflict) as err:
        services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)
    assert err.value.code == "not_eligible" and "75" in err.value.message
    assert not Certificate.objects.exists()


def explanation_with_initiative_required(cohort, trainee):
    """The explanation with a second reason, an initiative the policy now asks for: in Arabic
    the reasons are joined with the Arabic semicolon."""
    cohort.requires_approved_initiative = True
    cohort.save(update_fields=["requires_approved_initiative"])
    return services.eligibility(cohort, trainee).explanation


def test_not_a_trainee_and_not_a_manager(cohort, trainee, mentor, outsider):
    assert not services.eligibility(cohort, outsider).eligible
    with pytest.raises(PermissionDenied):
        services.issue_certificate(cohort=cohort, trainee=trainee, actor=mentor)


def test_one_current_certificate_is_a_database_constraint(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    cert = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    cert.pk, cert.code, cert.short_code, cert.version = None, "X" * 26, "X" * 12, 2
    with pytest.raises(IntegrityError), transaction.atomic():
        cert.save()


def test_revoke_twice_conflicts_and_is_audited(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    cert = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    with pytest.raises(Exception):  # noqa: B017,PT011 - ValidationError for a blank reason
        services.revoke_certificate(certificate=cert, actor=manager, reason="  ")
    services.revoke_certificate(certificate=cert, actor=manager, reason="خطأ في الاسم")
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revoked_by == manager
    with pytest.raises(Conflict):
        services.revoke_certificate(certificate=cert, actor=manager, reason="again")
    assert AuditEvent.objects.filter(action="certificates.revoke").count() == 1
    assert Notification.objects.filter(kind="certificates.revoked").count() == 1


def test_reissue_supersedes_and_keeps_old_verifiable(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    old = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    trainee.full_name_latin = "Corrected Name"
    trainee.save(update_fields=["full_name_latin"])
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue_certificate(certificate=old, actor=manager, reason="spelling")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "superseded" and old.superseded_by == new
    assert new.version == 2 and new.name_latin == "Corrected Name" and new.sha256
    assert Certificate.objects.current().get(cohort=cohort, trainee=trainee) == new


def test_bulk_issue_counts_done_and_failures(
    cohort, trainee, manager, held_sessions, django_capture_on_commit_callbacks
):
    others = TraineeFactory.create_batch(2)
    for person in others:
        Membership.objects.create(cohort=cohort, user=person, role="trainee")
        for s in held_sessions:
            mark_attendance(actor=manager, session=s, user=person, status="present")
    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.start_bulk_issue(cohort=cohort, actor=manager)
    run.refresh_from_db()
    assert run.status == "finished" and run.total == 3
    assert (run.done, run.failed) == (2, 1)
    assert run.failures[0]["user"] == trainee.pk and "الحضور" in run.failures[0]["reason"]
    assert Certificate.objects.filter(cohort=cohort).count() == 2
    # Running the task again does nothing.
    assert bulk.run_bulk_issue(run.pk) is None
    assert BulkIssueRun.objects.get(pk=run.pk).done == 2


def test_sweep_issues_for_everyone_eligible(cohort, trainee, django_capture_on_commit_callbacks):
    assert bulk.sweep() == 0  # the cohort has not ended: attendance is not final
    assert bulk.issue_if_eligible(cohort.pk, trainee.pk) is None
    cohort.ends_on = cohort.starts_on
    cohort.save(update_fields=["ends_on"])
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk.sweep() == 1
        assert bulk.sweep() == 0
    assert Certificate.objects.get(trainee=trainee).issued_by is None


def test_late_requirement_in_an_ended_cohort_issues_at_once(
    cohort, trainee, django_capture_on_commit_callbacks
):
    cohort.ends_on = cohort.starts_on
    cohort.save(update_fields=["ends_on"])
    with django_capture_on_commit_callbacks(execute=True):
        cert = bulk.issue_if_eligible(cohort.pk, trainee.pk)
    assert cert is not None and cert.issued_by is None
    assert bulk.issue_if_eligible(cohort.pk, trainee.pk) is None  # twice: nothing more


# Reads for the whole cohort at once, one INSERT per chunk for the certificates and their audit;
# per certificate only its notification (the holder's preference is read by the e-mail task at
# send time, not here) and the claim of its stored PDF.
BULK_QUERIES = 20
BULK_QUERIES_PER_CERTIFICATE = 2


@pytest.mark.parametrize("others", [2, 7])
def test_bulk_issue_runs_a_constant_number_of_queries_per_certificate(
    cohort, trainee, manager, others, django_assert_num_queries
):
    for person in TraineeFactory.create_batch(others):
        Membership.objects.create(cohort=cohort, user=person, role="trainee")
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=manager, total=0)
    count = others + 1
    with django_assert_num_queries(BULK_QUERIES + BULK_QUERIES_PER_CERTIFICATE * count):
        bulk.run_bulk_issue(run.pk)
    run.refresh_from_db()
    assert (run.status, run.done, run.failed) == ("finished", count, 0)
    certificates = Certificate.objects.filter(cohort=cohort)
    assert certificates.count() == count and not certificates.filter(sha256="").exists()
    assert AuditEvent.objects.filter(action="certificates.issue").count() == count
    assert Notification.objects.filter(kind="certificates.issued").count() == count


def test_bulk_issue_keeps_a_certificate_issued_meanwhile(
    cohort, trainee, manager, django_capture_on_commit_callbacks
):
    other = TraineeFactory()
    Membership.objects.create(cohort=cohort, user=other, role="trainee")
    first = issue(cohort, trainee, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.start_bulk_issue(cohort=cohort, actor=manager)
    run.refresh_from_db()
    assert (run.done, run.failed) == (2, 0)
    assert Certificate.objects.current().get(cohort=cohort, trainee=trainee) == first
    assert Certificate.objects.filter(cohort=cohort).count() == 2
    assert Notification.objects.filter(recipient=trainee, kind="certificates.issued").count() == 1


def test_bulk_issue_falls_back_to_one_by_one_when_the_constraint_refuses(
    cohort, trainee, manager, monkeypatch, django_capture_on_commit_callbacks
):
    """A certificate issued between the run's read of the holders and its INSERT: the batch is
    refused by the one-current constraint and each trainee is issued alone, idempotently."""
    other = TraineeFactory()
    Membership.objects.create(cohort=cohort, user=other, role="trainee")
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=manager, total=0)
    real = services.render_signatories

    def issue_meanwhile(cohort_id):
        monkeypatch.setattr(services, "render_signatories", real)
        services._new_certificate(cohort, trainee, actor=manager)
        return real(cohort_id)

    monkeypatch.setattr(services, "render_signatories", issue_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.run_bulk_issue(run.pk)
    assert (run.done, run.failed) == (2, 0)
    assert Certificate.objects.filter(cohort=cohort, trainee=trainee).count() == 1
    assert Certificate.objects.get(cohort=cohort, trainee=other).sha256


def test_a_database_failure_while_storing_the_pdf_leaves_no_file(
    cohort, trainee, manager, monkeypatch
):
    cert = services._new_certificate(cohort, trainee, actor=manager)
    storage = cert.file.storage
    name = f"certificates/{cert.code}-v{cert.version}.pdf"

    def database_down():
        raise DatabaseError("the database went away")

    monkeypatch.setattr(services.timezone, "now", database_down)
    with pytest.raises(DatabaseError):
        services.render_and_store(cert.pk)
    monkeypatch.undo()
    assert not storage.exists(name)
    cert.refresh_from_db()
    assert cert.sha256 == "" and not cert.file
    # The next attempt (the sweep's) stores it.
    assert services.render_and_store(cert.pk) is True
    cert.refresh_from_db()
    assert cert.file.name == name and storage.exists(name)

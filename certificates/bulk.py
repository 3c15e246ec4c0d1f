"""Certificates issued many at a time: a manager's bulk issue, and the sweeps that issue what
is due (ended cohorts, a late completion) and enqueue again what lost its message."""

import datetime
import logging
import uuid

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cohorts.models import BAGHDAD, Cohort, Membership
from core.jobs import enqueue
from core.models import record, record_many
from notifications.services import notify

from .eligibility import eligibility, eligibility_for_cohort
from .models import BulkIssueRun, Certificate
from .notifications import CERTIFICATE_ISSUED
from .services import (
    _check_manager,
    _enqueue_render,
    _params,
    _programme,
    _unsaved_certificate,
    issue_certificate,
    render_and_store,
    render_certificate,
    render_signatories,
)

logger = logging.getLogger(__name__)

CHUNK = 100  # trainees per transaction of a bulk run


def start_bulk_issue(*, cohort: Cohort, actor) -> BulkIssueRun:
    _check_manager(actor, cohort)
    running = BulkIssueRun.objects.filter(
        cohort=cohort, status__in=[BulkIssueRun.Status.QUEUED, BulkIssueRun.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    total = Membership.objects.active().trainees().filter(cohort=cohort).count()
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=actor, total=total)
    record(actor=actor, action="certificates.bulk_issue", target=run)
    # As for renders: an enqueue that fails leaves the run queued, and the sweep starts it.
    transaction.on_commit(lambda: bulk_issue.delay(run.pk), robust=True)
    return run


def _issue_many(cohort: Cohort, trainees: list, *, programme, issued_on) -> list[Certificate]:
    """Issue to trainees who hold no current certificate, in one INSERT each for the
    certificates and the audit, one notification each. Returns the new certificates. When the
    one-current constraint refuses the batch (a certificate issued meanwhile by a click or the
    sweep), falls back to one idempotent issue per trainee, whose renders are enqueued."""
    rows = [
        _unsaved_certificate(cohort, t, actor=None, programme=programme, issued_on=issued_on)
        for t in trainees
    ]
    try:
        with transaction.atomic():
            created = Certificate.objects.bulk_create(rows)
    except IntegrityError:
        for trainee in trainees:
            issue_certificate(cohort=cohort, trainee=trainee, actor=None, check=False)
        return []
    record_many(actor=None, action="certificates.issue", targets=created, bulk=True)
    url = reverse("certificates:mine")
    for certificate in created:
        notify(
            recipient=certificate.trainee,
            kind=CERTIFICATE_ISSUED.key,
            params=_params(certificate),
            url=url,
        )
    return created


def _render_now(certificates: list[Certificate], signatories) -> None:
    """A bulk run renders in its own (prefork) worker, signatories read once; a render that
    fails goes to a task of its own, so the run carries on."""
    for certificate in certificates:
        try:
            render_and_store(certificate.pk, signatories, certificate=certificate)
        except Exception:  # noqa: BLE001 - the certificate is issued; its PDF is retried alone
            logger.exception("Rendering certificate %s failed; retried as a task", certificate.pk)
            _enqueue_render(certificate.pk)


def run_bulk_issue(run_id: int, token: str = "") -> BulkIssueRun | None:
    """Issue for every active trainee: eligible ones get a certificate (or keep theirs), the
    others count as failures with the reason. Safe to run twice: a finished run does nothing,
    an interrupted one starts over and counts each trainee once.

    Reads are for the whole cohort at once (eligibility, trainees, who already holds one,
    signatories); writes go by chunks of CHUNK trainees, one transaction each (certificates and
    audit in one INSERT each, one notification per trainee whose e-mail is enqueued after
    commit), then the chunk's PDFs are rendered here. A constant number of queries per chunk
    plus two per certificate (its notification and the stored file's claim)."""
    # Taken when queued, when its worker is gone (no progress for STALE_RUN), or by the very
    # message that took it (redelivered after its worker died): a duplicate message meanwhile
    # finds it taken and does nothing.
    token = token or uuid.uuid4().hex
    now = timezone.now()
    Status = BulkIssueRun.Status
    claimed = BulkIssueRun.objects.filter(
        Q(status=Status.QUEUED)
        | Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE_RUN)
        | Q(status=Status.RUNNING, heartbeat_at__isnull=True)
        | Q(status=Status.RUNNING, claimed_by=token),
        pk=run_id,
    ).update(
        status=Status.RUNNING,
        done=0,
        failed=0,
        failures=[],
        heartbeat_at=now,
        claimed_by=token,
    )
    if not claimed:
        return None
    run = BulkIssueRun.objects.select_related("cohort").get(pk=run_id)
    cohort = run.cohort
    verdicts = eligibility_for_cohort(cohort)
    BulkIssueRun.objects.filter(pk=run_id).update(total=len(verdicts))
    trainees = {
        m.user_id: m.user
        for m in Membership.objects.active().trainees().filter(cohort=cohort).select_related("user")
    }
    held = list(Certificate.objects.current().filter(cohort=cohort))
    holders = {certificate.trainee_id for certificate in held}
    signatories = render_signatories(cohort.pk)
    # An earlier attempt of this run may have died between a chunk's commit and its PDFs: its
    # certificates count as held below, and their PDFs are rendered here.
    _render_now([certificate for certificate in held if not certificate.sha256], signatories)
    programme = _programme(cohort)
    issued_on = timezone.localtime(timezone.now(), BAGHDAD).date()
    done, failures = 0, []
    items = list(verdicts.items())
    for first in range(0, len(items), CHUNK):
        todo = []
        for user_id, verdict in items[first : first + CHUNK]:
            if not verdict.eligible:
                failures.append(
                    {"user": user_id, "name": verdict.name, "reason": verdict.explanation}
                )
            elif user_id in holders:
                done += 1  # keeps the certificate they hold
            else:
                todo.append(trainees[user_id])
        created = []
        if todo:
            try:
                with transaction.atomic():
                    created = _issue_many(cohort, todo, programme=programme, issued_on=issued_on)
                done += len(todo)
            except Exception as exc:  # noqa: BLE001 - one chunk's failure must not stop the run
                logger.exception("Bulk issue run %s: a chunk failed", run_id)
                failures.extend(
                    {"user": t.pk, "name": verdicts[t.pk].name, "reason": str(exc)} for t in todo
                )
        BulkIssueRun.objects.filter(pk=run_id).update(
            done=done, failed=len(failures), failures=failures, heartbeat_at=timezone.now()
        )
        _render_now(created, signatories)
    BulkIssueRun.objects.filter(pk=run_id).update(
        done=done,
        failed=len(failures),
        failures=failures,
        status=BulkIssueRun.Status.FINISHED,
        finished_at=timezone.now(),
    )
    return BulkIssueRun.objects.get(pk=run_id)


# A killed worker's message comes back (acks_late and reject_on_worker_lost, as every task's,
# config/settings/base.py) and takes its run back; a run whose message was lost, or stopped by
# the time limit, is started again by `sweep_unfinished`. Either way it starts over, counting
# each trainee once.
@shared_task(bind=True, name="certificates.bulk_issue")
def bulk_issue(self, run_id: int) -> None:
    # The message's task id is the claim's token: it survives a redelivery.
    run_bulk_issue(run_id, token=self.request.id or "")


def ended_cohorts(now=None):
    """Cohorts whose certificates are issued automatically: completed, or running past their
    end date (attendance is judged over every session, so not before the cohort ends)."""
    today = timezone.localtime(now or timezone.now(), BAGHDAD).date()
    return Cohort.objects.filter(
        Q(status=Cohort.Status.COMPLETED) | Q(status=Cohort.Status.RUNNING, ends_on__lt=today)
    )


def sweep(*, now=None) -> int:
    """Issue for everyone eligible in ended cohorts who has no certificate yet."""
    issued = 0
    for cohort in ended_cohorts(now):
        have = set(
            Certificate.objects.current().filter(cohort=cohort).values_list("trainee_id", flat=True)
        )
        verdicts = eligibility_for_cohort(cohort, now=now)
        todo = [uid for uid, v in verdicts.items() if v.eligible and uid not in have]
        if not todo:
            continue
        users = {
            m.user_id: m.user
            for m in Membership.objects.active()
            .trainees()
            .filter(cohort=cohort, user_id__in=todo)
            .select_related("user")
        }
        for uid in todo:
            issue_certificate(cohort=cohort, trainee=users[uid], known=verdicts[uid])
            issued += 1
    return issued


def issue_if_eligible(cohort_id: int, user_id: int) -> Certificate | None:
    """Issue the trainee's certificate now if they meet the policy (safe to run twice)."""
    member = (
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id, user_id=user_id, cohort__in=ended_cohorts())
        .select_related("cohort", "user")
        .first()
    )
    if member is None:
        return None
    if Certificate.objects.current().filter(cohort_id=cohort_id, trainee_id=user_id).exists():
        return None
    verdict = eligibility(member.cohort, member.user)
    if not verdict.eligible:
        return None
    return issue_certificate(cohort=member.cohort, trainee=member.user, known=verdict)


@shared_task(name="certificates.issue_if_eligible")
def issue_if_eligible_task(cohort_id: int, user_id: int) -> None:
    issue_if_eligible(cohort_id, user_id)


def course_progress_changed(user_ids, course_id: int) -> None:
    """courses.snapshots listener: a course figure of these trainees moved. In ended cohorts
    whose curriculum holds the course, check them after commit (the late completion of the last
    requirement issues the certificate at once; the nightly sweep catches anything else)."""
    pairs = list(
        Membership.objects.active()
        .trainees()
        .filter(
            user_id__in=list(user_ids),
            cohort__curriculum__course_id=course_id,
            cohort__in=ended_cohorts(),
        )
        .values_list("cohort_id", "user_id")
    )
    for cohort_id, user_id in pairs:
        transaction.on_commit(
            lambda c=cohort_id, u=user_id: issue_if_eligible_task.delay(c, u), robust=True
        )


@shared_task(name="certificates.sweep_certificates")
def sweep_certificates() -> int:
    return sweep()


# A certificate without its PDF this long after issue lost its render (the enqueue failed, the
# render failed); a queued run this old lost its message; a running one whose progress has not
# moved for longer than the tasks' hard time limit (CELERY_TASK_TIME_LIMIT, 5 minutes) has no
# worker any more.
RENDER_GRACE = datetime.timedelta(minutes=5)
QUEUED_RUN_GRACE = datetime.timedelta(minutes=2)
STALE_RUN = datetime.timedelta(minutes=10)
SWEEP_BATCH = 500


def sweep_unfinished(*, now=None) -> tuple[int, int]:
    """Enqueue again what lost its message: renders of certificates issued without a PDF, and
    bulk runs never started or left running by a dead worker (both idempotent). Returns
    (renders, runs) enqueued."""
    now = now or timezone.now()
    # Not those whose render failed MAX_RENDER_ATTEMPTS times: they wait for a manager's retry.
    renders = list(
        Certificate.objects.to_render()
        .filter(issued_at__lt=now - RENDER_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    Status = BulkIssueRun.Status
    waited = now - QUEUED_RUN_GRACE
    runs = list(
        BulkIssueRun.objects.filter(
            Q(status=Status.QUEUED, created_at__lt=waited, heartbeat_at__isnull=True)
            | Q(status=Status.QUEUED, heartbeat_at__lt=waited)
            | Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE_RUN)
            | Q(status=Status.RUNNING, heartbeat_at__isnull=True)
        ).values_list("pk", flat=True)
    )
    for pk in renders:
        enqueue(render_certificate, pk)
    for pk in runs:
        # Queued again for the new message; the next sweeps leave it alone while that message
        # is on its way.
        BulkIssueRun.objects.filter(pk=pk).update(
            status=Status.QUEUED, heartbeat_at=now, claimed_by=""
        )
        enqueue(bulk_issue, pk)
    if renders or runs:
        logger.warning(
            "Re-enqueued %s certificate renders and %s bulk runs", len(renders), len(runs)
        )
    return len(renders), len(runs)


@shared_task(name="certificates.sweep_unfinished")
def sweep_unfinished_task() -> tuple[int, int]:
    return sweep_unfinished()

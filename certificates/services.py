"""Certificates: issue, revoke, re-issue, rendering and bulk issue (with their tasks).

Who is eligible is decided in certificates.eligibility (re-exported here).
"""

import datetime
import hashlib
import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohorts.models import BAGHDAD, Cohort, Membership
from core.errors import Conflict, PermissionDenied
from core.jobs import enqueue
from core.models import record, record_many
from core.tracks import Track
from notifications.services import notify

from . import pdf
from .eligibility import (
    Eligibility,
    certificate_column,
    eligibility,
    eligibility_for_cohort,
    eligibility_of_rows,
)
from .models import BulkIssueRun, Certificate, Signatory, display_code, new_code
from .notifications import CERTIFICATE_ISSUED, CERTIFICATE_REVOKED

logger = logging.getLogger(__name__)


# --- issue, revoke, re-issue ----------------------------------------------------------------


def _check_manager(actor, cohort: Cohort) -> None:
    if actor is not None and not Cohort.objects.managed_by(actor).filter(pk=cohort.pk).exists():
        raise PermissionDenied(_("Only the cohort's managers may do this."))


def _programme(cohort: Cohort) -> tuple[str, str]:
    """The programme printed on the certificate: the cohort's track, in both languages."""
    label = Track(cohort.track).label if cohort.track in Track.values else cohort.track
    with translation.override("ar"):
        ar = str(label)
    with translation.override("en"):
        en = str(label)
    return ar, en


def _unsaved_certificate(
    cohort: Cohort, trainee, *, actor, version: int = 1, programme=None, issued_on=None
) -> Certificate:
    """The certificate as printed today: names, programme and dates copied from their sources."""
    programme_ar, programme_en = programme or _programme(cohort)
    code = new_code()
    return Certificate(
        cohort=cohort,
        trainee=trainee,
        version=version,
        code=code,
        short_code=code[:12],
        name_ar=trainee.full_name,
        name_latin=trainee.full_name_latin,
        programme_ar=programme_ar,
        programme_en=programme_en,
        cohort_name_ar=cohort.name,
        cohort_name_en=cohort.name_en,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        issued_on=issued_on or timezone.localtime(timezone.now(), BAGHDAD).date(),
        language=getattr(trainee, "preferred_language", "ar") or "ar",
        issued_by=actor if getattr(actor, "pk", None) else None,
    )


def _new_certificate(cohort: Cohort, trainee, *, actor, version: int = 1) -> Certificate:
    certificate = _unsaved_certificate(cohort, trainee, actor=actor, version=version)
    certificate.save(force_insert=True)
    return certificate


def _params(certificate: Certificate, **extra) -> dict:
    return {"cohort": certificate.cohort_name_ar, "cohort_en": certificate.cohort_name_en, **extra}


def issue_certificate(
    *, cohort: Cohort, trainee, actor=None, check: bool = True, known: Eligibility | None = None
) -> Certificate:
    """Issue the trainee's certificate for the cohort, or return the current one: safe under
    retries, duplicate tasks and double clicks (the one-current constraint decides). `actor`
    None is the system (the sweep). Not eligible -> Conflict with the reasons in words."""
    _check_manager(actor, cohort)
    current = Certificate.objects.current().filter(cohort=cohort, trainee=trainee).first()
    if current is not None:
        return current
    if check:
        verdict = known or eligibility(cohort, trainee)
        if not verdict.eligible:
            raise Conflict(
                _("Not eligible: %(reasons)s.") % {"reasons": verdict.explanation},
                code="not_eligible",
            )
    try:
        with transaction.atomic():
            certificate = _new_certificate(cohort, trainee, actor=actor)
            record(actor=actor, action="certificates.issue", target=certificate)
            notify(
                recipient=trainee,
                kind=CERTIFICATE_ISSUED.key,
                params=_params(certificate),
                url=reverse("certificates:mine"),
            )
    except IntegrityError:
        # Someone else issued it between our read and our insert: theirs is the one.
        return Certificate.objects.current().get(cohort=cohort, trainee=trainee)
    _enqueue_render(certificate.pk)
    return certificate


def revoke_certificate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason or "\x00" in reason or len(reason) > 1000:
        raise ValidationError({"reason": _("Give the reason for revoking (up to 1000 letters).")})
    _check_manager(actor, certificate.cohort)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            raise Conflict(_("This certificate is not valid any more."), code="not_valid")
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
        record(actor=actor, action="certificates.revoke", target=locked, reason=reason)
        notify(
            recipient=locked.trainee,
            kind=CERTIFICATE_REVOKED.key,
            params=_params(locked, reason=reason),
            url=reverse("certificates:mine"),
        )
    return locked


def reissue_certificate(*, certificate: Certificate, actor, reason: str = "") -> Certificate:
    """A new version with the trainee's current names (e.g. after a correction); the old one
    stays verifiable as superseded."""
    _check_manager(actor, certificate.cohort)
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status == Certificate.Status.SUPERSEDED:
            raise Conflict(_("This certificate was already replaced."), code="superseded")
        old.status = Certificate.Status.SUPERSEDED
        old.save(update_fields=["status"])
        new = _new_certificate(old.cohort, old.trainee, actor=actor, version=old.version + 1)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        record(
            actor=actor, action="certificates.reissue", target=new, replaces=old.pk, reason=reason
        )
    _enqueue_render(new.pk)
    return new


# --- rendering ----------------------------------------------------------------------------


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificates:verify", args=[certificate.code])


def render_signatories(cohort_id: int) -> tuple[pdf.Signatory, ...]:
    """The cohort's signatories as the renderer takes them, signature images read once."""
    out = []
    for s in Signatory.objects.filter(cohort_id=cohort_id):
        image = None
        if s.signature:
            try:
                with s.signature.open("rb") as f:
                    image = f.read(2_000_000)
            except OSError:
                image = None
        out.append(pdf.Signatory(s.name_ar, s.name_en, s.title_ar, s.title_en, image))
    return tuple(out)


def certificate_data(certificate: Certificate, signatories=None) -> pdf.CertificateData:
    """`signatories`: from render_signatories (a bulk run reads them once), else read here."""
    if signatories is None:
        signatories = render_signatories(certificate.cohort_id)
    return pdf.CertificateData(
        code=certificate.code,
        display_code=display_code(certificate.code),
        verify_url=verify_url(certificate),
        name_ar=certificate.name_ar,
        name_latin=certificate.name_latin,
        programme_ar=certificate.programme_ar,
        programme_en=certificate.programme_en,
        cohort_ar=certificate.cohort_name_ar,
        cohort_en=certificate.cohort_name_en or certificate.cohort_name_ar,
        issued_on=certificate.issued_on,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        version=certificate.version,
        signatories=tuple(signatories),
    )


def render_and_store(certificate_id: int, signatories=None, *, certificate=None) -> bool:
    """Render the PDF and store it with its SHA-256; does nothing if already stored. A bulk run
    passes the certificate it just created (no read) and the signatories it read once."""
    if certificate is None:
        certificate = Certificate.objects.filter(pk=certificate_id, sha256="").first()
    if certificate is None or certificate.sha256:
        return False
    data = pdf.render(certificate_data(certificate, signatories))
    digest = hashlib.sha256(data).hexdigest()
    name = certificate.file.storage.save(
        f"certificates/{certificate.code}-v{certificate.version}.pdf", ContentFile(data)
    )
    try:
        claimed = Certificate.objects.filter(pk=certificate_id, sha256="").update(
            file=name, sha256=digest, rendered_at=timezone.now()
        )
    except Exception:
        # The row could not take the file (the database failed): no file without its row.
        certificate.file.storage.delete(name)
        raise
    if not claimed:  # a duplicate task stored it first: drop our copy
        certificate.file.storage.delete(name)
    return bool(claimed)


@shared_task(name="certificates.render_certificate")
def render_certificate(certificate_id: int) -> bool:
    """One attempt at the PDF, counted before it starts. Past MAX_RENDER_ATTEMPTS nothing is
    tried until a manager retries (`retry_failed_renders`); the last failure is logged."""
    started = (
        Certificate.objects.to_render()
        .filter(pk=certificate_id)
        .update(render_attempts=F("render_attempts") + 1)
    )
    if not started:  # stored already, or given up on
        return False
    try:
        return render_and_store(certificate_id)
    except Exception:
        attempts = Certificate.objects.values_list("render_attempts", flat=True)
        if (attempts.filter(pk=certificate_id).first() or 0) >= Certificate.MAX_RENDER_ATTEMPTS:
            logger.exception(
                "Gave up on the PDF of certificate %s; its cohort's managers can retry it from "
                "their certificates page",
                certificate_id,
            )
        raise


def _enqueue_render(certificate_id: int) -> None:
    # robust: a broker that cannot be reached is logged, not raised into the committed issue;
    # `sweep_unfinished` renders the certificate a few minutes later.
    transaction.on_commit(lambda: render_certificate.delay(certificate_id), robust=True)


def retry_failed_renders(*, cohort: Cohort, actor) -> int:
    """A manager's retry of the cohort's PDFs that could not be made: their attempts count
    from zero again and each is rendered (a task each, after commit). Returns how many."""
    _check_manager(actor, cohort)
    with transaction.atomic():
        failed = list(
            Certificate.objects.current()
            .render_failed()
            .filter(cohort=cohort)
            .values_list("pk", flat=True)
        )
        if not failed:
            return 0
        Certificate.objects.filter(pk__in=failed, sha256="").update(render_attempts=0)
        record(actor=actor, action="certificates.retry_renders", target=cohort, ids=failed)
        for pk in failed:
            _enqueue_render(pk)
    return len(failed)


# --- bulk issue and the nightly sweep ---------------------------------------------------------

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


__all__ = [
    "Eligibility",
    "certificate_column",
    "eligibility",
    "eligibility_for_cohort",
    "eligibility_of_rows",
    "issue_certificate",
    "reissue_certificate",
    "retry_failed_renders",
    "revoke_certificate",
    "render_and_store",
    "start_bulk_issue",
    "sweep",
]

"""Certificates: issue, revoke, re-issue and rendering (with its task).

Who is eligible is decided in certificates.eligibility (re-exported here); bulk issue and the
sweeps that issue and render what is due are in certificates.bulk.
"""

import hashlib
import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohorts.models import BAGHDAD, Cohort
from core.errors import Conflict, PermissionDenied
from core.models import record
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
from .models import Certificate, Signatory, display_code, new_code
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


def failed_renders(cohort: Cohort):
    """The cohort's current certificates whose PDF could not be made (the managers' page counts
    them, `retry_failed_renders` tries them again)."""
    return Certificate.objects.current().render_failed().filter(cohort=cohort)


def retry_failed_renders(*, cohort: Cohort, actor) -> int:
    """A manager's retry of the cohort's PDFs that could not be made: their attempts count
    from zero again and each is rendered (a task each, after commit). Returns how many."""
    _check_manager(actor, cohort)
    with transaction.atomic():
        failed = list(failed_renders(cohort).values_list("pk", flat=True))
        if not failed:
            return 0
        Certificate.objects.filter(pk__in=failed, sha256="").update(render_attempts=0)
        record(actor=actor, action="certificates.retry_renders", target=cohort, ids=failed)
        for pk in failed:
            _enqueue_render(pk)
    return len(failed)


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
]

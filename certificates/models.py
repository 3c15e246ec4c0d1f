"""Completion certificates: what was printed, its file and hash, its status; the signatories of a
cohort's certificates; the progress of a bulk issue run."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, access_key

# Crockford's base32: no I, L, O, U, so a code read aloud or typed is hard to get wrong.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 26  # 130 bits of randomness
SHORT_LENGTH = 12  # the printed, typable form: XXXX-XXXX-XXXX (60 bits, unique too)
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str | None:
    """A code as typed or scanned -> its canonical form, or None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = raw.upper().translate(_TYPO)
    if len(code) not in (CODE_LENGTH, SHORT_LENGTH) or any(ch not in ALPHABET for ch in code):
        return None
    return code


def is_short_code(code: str) -> bool:
    """Whether a canonical code is the short one printed for people (else the full code)."""
    return len(code) != CODE_LENGTH


def display_code(code: str) -> str:
    short = code[:SHORT_LENGTH]
    return "-".join(short[i : i + 4] for i in range(0, SHORT_LENGTH, 4))


class CertificateQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=Certificate.Status.SUPERSEDED)

    def managed_by(self, user):
        return self.filter(cohort__in=Cohort.objects.managed_by(user))

    def visible_to(self, user):
        """THE read path: the holder their own; the cohort's managers (and staff) theirs."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.visible_to_person(user.pk, **access_key(user))

    def visible_to_person(self, user_id: int, *, signed_in: bool, staff: bool):
        """`visible_to` for a signed-in person given by id and flags (`access_key`): the one
        rule, which the API's list builds as stored SQL (core.compiled) from the id."""
        managed = Cohort.objects.managed_by_person(user_id, signed_in=signed_in, staff=staff)
        return self.filter(Q(trainee=user_id) | Q(cohort__in=managed))

    def to_render(self):
        """Certificates without a PDF that may still be tried (fewer than MAX_RENDER_ATTEMPTS)."""
        return self.filter(sha256="", render_attempts__lt=Certificate.MAX_RENDER_ATTEMPTS)

    def render_failed(self):
        """Certificates whose PDF could not be made in MAX_RENDER_ATTEMPTS attempts."""
        return self.filter(sha256="", render_attempts__gte=Certificate.MAX_RENDER_ATTEMPTS)

    def by_code(self, raw: str):
        code = normalize_code(raw)
        if code is None:
            return self.none()
        return self.with_code(code, short=is_short_code(code))

    def with_code(self, code: str, *, short: bool):
        """The certificate of a canonical code (`normalize_code`), full or short (its prefix)."""
        return self.filter(short_code=code) if short else self.filter(code=code)


class Certificate(models.Model):
    # Render tasks a PDF gets; after that many without one the sweep stops sending it again,
    # and the cohort's managers see it on their certificates page and may retry it.
    MAX_RENDER_ATTEMPTS = 5

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("cohort")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("trainee"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True)
    short_code = models.CharField(_("short code"), max_length=SHORT_LENGTH, unique=True)
    # What was printed, frozen at issue: later profile or cohort edits change nothing.
    name_ar = models.CharField(_("name (Arabic)"), max_length=150, blank=True)
    name_latin = models.CharField(_("name (Latin letters)"), max_length=150, blank=True)
    programme_ar = models.CharField(_("programme (Arabic)"), max_length=200)
    programme_en = models.CharField(_("programme (English)"), max_length=200)
    cohort_name_ar = models.CharField(_("cohort (Arabic)"), max_length=200)
    cohort_name_en = models.CharField(_("cohort (English)"), max_length=200, blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    issued_on = models.DateField(_("issue date"))
    language = models.CharField(_("language"), max_length=5, default="ar")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    file = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    # Render tasks started for the PDF (counted as each starts, so a worker killed mid-render
    # counts too); back to 0 when a manager retries.
    render_attempts = models.PositiveSmallIntegerField(_("PDF render attempts"), default=0)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, max_length=1000)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["cohort", "trainee", "-version"]
        constraints = [
            # Exactly one current certificate per trainee and cohort, whatever the retries.
            models.UniqueConstraint(
                fields=["cohort", "trainee"],
                condition=~Q(status="superseded"),
                name="certificates_one_current",
            ),
            models.UniqueConstraint(
                fields=["cohort", "trainee", "version"], name="certificates_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "revoked", "superseded"]),
                name="certificates_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.display_code} — {self.name_latin or self.name_ar}"

    @property
    def display_code(self) -> str:
        return display_code(self.code)


class Signatory(models.Model):
    """Who signs a cohort's certificates, in order (right to left on the page)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("cohort")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=150, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    signature = models.FileField(_("signature image"), upload_to="signatures/", blank=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["cohort", "position", "id"]

    def __str__(self):
        return self.name_ar


class BulkIssueRun(models.Model):
    """One "issue for the whole cohort" request and its progress (read by the progress bar)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="bulk_issue_runs", verbose_name=_("cohort")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # [{"user": id, "name": "...", "reason": "..."}]
    failures = models.JSONField(_("failures"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moved on when a worker takes the run and after each chunk: a running run whose heartbeat
    # stopped lost its worker, and the sweep starts it again (certificates.bulk).
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    # The task message holding the run (its id survives a redelivery after its worker died).
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("bulk issue run")
        verbose_name_plural = _("bulk issue runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "finished"]),
                name="certificates_bulk_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.cohort} — {self.done + self.failed}/{self.total}"

    @property
    def percent(self) -> int:
        return (self.done + self.failed) * 100 // self.total if self.total else 100

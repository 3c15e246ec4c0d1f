"""The notification kinds of certificates, registered by `CertificatesConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind


def _cohort_params(params: dict) -> dict:
    return {**params, "cohort": kinds.localized(params, "cohort")}


CERTIFICATE_ISSUED = Kind(
    "certificates.issued",
    title=_("Your certificate is ready"),
    body=_(
        "Congratulations: you completed “%(cohort)s”. Your certificate can be downloaded from "
        "your certificates page."
    ),
    prepare=_cohort_params,
)
CERTIFICATE_REVOKED = Kind(
    "certificates.revoked",
    title=_("Your certificate was revoked"),
    body=_("Your certificate for “%(cohort)s” was revoked. Reason: %(reason)s"),
    prepare=_cohort_params,
    # A revoked certificate may no longer be shown as proof: its holder must learn it.
    can_turn_off=False,
    digestible=False,
)
KINDS = (CERTIFICATE_ISSUED, CERTIFICATE_REVOKED)


def register_kinds() -> None:
    kinds.register_all(KINDS)

"""Open Badges 3.0: the certificate as an OpenBadgeCredential, signed as a VC-JWT with Ed25519.

The key is `settings.CERTIFICATES_SIGNING_KEY` (an Ed25519 private key in PEM); when empty, a key
derived from SECRET_KEY, good for development and tests only. The public key is published as a
JWK on the issuer page, so anyone can check a credential; the verify page checks one pasted in.
"""

import base64
import datetime
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from core.compiled import Shape
from proposals.models import Proposal, TeamMember

from .models import Certificate
from .pdf import CENTER_AR, CENTER_EN

CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    pem = settings.CERTIFICATES_SIGNING_KEY
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CERTIFICATES_SIGNING_KEY must be an Ed25519 key")
        return key
    seed = hashlib.sha256(b"certificates-open-badges:" + settings.SECRET_KEY.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_id() -> str:
    return _site() + reverse("certificates:issuer")


def public_jwk() -> dict:
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": issuer_id() + "#key-1"}


def _showcased(cohort_id, trainee_id):
    """The showcased initiatives of the cohort that this person leads or joined (accepted)."""
    return (
        Proposal.objects.showcased()
        .filter(cohort_id=cohort_id)
        .filter(
            Q(lead_id=trainee_id)
            | Q(team_members__user_id=trainee_id, team_members__status=TeamMember.Status.ACCEPTED)
        )
        .distinct()
        .order_by("pk")
        .only("pk", "title")
    )


# Compiled once per connection (core.compiled): every credential asks it.
_SHOWCASED = Shape(_showcased)


def evidence(certificate: Certificate) -> list[dict]:
    """The holder's initiatives of the cohort that are in the public showcase (completed, with
    the team's consent), each linking to its showcase page; none otherwise."""
    showcased = _SHOWCASED.list(certificate.cohort_id, certificate.trainee_id)
    return [
        {
            "id": _site() + reverse("proposals:showcase_item", args=[proposal.pk]),
            "type": ["Evidence"],
            "name": proposal.title,
            "genre": "Initiative",
            "description": (
                "مبادرة شبابية نُفِّذت ضمن البرنامج. A youth initiative carried out in the programme."
            ),
        }
        for proposal in showcased
    ]


def credential(certificate: Certificate) -> dict:
    """The OpenBadgeCredential (achievement text in Arabic and English; evidence: the holder's
    initiatives in the public showcase)."""
    url = _site() + reverse("certificates:verify", args=[certificate.code])
    issued = datetime.datetime.combine(
        certificate.issued_on, datetime.time.min, tzinfo=datetime.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    salt = certificate.code[12:]
    identity = "sha256$" + hashlib.sha256((certificate.trainee.email + salt).encode()).hexdigest()
    return {
        "@context": CONTEXT,
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": f"{CENTER_AR} — {CENTER_EN}",
            "url": _site(),
        },
        "issuanceDate": issued,
        "name": f"شهادة إتمام — Certificate of Completion: {certificate.programme_en}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.name_latin or certificate.name_ar,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{_site()}/certificates/achievement/{certificate.cohort_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": f"{certificate.programme_ar} — {certificate.programme_en}",
                "description": (
                    f"أتمّ برنامج «{certificate.programme_ar}» ضمن الدفعة "
                    f"«{certificate.cohort_name_ar}» في {CENTER_AR}. "
                    f"Completed the programme “{certificate.programme_en}” in the cohort "
                    f"“{certificate.cohort_name_en or certificate.cohort_name_ar}” at "
                    f"{CENTER_EN}."
                ),
                "criteria": {
                    "narrative": (
                        "إتمام المقررات المطلوبة وتحقيق الحد الأدنى من الحضور. "
                        "Required courses completed and the minimum attendance met."
                    )
                },
                "inLanguage": "ar",
            },
        },
        **({"evidence": found} if (found := evidence(certificate)) else {}),
    }


def sign(certificate: Certificate) -> str:
    """The credential as a VC-JWT (EdDSA)."""
    vc = credential(certificate)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": issuer_id() + "#key-1"}
    nbf = int(
        datetime.datetime.combine(
            certificate.issued_on, datetime.time.min, tzinfo=datetime.UTC
        ).timestamp()
    )
    payload = {"iss": vc["issuer"]["id"], "jti": vc["id"], "nbf": nbf, "vc": vc}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    )
    signature = signing_key().sign(signing_input.encode())
    return signing_input + "." + _b64(signature)


def check(token: str) -> dict | None:
    """The payload of a VC-JWT signed with our key, or None when it is not one (malformed,
    tampered, another key or algorithm)."""
    if not isinstance(token, str) or len(token) > 50_000:
        return None
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        if header.get("alg") != "EdDSA":
            return None
        signing_key().public_key().verify(_unb64(parts[2]), f"{parts[0]}.{parts[1]}".encode())
        payload = json.loads(_unb64(parts[1]))
    except (ValueError, InvalidSignature, AttributeError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None

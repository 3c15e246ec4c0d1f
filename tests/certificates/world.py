"""Certificate objects for the authorization matrix (tests/authz/matrix.py), built on the cohorts
world: the trainee persona holds a rendered certificate of the "running" cohort ("certificate")."""

from certificates import services
from certificates.models import Certificate
from tests.cohorts.world import cohort_world


def certificate_world(w: dict) -> dict:
    if "certificates" not in w:
        running = cohort_world(w)["running"]
        cert = services._new_certificate(running, w["trainee"], actor=w["manager"])
        services.render_and_store(cert.pk)
        w["certificates"] = {"certificate": Certificate.objects.get(pk=cert.pk)}
    return w["certificates"]


def get(key):
    """`get("certificate")` -> lambda w: its pk; `get("code")` -> its verification code;
    `get("holder")` -> the trainee's pk (with the certificate already issued)."""

    def _value(w):
        cert = certificate_world(w)["certificate"]
        return {"code": cert.code, "holder": cert.trainee_id}.get(key, cert.pk)

    return _value

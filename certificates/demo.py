"""Demo certificate (loaded by `manage.py seed_demo`, which calls `seed`): the first demo trainee
has finished the Najaf cohort's courses (courses.demo) and holds its certificate, so the trainee's
page, the PDF and the public verify page can be tried at once; the other trainees who finished
are left for the manager to issue (one by one or all at once). Idempotent: issuing again returns
the certificate that exists."""

from accounts.models import User
from cohorts.models import Cohort
from core.errors import Conflict

from . import services

NAJAF_EN = "Young Leaders 2027 — Najaf"


def seed(*, stdout):
    cohort = Cohort.objects.filter(name_en=NAJAF_EN).first()
    manager = User.objects.filter(email="manager@ishtar.example").first()
    trainee = User.objects.filter(email="trainee1@ishtar.example").first()
    if cohort is None or manager is None or trainee is None:
        stdout.write("Certificates: no demo cohort; skipped.")
        return
    try:
        certificate = services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)
    except Conflict as refused:
        stdout.write(f"Demo certificate not issued: {refused.message}")
        return
    stdout.write(f"Demo certificate: {certificate.short_code} for {trainee.email}.")

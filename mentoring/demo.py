"""Demo mentoring: profiles for the demo mentors, intakes for the trainees of the demo cohorts,
and a draft match round per cohort for the manager to read, pin, forbid and publish.

Called by `manage.py seed_demo` (it runs each app's `<app>/demo.py` `seed(*, stdout)`), after the
accounts and cohorts demos. Idempotent: profiles and intakes are refreshed, a round is started
only for a cohort that has none.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from cohorts.demo import NAJAF
from cohorts.models import Cohort, Membership

from . import services
from .models import MatchRound, Meeting, MentorProfile, Mentorship, TraineeIntake
from .vocabulary import SLOTS, Topic

NAJAF_EN = NAJAF[1]
TOPIC_SETS = [
    ["elections", "local_government", "policy_writing"],
    ["women", "human_rights", "dialogue"],
    ["media", "youth_councils", "civil_society"],
    ["law", "economy", "public_admin"],
    ["diplomacy", "human_rights", "policy_writing"],
    ["project_management", "civil_society", "youth_councils"],
]
LANGUAGE_SETS = [["ar"], ["ar", "en"], ["ar", "ku"], ["ar"], ["ku"], ["ar", "en"]]
SLOT_LIST = sorted(SLOTS)


def _slots(i, n):
    return [SLOT_LIST[(i * 5 + k * 3) % len(SLOT_LIST)] for k in range(n)]


def seed(*, stdout):
    mentors = list(
        User.objects.filter(email__startswith="mentor", email__endswith="@ishtar.example").order_by(
            "email"
        )
    )
    for i, mentor in enumerate(mentors):
        MentorProfile.objects.update_or_create(
            user=mentor,
            defaults={
                "topics": TOPIC_SETS[i % len(TOPIC_SETS)],
                "languages": LANGUAGE_SETS[i % len(LANGUAGE_SETS)],
                "governorate": mentor.governorate,
                "gender": mentor.gender,
                "capacity": 2 + i % 3,
                "availability": _slots(i, 5),
                "bio": "",
            },
        )
    manager = User.objects.filter(email="manager@ishtar.example").first()
    cohorts = Cohort.objects.filter(status__in=[Cohort.Status.RUNNING, Cohort.Status.RECRUITING])
    rounds = 0
    for cohort in cohorts.order_by("pk"):
        memberships = Membership.objects.active().trainees().filter(cohort=cohort).order_by("pk")
        for i, membership in enumerate(memberships):
            TraineeIntake.objects.update_or_create(
                membership=membership,
                defaults={
                    "topics": [t for t in TOPIC_SETS[(i * 7) % len(TOPIC_SETS)][:2] if t in Topic],
                    "languages": ["ku"] if i % 11 == 10 else ["ar"],
                    "governorate": membership.user.governorate,
                    "availability": _slots(i + 2, 3),
                    "same_gender_preference": i % 6 == 0,
                },
            )
        managed = manager and Cohort.objects.managed_by(manager).filter(pk=cohort.pk).exists()
        if managed and memberships and not MatchRound.objects.filter(cohort=cohort).exists():
            services.run_match_round(actor=manager, cohort=cohort)
            rounds += 1
    silent = _silent_mentorship()
    stdout.write(
        f"  mentoring        {len(mentors)} mentor profiles, {rounds} draft match rounds, "
        f"{silent} silent mentorship\n"
    )


def _silent_mentorship() -> int:
    """One active mentorship in the Najaf cohort whose last meeting was 31 days ago, with a
    trainee who never attends: the mentor's "no meeting for 30 days" and "your mentee has been
    inactive" reminders fire shortly after `make run` starts. Added once (0 when already there
    or when the demo people are missing)."""
    cohort = Cohort.objects.filter(name_en=NAJAF_EN, status=Cohort.Status.RUNNING).first()
    mentor = User.objects.filter(email="mentor1@ishtar.example").first()
    trainee = User.objects.filter(email="trainee30@ishtar.example").first()
    if cohort is None or mentor is None or trainee is None:
        return 0
    if Mentorship.objects.filter(cohort=cohort, trainee=trainee).exists():
        return 0
    if not Membership.objects.active().trainees().filter(cohort=cohort, user=trainee).exists():
        return 0
    started = timezone.now() - datetime.timedelta(days=45)
    mentorship = Mentorship.objects.create(
        cohort=cohort,
        mentor=mentor,
        trainee=trainee,
        status=Mentorship.Status.ACTIVE,
        created_at=started,
        accepted_at=started,
    )
    Meeting.objects.create(
        mentorship=mentorship,
        date=timezone.localdate() - datetime.timedelta(days=31),
        duration_minutes=45,
        topics=["policy_writing"],
        next_steps="مسودة أولى لفكرة المبادرة.",
    )
    return 1

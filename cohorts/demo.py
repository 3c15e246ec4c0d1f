"""Demo cohorts: a running cohort in Najaf (the demo manager, mentors, a facilitator, 30
trainees, the demo courses as curriculum, ten sessions past and future with attendance) and a
recruiting cohort in Baghdad with applications in every status. Idempotent: a cohort that
already exists (by its English name) is left as it is."""

import datetime

from django.utils import timezone

from accounts.models import User
from courses import structure
from courses.models import Course, Lesson

from . import services
from .models import BAGHDAD, Application, Cohort, Membership, Session
from .reminders import work_occurrence

NAJAF = ("القادة الشباب 2027 — النجف", "Young Leaders 2027 — Najaf")
BAGHDAD_COHORT = ("القادة الشباب 2027 — بغداد", "Young Leaders 2027 — Baghdad")
DESCRIPTION = (
    "دفعة من برنامج إعداد القادة الشباب في ملف المبادرات الشبابية لمركز عشتار لدعم الديمقراطية: "
    "تأهيل الطلبة والشباب المهتمين بالشأن العام سياسيًا وثقافيًا، وتطوير مهاراتهم القيادية "
    "والشخصية ليصبحوا قادة شبابًا مؤثرين."
)
SESSIONS = [
    ("ورشة: القيادة وبناء الفريق", "Workshop: leadership and team building", "workshop"),
    (
        "طاولة حوار: الشباب وصنع القرار",
        "Dialogue table: youth and decision-making",
        "dialogue_table",
    ),
    ("ندوة: الدستور والانتخابات", "Seminar: the constitution and elections", "seminar"),
    ("حلقة نقاشية: الرقابة المجتمعية", "Panel discussion: community oversight", "panel"),
    ("لقاء عبر الإنترنت مع صناع القرار", "Online meeting with decision-makers", "online_meeting"),
    ("ورشة: كتابة ورقة سياسات", "Workshop: writing a policy paper", "workshop"),
    ("طاولة حوار: المبادرات الشبابية", "Dialogue table: youth initiatives", "dialogue_table"),
    ("ورشة: الخطابة والتأثير", "Workshop: public speaking", "workshop"),
    ("ندوة: العلاقات الخارجية والدبلوماسية", "Seminar: foreign relations", "seminar"),
    ("مؤتمر ختامي: عرض المبادرات", "Closing conference: presenting the initiatives", "conference"),
]


def _people(prefix: str, first: int, last: int):
    emails = [f"{prefix}{i}@ishtar.example" for i in range(first, last + 1)]
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[e] for e in emails if e in found]


def seed(*, stdout):
    manager = User.objects.filter(email="manager@ishtar.example").first()
    if manager is None:
        stdout.write("Cohorts: no demo manager; skipped.")
        return
    made = [_najaf(manager), _baghdad(manager)]
    stdout.write(f"Demo cohorts: 2 ({sum(made)} new).")
    due = _reminders_due(manager)
    stdout.write(f"Demo reminders due soon: {due} sessions and work items added or moved.")


def _najaf(manager) -> bool:
    if Cohort.objects.filter(name_en=NAJAF[1]).exists():
        return False
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=manager,
        name=NAJAF[0],
        name_en=NAJAF[1],
        description=DESCRIPTION,
        governorate="najaf",
        venue="مركز عشتار لدعم الديمقراطية، النجف",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=120),
        capacity=30,
        min_attendance_percent=75,
    )
    services.change_cohort_status(actor=manager, cohort=cohort, status=Cohort.Status.RECRUITING)
    services.change_cohort_status(actor=manager, cohort=cohort, status=Cohort.Status.RUNNING)
    courses = list(Course.objects.published().order_by("id")[:4])
    services.set_curriculum(
        actor=manager,
        cohort=cohort,
        items=[
            {"course": course, "due_on": cohort.starts_on + datetime.timedelta(days=60 + 30 * i)}
            for i, course in enumerate(courses)
        ],
    )
    mentors = _people("mentor", 1, 4)
    for mentor in mentors[:2]:
        services.add_member(
            actor=manager, cohort=cohort, user=mentor, role="mentor", send_notification=False
        )
    facilitator = mentors[2] if len(mentors) > 2 else None
    trainees = _people("trainee", 1, 30)
    for trainee in trainees:
        services.add_member(
            actor=manager, cohort=cohort, user=trainee, role="trainee", send_notification=False
        )
    # The demo cohort has been running for weeks: its people joined on the first day.
    Membership.objects.filter(cohort=cohort).update(joined_at=cohort.starts_at)
    # Weekly on Sundays and Tuesdays from two weeks ago: about four held, six to come.
    day = today - datetime.timedelta(days=14)
    days = []
    while len(days) < 10:
        if day.weekday() in (6, 1):
            days.append(day)
        day += datetime.timedelta(days=1)
    now = timezone.now()
    for index, ((title, title_en, fmt), day) in enumerate(zip(SESSIONS, days, strict=True)):
        online = fmt == "online_meeting"
        session = services.create_session(
            actor=manager,
            cohort=cohort,
            title=title,
            title_en=title_en,
            format=fmt,
            mode=Session.Mode.ONLINE if online else Session.Mode.IN_PERSON,
            online_url="https://meet.ishtar.example/young-leaders" if online else "",
            starts_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=BAGHDAD),
            ends_at=datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=BAGHDAD),
            facilitator=facilitator if index % 2 == 0 else None,
        )
        if session.ends_at < now:
            marks = {}
            for n, trainee in enumerate(trainees):
                # A few trainees slip: they are the dashboard's at-risk rows.
                slipping = n % 10 == 9
                pattern = (n + index) % 7
                # The first six have finished the courses too (courses.demo): they came to
                # every session, so their certificates can be issued.
                marks[trainee.pk] = (
                    "present"
                    if n < 6
                    else "absent"
                    if slipping or pattern == 0
                    else "late"
                    if pattern == 1
                    else "excused"
                    if pattern == 2 and n % 3 == 0
                    else "present"
                )
            services.mark_roll_call(
                actor=manager, session=session, marks=marks, now=session.ends_at
            )
    return True


def _baghdad(manager) -> bool:
    if Cohort.objects.filter(name_en=BAGHDAD_COHORT[1]).exists():
        return False
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=manager,
        name=BAGHDAD_COHORT[0],
        name_en=BAGHDAD_COHORT[1],
        description=DESCRIPTION,
        governorate="baghdad",
        venue="بغداد، الكرادة",
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=240),
        capacity=25,
    )
    services.change_cohort_status(actor=manager, cohort=cohort, status=Cohort.Status.RECRUITING)
    services.set_application_questions(
        actor=manager,
        cohort=cohort,
        questions=[
            {
                "text": "ما المبادرة التي تحلم بتنفيذها في مدينتك؟",
                "text_en": "What initiative would you like to carry out in your city?",
            }
        ],
    )
    question = cohort.application_questions.get()
    statuses = [
        Application.Status.SUBMITTED,
        Application.Status.SUBMITTED,
        Application.Status.SHORTLISTED,
        Application.Status.ACCEPTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
    ]
    now = timezone.now()
    for applicant, status in zip(_people("trainee", 31, 36), statuses, strict=False):
        decided = status != Application.Status.SUBMITTED
        Application.objects.create(
            cohort=cohort,
            applicant=applicant,
            status=status,
            motivation="أريد أن أتعلم كيف أحول أفكاري إلى مبادرات تخدم مجتمعي.",
            civic_experience="تطوعت في حملات توعية انتخابية في الجامعة.",
            availability="مساء الأحد والثلاثاء",
            answers={str(question.pk): "مكتبة متنقلة في الأحياء الشعبية"},
            consented_at=now,
            decided_at=now if decided else None,
            decided_by=manager if decided else None,
        )
        if status == Application.Status.ACCEPTED:
            Membership.objects.create(
                cohort=cohort, user=applicant, role=Membership.Role.TRAINEE, added_by=manager
            )
    return True


def _reminders_due(manager) -> int:
    """State that makes reminders fire minutes after `make run` starts, whenever the demo was
    seeded: in the Najaf cohort a session in about 3 hours and one tomorrow (their 24 h
    reminders are due at once, the first one's 2 h reminder an hour later), and a curriculum
    assignment due in 40 hours. Only what is missing is added: a second run right after the
    first changes nothing. (The trainees who never attend are the inactive ones; mentoring
    and proposals add a silent mentorship and a review due tomorrow.)"""
    cohort = Cohort.objects.filter(name_en=NAJAF[1], status=Cohort.Status.RUNNING).first()
    if cohort is None:
        return 0
    now = timezone.now()
    # Whole quarter hours, as a manager would schedule them.
    base = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    changed = 0
    facilitator = (
        Membership.objects.active()
        .filter(cohort=cohort, role=Membership.Role.MENTOR)
        .order_by("user__email")
        .values_list("user", flat=True)
        .first()
    )
    for title, title_en, after, window in (
        ("لقاء تحضيري: خطة المبادرة", "Preparatory meeting: the initiative plan", 3, (2, 6)),
        ("ورشة: التواصل مع المجتمع", "Workshop: reaching the community", 22, (6, 30)),
    ):
        if Session.objects.filter(
            cohort=cohort,
            starts_at__gt=now + datetime.timedelta(hours=window[0]),
            starts_at__lte=now + datetime.timedelta(hours=window[1]),
        ).exists():
            continue
        starts_at = base + datetime.timedelta(hours=after)
        if timezone.localtime(starts_at, BAGHDAD).date() > cohort.ends_on:
            continue
        services.create_session(
            actor=manager,
            cohort=cohort,
            title=title,
            title_en=title_en,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            facilitator=User.objects.filter(pk=facilitator).first(),
        )
        changed += 1
    work = Lesson.objects.filter(
        kind=Lesson.Kind.ASSIGNMENT,
        module__course__curriculum_items__cohort=cohort,
        module__course__is_published=True,
    ).order_by("module__course__curriculum_items__position", "module__position", "position")
    if not any(
        work_occurrence(deadline, now) == "48h"
        for deadline in (lesson.deadline(starts_at=cohort.starts_at) for lesson in work)
        if deadline
    ):
        first = work.first()
        if first is not None:
            # An absolute deadline on the demo assignment (the demo's own content).
            Lesson.objects.filter(pk=first.pk).update(
                due_at=base + datetime.timedelta(hours=40), due_days_after_start=None
            )
            structure.changed()  # an update() goes past the signals
            changed += 1
    return changed

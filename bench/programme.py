"""The benchmark's programme data on the 1,000-trainee cohort of bench.fixture.seed_cohort:
mentoring (40 mentor profiles, every trainee's intake, a published round whose pairs became
mentorships with meetings and goals, and a draft round for those still waiting), 300 initiative
proposals in every state with three rubric reviews each, and certificates.

Rows are bulk-created (no notifications, no e-mails); the matching itself runs through the
mentoring services, as a manager's round would. Creates only what is missing."""

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from certificates import services as certificate_services
from certificates.models import Certificate
from cohorts.models import Cohort, Membership
from mentoring import services as mentoring_services
from mentoring.models import Goal, MatchRound, Meeting, MentorProfile, Mentorship, TraineeIntake
from mentoring.vocabulary import SLOT_CHOICES, Topic
from proposals.models import (
    BudgetLine,
    Milestone,
    Proposal,
    Review,
    ReviewAssignment,
    Revision,
    Score,
    TeamMember,
)
from proposals.services import rubric_for
from proposals.services.revisions import snapshot

from .fixture import (
    COHORT_NAME_EN,
    DOMAIN,
    GOVERNORATES,
    PASSWORD,
    email,
    ensure_people,
    personas,
)

TOPICS = list(Topic.values)
SLOTS = [value for value, _label in SLOT_CHOICES]
LANGUAGES = [["ar"]] * 6 + [["ar", "en"]] * 3 + [["ku", "ar"]]
S = Proposal.Status
# Proposal n's state: n % 10 picks from this plan (the trainee persona's, n = 0, is implementing).
PLAN = [
    S.IN_IMPLEMENTATION,
    S.IN_REVIEW,
    S.APPROVED,
    S.COMPLETED,
    S.IN_REVIEW,
    S.SUBMITTED,
    S.CHANGES_REQUESTED,
    S.COMPLETED,
    S.REJECTED,
    S.DRAFT,
]
REVIEWED = {S.IN_REVIEW, S.APPROVED, S.COMPLETED, S.CHANGES_REQUESTED, S.REJECTED}
REVIEWED |= {S.IN_IMPLEMENTATION}
DECIDED = {S.APPROVED, S.IN_IMPLEMENTATION, S.COMPLETED, S.REJECTED}


def _mentoring(cohort, manager, mentors, trainee_ids, now, stdout) -> None:
    have = set(MentorProfile.objects.filter(user__in=mentors).values_list("user_id", flat=True))
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=m,
                topics=[TOPICS[(n + k) % len(TOPICS)] for k in range(3)],
                languages=LANGUAGES[n % len(LANGUAGES)],
                governorate=GOVERNORATES[n % len(GOVERNORATES)],
                gender=m.gender,
                # 5-20 places; the last mentor paused (capacity 0).
                capacity=0 if n == len(mentors) - 1 and n else 5 + n % 16,
                availability=[SLOTS[(n * 2 + k) % len(SLOTS)] for k in range(6)],
                bio="أكاديمي وناشط مدني في مجال الحكم المحلي.",
            )
            for n, m in enumerate(mentors)
            if m.pk not in have
        ]
    )
    memberships = list(
        Membership.objects.filter(cohort=cohort, user_id__in=trainee_ids, mentoring_intake=None)
        .select_related("user")
        .order_by("user__email")
    )
    TraineeIntake.objects.bulk_create(
        [
            TraineeIntake(
                membership=m,
                topics=[TOPICS[(n + k) % len(TOPICS)] for k in range(2)],
                languages=LANGUAGES[n % len(LANGUAGES)],
                governorate=m.user.governorate,
                availability=[SLOTS[(n + k) % len(SLOTS)] for k in range(4)],
                same_gender_preference=n % 9 == 0,
                goals="أن أتعلم كيف أقود مبادرة في مدينتي.",
            )
            for n, m in enumerate(memberships)
        ],
        batch_size=1000,
    )
    if not MatchRound.objects.filter(cohort=cohort).exists():
        # The first round, published as publish_match_round would, minus the notifications.
        first = mentoring_services.run_match_round(actor=manager, cohort=cohort)
        pairs = list(first.proposals.filter(mentor__isnull=False))
        Mentorship.objects.bulk_create(
            [
                Mentorship(
                    cohort=cohort,
                    round=first,
                    mentor_id=p.mentor_id,
                    trainee_id=p.trainee_id,
                    score=p.score,
                    reasons=p.reasons,
                    # Most accepted; one in seven still proposed.
                    status=Mentorship.Status.PROPOSED if n % 7 == 0 else Mentorship.Status.ACTIVE,
                    accepted_at=None if n % 7 == 0 else now - datetime.timedelta(days=40),
                )
                for n, p in enumerate(pairs)
            ],
            batch_size=1000,
        )
        MatchRound.objects.filter(pk=first.pk).update(
            status=MatchRound.Status.PUBLISHED, published_at=now
        )
        # A second draft round for the trainees still waiting (the mentors' places are taken).
        mentoring_services.run_match_round(actor=manager, cohort=cohort)
    active = list(
        Mentorship.objects.filter(cohort=cohort, status=Mentorship.Status.ACTIVE)
        .exclude(meetings__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate(now)
    Meeting.objects.bulk_create(
        [
            Meeting(
                mentorship_id=pk,
                # Nine in ten met in the last 30 days; every one met 35 days ago.
                date=today - datetime.timedelta(days=days),
                duration_minutes=45,
                topics=[TOPICS[n % len(TOPICS)]],
                private_notes="ملاحظات المرشد عن تقدّم المتدرب.",
                next_steps="مسودة أولى لفكرة المبادرة.",
            )
            for n, pk in enumerate(active)
            for days in ((35, 5 + n % 20) if n % 10 else (35,))
        ],
        batch_size=2000,
    )
    Goal.objects.bulk_create(
        [
            Goal(mentorship_id=pk, text=f"هدف {k + 1}: التحدث أمام جمهور", progress=(n * 10) % 100)
            for n, pk in enumerate(active)
            for k in range(2)
        ],
        batch_size=2000,
    )
    stdout.write(
        f"  mentoring: {len(mentors)} mentors, "
        f"{Mentorship.objects.filter(cohort=cohort).count()} mentorships "
        f"({len(active)} given meetings and goals now)\n"
    )


def _proposals(cohort, manager, mentors, trainee_ids, count, now, stdout) -> None:
    rubric = rubric_for(cohort)
    criteria = list(rubric.criteria.order_by("position"))
    leads = trainee_ids[:count]
    existing = set(Proposal.objects.filter(cohort=cohort).values_list("lead_id", flat=True))
    today = timezone.localdate(now)
    rows = []
    for n, lead in enumerate(leads):
        if lead in existing:
            continue
        status = PLAN[n % len(PLAN)]
        rows.append(
            Proposal(
                cohort=cohort,
                lead_id=lead,
                title=f"مبادرة شبابية رقم {n + 1}: طاولة حوار في الحي",
                problem="ضعف مشاركة الشباب في الشأن العام المحلي. " * 4,
                target_group="طلبة الجامعات",
                governorate=GOVERNORATES[n % len(GOVERNORATES)],
                objectives="فتح حوار بين الشباب وصناع القرار.",
                activities="ثلاث جلسات حوار وورقة توصيات.",
                starts_on=today + datetime.timedelta(days=10),
                ends_on=today + datetime.timedelta(days=100),
                partners="جامعة الكوفة",
                expected_impact="توصيات يتبناها مجلس المحافظة. " * 3,
                indicators="٥٠ مشاركاً، ورقة سياسات واحدة.",
                risks="تأخر الموافقات.",
                status=status,
                showcase_consent=status == S.COMPLETED and n % 20 == 3,
                submitted_at=None if status == S.DRAFT else now - datetime.timedelta(days=30),
                decided_at=now - datetime.timedelta(days=20) if status in DECIDED else None,
                decision_message="قرار اللجنة." if status in DECIDED else "",
            )
        )
    created = Proposal.objects.bulk_create(rows, batch_size=500)
    if created:
        coauthors = trainee_ids[count : 2 * count]
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    proposal=p,
                    user_id=coauthors[n % len(coauthors)],
                    status=TeamMember.Status.ACCEPTED,
                    responded_at=now,
                )
                for n, p in enumerate(created)
                if coauthors
            ]
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(proposal=p, item=item, quantity=q, unit_cost_iqd=cost, position=k)
                for p in created
                for k, (item, q, cost) in enumerate([("قاعة", 3, 150_000), ("ضيافة", 50, 5_000)])
            ]
        )
        Revision.objects.bulk_create(
            [
                Revision(
                    proposal=p,
                    number=1,
                    proposal_version=1,
                    snapshot=snapshot(p),
                    created_by_id=p.lead_id,
                )
                for p in created
                if p.status != S.DRAFT
            ]
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    proposal=p,
                    title=f"المرحلة {k + 1}",
                    due_on=today + datetime.timedelta(days=30 * (k + 1)),
                    percent_complete=100 if p.status == S.COMPLETED else (40 * k) % 100,
                    position=k,
                )
                for p in created
                if p.status in (S.IN_IMPLEMENTATION, S.COMPLETED)
                for k in range(3)
            ]
        )
        reviewed = [p for p in created if p.status in REVIEWED]
        assignments = ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(
                    proposal=p,
                    reviewer=mentors[(n + 7 * k) % len(mentors)],
                    due_on=today + datetime.timedelta(days=7),
                    assigned_by=manager,
                )
                for n, p in enumerate(reviewed)
                for k in range(min(3, len(mentors)))
            ],
            batch_size=1000,
        )
        # Every review of a decided proposal is in; in review, the third one is pending.
        done = [
            a for n, a in enumerate(assignments) if a.proposal.status != S.IN_REVIEW or n % 3 != 2
        ]
        reviews = Review.objects.bulk_create(
            [
                Review(assignment=a, comments="مقترح واعد يحتاج خطة متابعة.", submitted_at=now)
                for a in done
            ],
            batch_size=1000,
        )
        Score.objects.bulk_create(
            [
                Score(review=r, criterion=c, score=1 + (r.pk + c.pk) % 5, comment="")
                for r in reviews
                for c in criteria
            ],
            batch_size=2000,
        )
    stdout.write(
        f"  proposals: {Proposal.objects.filter(cohort=cohort).count()} "
        f"({len(created)} created), "
        f"{ReviewAssignment.objects.filter(proposal__cohort=cohort).count()} review assignments\n"
    )


def _certificates(cohort, trainee_ids, count, now, stdout) -> Certificate:
    holders = set(Certificate.objects.filter(cohort=cohort).values_list("trainee_id", flat=True))
    users = User.objects.filter(pk__in=trainee_ids[:count]).exclude(pk__in=holders)
    rows = []
    for user in users:
        certificate = certificate_services._unsaved_certificate(cohort, user, actor=None)
        certificate.sha256 = "0" * 64  # the PDF itself is rendered for the persona only
        rows.append(certificate)
    Certificate.objects.bulk_create(rows, batch_size=1000)
    persona = Certificate.objects.get(cohort=cohort, trainee_id=trainee_ids[0])
    if not persona.file or not persona.file.storage.exists(persona.file.name):
        Certificate.objects.filter(pk=persona.pk).update(sha256="")
        certificate_services.render_and_store(persona.pk)
        persona.refresh_from_db()
    stdout.write(f"  certificates: {count} ({len(rows)} created)\n")
    return persona


def seed_programme(*, scale, stdout) -> dict:
    """Mentoring, proposals and certificates at the programme's scale (40 mentors, 300
    proposals with 3 reviews each) on the bench cohort."""
    people = personas()
    manager, trainee, mentor = people["manager"], people["trainee"], people["mentor"]
    cohort = Cohort.objects.get(name_en=COHORT_NAME_EN)
    now = timezone.now()
    n_mentors = scale.count(40, quick=3)
    hashed = []

    def password() -> str:
        if not hashed:
            hashed.append(make_password(PASSWORD))
        return hashed[0]

    ensure_people(
        role=User.Role.MENTOR, prefix="mentor", numbers=range(n_mentors), password=password
    )
    mentors = list(
        User.objects.filter(email__in=[email("mentor", n) for n in range(n_mentors)]).order_by(
            "email"
        )
    )
    trainee_ids = list(
        Membership.objects.filter(
            cohort=cohort, role=Membership.Role.TRAINEE, user__email__endswith=f"@{DOMAIN}"
        )
        .order_by("user__email")
        .values_list("user_id", flat=True)
    )
    _mentoring(cohort, manager, mentors, trainee_ids, now, stdout)
    _proposals(cohort, manager, mentors, trainee_ids, scale.count(300, quick=10), now, stdout)
    certificate = _certificates(cohort, trainee_ids, scale.count(300, quick=10), now, stdout)

    mentorship = (
        Mentorship.objects.filter(mentor=mentor, status=Mentorship.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if mentorship is None:  # the engine gave the persona no mentee: hand them one
        mentorship = Mentorship.objects.filter(
            cohort=cohort, status=Mentorship.Status.ACTIVE
        ).first()
        Mentorship.objects.filter(pk=mentorship.pk).update(mentor=mentor)
    own = Proposal.objects.get(cohort=cohort, lead=trainee)
    pending = ReviewAssignment.objects.filter(
        reviewer=mentor, proposal__status=S.IN_REVIEW, review__isnull=True
    )
    if not pending.exists():  # the persona reviews at least one proposal still in review
        ReviewAssignment.objects.create(
            proposal=Proposal.objects.filter(cohort=cohort, status=S.IN_REVIEW)
            .exclude(assignments__reviewer=mentor)
            .order_by("pk")
            .first(),
            reviewer=mentor,
            due_on=timezone.localdate(now) + datetime.timedelta(days=7),
            assigned_by=manager,
        )
    assignment = pending.order_by("pk").first()
    decided = Proposal.objects.filter(cohort=cohort, status=S.IN_REVIEW).order_by("pk").first()
    showcased = Proposal.objects.showcased().filter(cohort=cohort).order_by("pk").first()
    return {
        "mentorship": mentorship,
        "intake_membership": Membership.objects.get(cohort=cohort, user=trainee),
        "proposal": own,
        "review_assignment": assignment,
        "proposal_in_review": decided,
        "showcased_proposal": showcased,
        "certificate": certificate,
    }

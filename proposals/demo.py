"""Demo initiative (loaded by `manage.py seed_demo`, which calls `seed`): in the running Najaf
cohort a team drafts a proposal, submits it, gets "changes requested", revises, is approved with
three rubric reviews, and reports milestones and progress. Idempotent: an existing demo proposal
is left as it is."""

import datetime

from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort, Membership

from . import services
from .models import Proposal

NAJAF_EN = "Young Leaders 2027 — Najaf"
TITLE = "طاولة حوار: الشباب ومجلس المحافظة"


def seed(*, stdout):
    cohort = Cohort.objects.filter(name_en=NAJAF_EN).first()
    manager = User.objects.filter(email="manager@ishtar.example").first()
    if cohort is None or manager is None:
        stdout.write("Proposals: no demo cohort; skipped.")
        return
    review_due = _review_due_tomorrow(cohort, manager)
    if Proposal.objects.filter(cohort=cohort, title=TITLE).exists():
        stdout.write(f"Demo proposals: 2 ({review_due} new).")
        return
    trainees = [
        m.user
        for m in Membership.objects.active()
        .trainees()
        .filter(cohort=cohort)
        .select_related("user")
        .order_by("user__email")[:2]
    ]
    reviewers = list(
        User.objects.filter(role=User.Role.MENTOR, is_active=True).order_by("email")[:2]
    ) + [manager]
    if len(trainees) < 2 or len(reviewers) < 3:
        stdout.write("Proposals: not enough demo people; skipped.")
        return
    seed_journey(
        cohort=cohort, lead=trainees[0], coauthor=trainees[1], manager=manager, reviewers=reviewers
    )
    stdout.write(f"Demo proposals: 2 ({1 + review_due} new).")


def seed_journey(*, cohort, lead, coauthor, manager, reviewers) -> Proposal:
    """The whole life of one initiative, through the services."""
    today = timezone.localdate()
    proposal = services.create_proposal(
        actor=lead,
        cohort=cohort,
        data={
            "title": TITLE,
            "problem": "يشعر الشباب في النجف بأن صوتهم غائب عن قرارات مجلس المحافظة.",
            "target_group": "طلبة الجامعات والشباب الناشطون",
            "governorate": "najaf",
            "objectives": "فتح قناة حوار منتظمة بين الشباب وأعضاء المجلس، وصياغة توصيات مكتوبة.",
            "activities": "ثلاث طاولات حوار، استبيان قصير، ورقة توصيات تُسلَّم للمجلس.",
            "starts_on": today + datetime.timedelta(days=14),
            "ends_on": today + datetime.timedelta(days=75),
            "partners": "جامعة الكوفة، منظمات المجتمع المدني المحلية",
            "expected_impact": "توصيات يتبناها المجلس ومشاركة أوسع للشباب في الشأن العام.",
            "indicators": "٦٠ مشاركًا، ٣ جلسات، ورقة توصيات واحدة، ردّ مكتوب من المجلس.",
            "risks": "تأخر موافقات القاعة؛ البديل قاعة المركز.",
            "showcase_consent": True,
        },
        budget_lines=[
            {"item": "قاعة لثلاث جلسات", "quantity": 3, "unit_cost_iqd": 150_000},
            {"item": "ضيافة", "quantity": 60, "unit_cost_iqd": 5_000},
            {"item": "طباعة الورقة", "quantity": 100, "unit_cost_iqd": 1_500},
        ],
    )
    services.invite_coauthor(actor=lead, proposal=proposal, user=coauthor)
    services.accept_invitation(actor=coauthor, proposal=proposal)
    services.submit_proposal(actor=lead, proposal=proposal)
    due = today + datetime.timedelta(days=7)
    services.assign_reviewers(actor=manager, proposals=[proposal], reviewers=reviewers, due_on=due)
    services.request_changes(
        actor=manager, proposal=proposal, comment="وضّحوا كيف ستضمنون حضور أعضاء المجلس."
    )
    proposal.refresh_from_db()
    services.update_proposal(
        actor=coauthor,
        proposal=proposal,
        expected_version=proposal.version,
        data={"risks": "تأخر موافقات القاعة؛ غياب الأعضاء: دعوات رسمية عبر المركز قبل أسبوعين."},
    )
    services.resubmit_proposal(actor=lead, proposal=proposal)
    criteria = list(services.rubric_for(cohort).criteria.all())
    for reviewer, base in zip(reviewers, (4, 5, 3), strict=True):
        services.submit_review(
            actor=reviewer,
            assignment=proposal.assignments.get(reviewer=reviewer),
            scores={c.pk: max(1, min(5, base - (i % 2))) for i, c in enumerate(criteria)},
            comments="مبادرة واضحة وقابلة للتنفيذ.",
        )
    services.decide_proposal(
        actor=manager, proposal=proposal, approve=True, message="تمت الموافقة. بالتوفيق!"
    )
    services.start_implementation(actor=lead, proposal=proposal)
    first = services.add_milestone(
        actor=lead,
        proposal=proposal,
        title="الطاولة الأولى",
        due_on=today + datetime.timedelta(days=20),
    )
    second = services.add_milestone(
        actor=lead,
        proposal=proposal,
        title="ورقة التوصيات",
        due_on=today + datetime.timedelta(days=70),
    )
    services.post_progress(
        actor=lead,
        proposal=proposal,
        text="حجزنا القاعة وأرسلنا الدعوات لأعضاء المجلس.",
        milestone_percents={first.pk: 60, second.pk: 10},
    )
    return proposal


REVIEW_TITLE = "مكتبة متنقلة في أحياء النجف"


def _review_due_tomorrow(cohort, manager) -> int:
    """A second proposal, submitted and waiting for a mentor's review due tomorrow: the
    reviewer's "review due" reminder fires shortly after `make run` starts (and, on a demo
    started days later, the overdue review is escalated to the manager). Added once."""
    if Proposal.objects.filter(cohort=cohort, title=REVIEW_TITLE).exists():
        return 0
    lead = User.objects.filter(email="trainee2@ishtar.example").first()
    reviewer = User.objects.filter(email="mentor2@ishtar.example", is_active=True).first()
    if lead is None or reviewer is None:
        return 0
    if not Membership.objects.active().trainees().filter(cohort=cohort, user=lead).exists():
        return 0
    today = timezone.localdate()
    proposal = services.create_proposal(
        actor=lead,
        cohort=cohort,
        data={
            "title": REVIEW_TITLE,
            "problem": "قلة المكتبات العامة في الأحياء الشعبية وبعدها عن الأطفال.",
            "target_group": "أطفال الأحياء الشعبية وأسرهم",
            "governorate": "najaf",
            "objectives": "إيصال الكتب إلى ثلاثة أحياء كل أسبوع وتنظيم جلسات قراءة.",
            "activities": "جمع الكتب بالتبرع، جولة أسبوعية بسيارة متطوعين، جلسات قراءة.",
            "starts_on": today + datetime.timedelta(days=21),
            "ends_on": today + datetime.timedelta(days=90),
            "partners": "مكتبة الروضة الحيدرية العامة",
            "expected_impact": "عادة قراءة لدى مئتي طفل.",
            "indicators": "٢٠٠ طفل، ١٢ جولة، ٥٠٠ كتاب.",
            "risks": "قلة المتطوعين في أيام الامتحانات.",
        },
        budget_lines=[{"item": "وقود الجولات", "quantity": 12, "unit_cost_iqd": 25_000}],
    )
    services.submit_proposal(actor=lead, proposal=proposal)
    services.assign_reviewers(
        actor=manager,
        proposals=[proposal],
        reviewers=[reviewer],
        due_on=today + datetime.timedelta(days=1),
    )
    return 1

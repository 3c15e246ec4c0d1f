"""Mentoring pages: a manager's match round and mentor load per cohort, a mentor's mentees and
one mentorship (accept / decline, meetings, goals, fit), a trainee's mentor, the mentor's profile
and the trainee's intake. Objects are reached through visible_to() / managed_by() only."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts import shapes as cohort_shapes
from cohorts.dashboard import cohort_dashboard
from cohorts.models import Cohort, Membership
from core.errors import Conflict
from core.forms import add_errors
from core.pages import save_form_page, submitted
from core.paging import Paginator

from . import load_reads, load_rows, round_reads, round_rows, services, shapes
from .explain import reasons_text, topics_text
from .forms import (
    DeclineForm,
    FitForm,
    GoalForm,
    IntakeForm,
    MeetingForm,
    MentorProfileForm,
    PairForm,
    WeightsForm,
)
from .models import (
    DEFAULT_WEIGHTS,
    Goal,
    MatchRound,
    MentorProfile,
    Mentorship,
)

QUIET_DAYS = 30
ROUND_PAGE_SIZE = 100  # pairs of a round on one page
LOAD_PAGE_SIZE = 50  # quiet pairs on one page of the mentor load


# --- a manager's pages ---------------------------------------------------------------------------


def _managed_cohort(request, pk) -> Cohort:
    """A cohort this person runs (Cohort.objects.managed_by, as a compiled shape), else 404."""
    cohort = cohort_shapes.managed_cohort(request.user, pk)
    if cohort is None:
        raise Http404
    return cohort


def _round_page(request, cohort, *, form=None, error="", status=200):
    round_ = round_reads.latest_round(cohort.pk)  # a managed cohort's: visible_to's rule
    context = {"cohort": cohort, "round": round_, "error": error, "page": None}
    context["is_draft"] = draft = round_ is not None and round_.status == MatchRound.Status.DRAFT
    if round_ is not None:
        # A page of the round's pairs: a cohort of 1,000 would otherwise put every pair and its
        # forms on one page. Rows are plain values, their HTML built in Python (round_rows).
        page = Paginator(round_reads.pairs(round_.pk), ROUND_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        matched, unmatched = round_reads.pair_rows(page)
        pins, forbids = round_reads.edits(round_.pk)
        mentors, paused = round_reads.mentors()
        token = get_token(request)
        pin_url = reverse("mentoring:round_pin", args=[round_.pk])
        forbid_url = reverse("mentoring:round_forbid", args=[round_.pk])
        context.update(
            csrf_token=token,  # the shell's forms reuse the rows' token: one masking a page
            page=page,
            matched=matched,
            unmatched=unmatched,
            paused=paused,
            matched_html=round_rows.matched_html(
                matched, draft=draft, pin_url=pin_url, forbid_url=forbid_url, csrf_token=token
            ),
            unmatched_html=round_rows.unmatched_html(unmatched),
            trainee_options=round_rows.options_html(
                (r["trainee_id"], r["trainee"]) for r in matched + unmatched
            ),
            mentor_options=round_rows.options_html(mentors),
            has_edits=bool(pins or forbids),
            edits_html=round_rows.edits_html(
                pins, forbids, forbid_url=forbid_url, csrf_token=token
            ),
        )
    if form is None:
        initial = round_.weights if round_ is not None else DEFAULT_WEIGHTS
        form = WeightsForm(initial=initial)
    context["form"] = form
    return render(request, "mentoring/round.html", context, status=400 if form.errors else status)


@login_required
@require_http_methods(["GET", "POST"])
def round_page(request, pk):
    """GET: the cohort's latest round. POST: run (or re-run with new weights) the draft."""
    cohort = _managed_cohort(request, pk)
    if request.method == "GET":
        return _round_page(request, cohort)
    form = WeightsForm(request.POST)
    if not form.is_valid():
        return _round_page(request, cohort, form=form)
    try:
        services.run_match_round(actor=request.user, cohort=cohort, weights=form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return _round_page(request, cohort, form=form)
    except Conflict as exc:
        return _round_page(request, cohort, error=exc.message, status=409)
    messages.success(request, _("The draft was computed."))
    return redirect("mentoring:round", pk=cohort.pk)


def _managed_round(request, pk) -> MatchRound:
    return get_object_or_404(
        MatchRound.objects.visible_to(request.user).select_related("cohort"), pk=pk
    )


def _round_action(request, pk, action):
    round_ = _managed_round(request, pk)
    try:
        action(round_)
    except ValidationError as exc:
        return _round_page(request, round_.cohort, error=" ".join(exc.messages), status=400)
    except Conflict as exc:
        return _round_page(request, round_.cohort, error=exc.message, status=409)
    return redirect("mentoring:round", pk=round_.cohort_id)


def _pair(request, round_):
    form = PairForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a trainee and a mentor of this round."))
    members = Membership.objects.visible_to(request.user).filter(cohort=round_.cohort)
    trainee = members.filter(user_id=form.cleaned_data["trainee"]).select_related("user").first()
    mentor = (
        MentorProfile.objects.visible_to(request.user)
        .filter(user_id=form.cleaned_data["mentor"])
        .select_related("user")
        .first()
    )
    if trainee is None or mentor is None:
        raise ValidationError(_("Choose a trainee and a mentor of this round."))
    return trainee.user, mentor.user, form.cleaned_data["undo"]


@login_required
@require_POST
def round_pin(request, pk):
    def act(round_):
        trainee, mentor, undo = _pair(request, round_)
        edit = services.unpin if undo else services.pin
        edit(actor=request.user, round=round_, trainee=trainee, mentor=mentor)

    return _round_action(request, pk, act)


@login_required
@require_POST
def round_forbid(request, pk):
    def act(round_):
        trainee, mentor, undo = _pair(request, round_)
        edit = services.unforbid if undo else services.forbid
        edit(actor=request.user, round=round_, trainee=trainee, mentor=mentor)

    return _round_action(request, pk, act)


@login_required
@require_POST
def round_rerun(request, pk):
    return _round_action(request, pk, lambda r: services.rerun(actor=request.user, round=r))


@login_required
@require_POST
def round_publish(request, pk):
    def act(round_):
        services.publish_match_round(actor=request.user, round=round_)
        messages.success(request, _("The round was published; mentors and trainees are told."))

    return _round_action(request, pk, act)


def quiet_since() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=QUIET_DAYS)


@login_required
@require_GET
def mentor_load(request, pk):
    """Each mentor of the cohort: current mentees (all cohorts) against capacity; and a page of
    the active pairs without a meeting in the last 30 days (never met first, then the longest
    quiet), their number in the heading. Rows are plain values read as compiled shapes
    (load_reads), their HTML built in Python (load_rows)."""
    cohort = _managed_cohort(request, pk)
    mentors = load_reads.mentors(request.user, cohort.pk)
    quiet = load_reads.quiet(request.user, cohort.pk, quiet_since())
    page = Paginator(quiet, LOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/load.html",
        {
            "cohort": cohort,
            "mentors_html": load_rows.mentors_html(
                (name, mentees, capacity, not taking) for name, mentees, capacity, taking in mentors
            ),
            "has_mentors": bool(mentors),
            "page": page,
            "quiet_html": load_rows.quiet_html(page),
            "days": QUIET_DAYS,
        },
    )


# --- a mentor's and a trainee's pages ------------------------------------------------------------


@login_required
@require_GET
def my_mentees(request):
    mentorships = shapes.my_mentees(request.user)
    return render(
        request,
        "mentoring/my_mentees.html",
        {"mentorships": mentorships, "rows_html": load_rows.mentees_html(mentorships)},
    )


@login_required
@require_GET
def my_mentor(request):
    mentorships = shapes.my_mentors(request.user)
    return render(request, "mentoring/my_mentor.html", {"mentorships": mentorships})


def _mentorship(request, pk) -> Mentorship:
    return shapes.mentorship(request.user, pk)


def _mentorship_page(request, m, *, forms=None, error="", status=200):
    user = request.user
    is_mentor = m.mentor_id == user.pk
    is_trainee = m.trainee_id == user.pk
    forms = forms or {}
    meetings = shapes.meetings(user, m)
    for meeting in meetings:
        meeting.topic_labels = topics_text(meeting.topics)
    active = m.status == Mentorship.Status.ACTIVE
    context = {
        "m": m,
        "is_mentor": is_mentor,
        "is_trainee": is_trainee,
        # Private notes: the mentor and the cohort's managers, never the trainee.
        "show_notes": not is_trainee,
        "reasons": reasons_text(m.reasons),
        "meetings": meetings,
        "goals": shapes.goals(user, m),
        "proposed": m.status == Mentorship.Status.PROPOSED,
        "active": active,
        "decline_form": forms.get("decline") or DeclineForm(),
        "meeting_form": forms.get("meeting") or MeetingForm(),
        "goal_form": forms.get("goal") or GoalForm(),
        "fit_form": forms.get("fit") or FitForm(),
        "can_report_fit": active and (is_mentor or is_trainee) and bool(meetings),
        "my_fit": m.mentor_fit if is_mentor else m.trainee_fit,
        "error": error,
    }
    if active and not is_trainee:
        context["mentee_row"] = _mentee_row(m)
    if any(f.errors for f in forms.values()):
        status = 400
    return render(request, "mentoring/mentorship.html", context, status=status)


def _mentee_row(m):
    """The mentee's row of their cohort's dashboard (course completion, attendance, flags): an
    active mentorship's mentor and the cohort's managers see it, nobody else's."""
    board = cohort_dashboard(m.cohort, user_id=m.trainee_id, with_columns=False)
    return next((row for row in board.matching if row.user_id == m.trainee_id), None)


@login_required
@require_GET
def mentorship_detail(request, pk):
    return _mentorship_page(request, _mentorship(request, pk))


def _mentorship_action(request, pk, name, form, call, done):
    m = _mentorship(request, pk)
    if form is not None and not form.is_valid():
        return _mentorship_page(request, m, forms={name: form})
    try:
        call(m, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is None:
            return _mentorship_page(request, m, error=" ".join(exc.messages), status=400)
        add_errors(form, exc)
        return _mentorship_page(request, m, forms={name: form})
    except Conflict as exc:
        return _mentorship_page(request, m, error=exc.message, status=409)
    messages.success(request, done)
    return redirect("mentoring:mentorship", pk=m.pk)


@login_required
@require_POST
def mentorship_accept(request, pk):
    return _mentorship_action(
        request,
        pk,
        "accept",
        None,
        lambda m, d: services.accept(actor=request.user, mentorship=m),
        _("You accepted this mentorship."),
    )


@login_required
@require_POST
def mentorship_decline(request, pk):
    return _mentorship_action(
        request,
        pk,
        "decline",
        DeclineForm(request.POST),
        lambda m, d: services.decline(actor=request.user, mentorship=m, reason=d["reason"]),
        _("You declined this mentorship."),
    )


@login_required
@require_POST
def mentorship_meeting(request, pk):
    return _mentorship_action(
        request,
        pk,
        "meeting",
        MeetingForm(request.POST),
        lambda m, d: services.log_meeting(actor=request.user, mentorship=m, **d),
        _("The meeting was logged."),
    )


@login_required
@require_POST
def mentorship_goal(request, pk):
    def call(m, d):
        goal = None
        goal_id = request.POST.get("goal", "")
        if goal_id:
            if not goal_id.isascii() or not goal_id.isdigit() or len(goal_id) > 10:
                raise ValidationError(_("Unknown goal."))
            goal = Goal.objects.visible_to(request.user).filter(mentorship=m, pk=goal_id).first()
            if goal is None:
                raise ValidationError(_("Unknown goal."))
        services.set_goal(
            actor=request.user, mentorship=m, text=d["text"], progress=d["progress"], goal=goal
        )

    return _mentorship_action(
        request, pk, "goal", GoalForm(request.POST), call, _("The goal was saved.")
    )


@login_required
@require_POST
def mentorship_fit(request, pk):
    return _mentorship_action(
        request,
        pk,
        "fit",
        FitForm(request.POST),
        lambda m, d: services.report_fit(actor=request.user, mentorship=m, fit=d["fit"]),
        _("Thank you: your view of the fit was saved."),
    )


# --- profiles ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mentor_profile(request):
    if not request.user.is_mentor:
        raise PermissionDenied(_("Only mentors have a mentor profile."))
    profile = shapes.my_mentor_profile(request.user)  # visible_to's rule, as stored SQL
    form = MentorProfileForm(submitted(request), instance=profile)
    return save_form_page(
        request,
        form,
        lambda data: services.save_mentor_profile(
            actor=request.user, user=request.user, **_fields(form)
        ),
        success=_("Your profile was saved."),
        done=reverse("mentoring:profile"),
        template="mentoring/form.html",
        title=_("My mentor profile"),
    )


def _fields(form):
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def intake(request, pk):
    """The trainee's intake for one cohort membership of theirs."""
    membership = shapes.my_intake_membership(request.user, pk)  # else 404
    current = getattr(membership, "mentoring_intake", None)
    form = IntakeForm(submitted(request), instance=current)
    return save_form_page(
        request,
        form,
        lambda data: services.save_intake(
            actor=request.user, membership=membership, **_fields(form)
        ),
        success=_("Your answers were saved."),
        done=reverse("mentoring:intake", args=[membership.pk]),
        template="mentoring/form.html",
        title=_("What I bring to mentoring"),
        cohort=membership.cohort,
    )

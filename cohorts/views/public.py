"""The public pages (recruiting cohorts, a cohort's page with its application form) and a
member's own pages: my cohorts, attendance, self check-in, excuse requests, calendar address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_errors
from core.paging import Paginator

from .. import services, shapes
from ..forms import DATA_USE_TEXT, ApplicationForm, CheckInForm, ExcuseForm
from ..models import (
    BAGHDAD,
    Application,
    Attendance,
    Cohort,
    ExcuseRequest,
    Membership,
    Session,
)
from ..services import Conflict
from ..session_cards import session_cards_html
from .common import ANNOUNCEMENTS_ON_COHORT_PAGE, PAGE_SIZE, UPCOMING_ON_COHORT_PAGE


@require_GET
def cohort_list(request):
    """Recruiting cohorts, open to everyone (signed out too)."""
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .recruiting()
        # Past its application deadline, a cohort is no longer open to apply to.
        .filter(
            Q(applications_close_on__isnull=True)
            | Q(applications_close_on__gte=timezone.localdate(timezone=BAGHDAD))
        )
        .only(
            "id",
            "name",
            "name_en",
            "description",
            "description_en",
            "governorate",
            "track",
            "venue",
            "starts_on",
            "ends_on",
            "applications_close_on",
            "capacity",
            "status",
        )  # fmt: skip
        .order_by("starts_on", "id")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cohorts/cohort_list.html", {"page": page})


def _my_membership(user, cohort) -> Membership | None:
    if not user.is_authenticated:
        return None
    return shapes.MY_MEMBERSHIP.first(cohort.pk, user.pk)


def _cohort_page(request, cohort, *, form=None, status=200, error=""):
    """The cohort's page: public facts and the application form; for members their sessions and
    announcements; for applicants the status of their application."""
    user = request.user
    now = timezone.now()
    membership = _my_membership(user, cohort)
    active = membership if membership is not None and membership.is_active else None
    application = shapes.MY_APPLICATION.first(cohort.pk, user.pk) if user.is_authenticated else None
    # A manager's own membership says so; only staff need the access rule asked.
    manages = (active is not None and active.role == Membership.Role.MANAGER) or (
        user.is_authenticated
        and (user.is_staff or user.is_superuser)
        and services.can_manage_cohort(user, cohort)
    )
    can_apply = (
        cohort.taking_applications()
        and application is None
        and active is None
        and (not user.is_authenticated or user.is_trainee)
    )
    questions = list(cohort.application_questions.all()) if can_apply else []
    if can_apply and form is None:
        form = ApplicationForm(questions=questions)
    context = {
        "cohort": cohort,
        "membership": membership,
        "active": active,
        "application": application,
        "manages": manages,
        "can_apply": can_apply,
        "form": form if can_apply else None,
        "data_use_text": DATA_USE_TEXT,
        "error": error,
        # The places taken are shown while the cohort recruits.
        "trainee_count": cohort.active_trainee_count() if cohort.is_recruiting else None,
        "now": now,
    }
    if active is not None:
        context.update(_member_context(user, cohort, active, now))
    else:
        context.update(_programme_context(cohort, now))
    return render(request, "cohorts/cohort_detail.html", context, status=status)


def _programme_context(cohort, now) -> dict:
    """What someone deciding whether to apply wants to know: the courses of the curriculum and
    the schedule of the next sessions (titles and times; no venue links, which are for
    members), in two queries."""
    courses = [
        item.course
        for item in cohort.curriculum.select_related("course")
        .only("id", "position", "course__id", "course__title", "course__title_en")
        .order_by("position", "id")
    ]
    schedule = list(
        Session.objects.filter(cohort=cohort)
        .upcoming(now)
        .only("id", "title", "title_en", "format", "mode", "starts_at", "ends_at", "cohort_id")[
            :UPCOMING_ON_COHORT_PAGE
        ]
    )
    return {"curriculum_courses": courses, "schedule": schedule}


def _member_context(user, cohort, membership, now) -> dict:
    """The next sessions, with the trainee's own mark and excuse read in the same query."""
    is_trainee = membership.role == Membership.Role.TRAINEE
    limit = UPCOMING_ON_COHORT_PAGE
    if is_trainee:
        upcoming = shapes.MY_UPCOMING.list(cohort.pk, user.pk, now, limit=limit)
    else:
        upcoming = shapes.UPCOMING.list(cohort.pk, now, limit=limit)
    marks = dict(Attendance.Status.choices)
    excuses = dict(ExcuseRequest.Status.choices)
    rows = []
    for session in upcoming:
        session.cohort = cohort  # for its place; already loaded
        opens, closes = services.check_in_window(session)
        mark, excuse = getattr(session, "my_mark", None), getattr(session, "my_excuse", None)
        # Once the trainee is recorded as there, neither checking in nor excusing oneself makes
        # sense; an excuse is asked only while nothing is recorded for the session yet.
        attended = mark in (Attendance.Status.PRESENT, Attendance.Status.LATE)
        rows.append(
            {
                "session": session,
                "mark": mark,
                "mark_label": marks.get(mark, ""),
                "excuse_label": excuses.get(excuse, ""),
                "check_in_open": is_trainee and not attended and opens <= now <= closes,
                "can_excuse": (
                    is_trainee and now < session.starts_at and excuse is None and mark is None
                ),
            }
        )
    announcements = shapes.ANNOUNCEMENTS.list(cohort.pk, limit=ANNOUNCEMENTS_ON_COHORT_PAGE)
    return {
        "upcoming": rows,
        "session_cards": session_cards_html(rows),
        "announcements": announcements,
        "is_trainee": is_trainee,
    }


@require_GET
def cohort_detail(request, pk):
    cohort = shapes.visible_cohort(request.user, pk)
    if cohort is None:
        raise Http404
    return _cohort_page(request, cohort)


@login_required
@require_POST
def apply(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    questions = list(cohort.application_questions.all())
    form = ApplicationForm(request.POST, questions=questions)
    if not form.is_valid():
        return _cohort_page(request, cohort, form=form, status=400)
    try:
        services.apply_to_cohort(applicant=request.user, cohort=cohort, **form.service_fields())
    except ValidationError as exc:
        add_errors(form, exc)
        return _cohort_page(request, cohort, form=form, status=400)
    except Conflict as exc:
        return _cohort_page(request, cohort, status=409, error=exc.message)
    messages.success(
        request,
        _("Your application was received. You will be told here and by e-mail of the decision."),
    )
    return redirect("cohorts:detail", pk=cohort.pk)


@login_required
@require_POST
def withdraw_application(request, pk):
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("cohort"),
        cohort_id=pk,
        applicant=request.user,
    )
    try:
        services.withdraw_application(user=request.user, application=application)
    except Conflict as exc:
        return _cohort_page(request, application.cohort, status=409, error=exc.message)
    messages.success(request, _("Your application was withdrawn."))
    return redirect("cohorts:detail", pk=pk)


# --- A member's pages -----------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """The person's cohorts (with their role and next session) and their applications."""
    user = request.user
    now = timezone.now()
    upcoming = Session.objects.filter(cohort=OuterRef("cohort_id"), ends_at__gt=now).order_by(
        "starts_at", "id"
    )
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("cohort")
        .annotate(
            next_session_id=Subquery(upcoming.values("id")[:1]),
            next_session_title=Subquery(upcoming.values("title")[:1]),
            next_session_title_en=Subquery(upcoming.values("title_en")[:1]),
            next_session_starts=Subquery(upcoming.values("starts_at")[:1]),
        )
        .order_by("-cohort__starts_on", "-joined_at", "-id")
    )
    # Applications that did not lead to a membership (accepted ones show as the cohort itself).
    applications = list(
        Application.objects.filter(applicant=user)
        .exclude(status=Application.Status.ACCEPTED)
        .select_related("cohort")
        .order_by("-submitted_at", "-id")
    )
    return render(
        request,
        "cohorts/my_cohorts.html",
        {
            "memberships": memberships,
            "applications": applications,
            "can_create": user.can_manage(),
        },
    )


@login_required
@require_GET
def my_attendance(request, pk):
    """The trainee's own marks in the cohort's held sessions."""
    user = request.user
    cohort = get_object_or_404(
        Cohort.objects.visible_to(user)
        .filter(memberships__user=user, memberships__role=Membership.Role.TRAINEE)
        .distinct(),
        pk=pk,
    )
    now = timezone.now()
    sessions = list(Session.objects.filter(cohort=cohort).held(now).order_by("starts_at", "id"))
    marks = {
        a.session_id: a
        for a in Attendance.objects.visible_to(user).filter(user=user, session__cohort=cohort)
    }
    for mark in marks.values():
        mark.user = user  # her own marks read in the feminine (Attendance.get_status_display)
    counted = [marks.get(s.pk) for s in sessions]
    attended = sum(1 for a in counted if a is not None and a.attended)
    excused = sum(1 for a in counted if a is not None and a.status == Attendance.Status.EXCUSED)
    expected = len(sessions) - excused
    return render(
        request,
        "cohorts/my_attendance.html",
        {
            "cohort": cohort,
            "rows": [(s, marks.get(s.pk)) for s in sessions],
            "attended": attended,
            "expected": expected,
            "percent": attended * 100 // expected if expected else None,
        },
    )


def _require_trainee_of(user, session) -> None:
    """Check-in and excuses are a trainee's own acts; the services refuse anyone else too."""
    if not (
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=session.cohort_id, user=user)
        .exists()
    ):
        raise PermissionDenied(_("Only the cohort's trainees check in and ask to be excused."))


def _check_in_page(request, session, *, form, status=200, error=""):
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    if attendance is not None:
        attendance.user = request.user
    opens, closes = services.check_in_window(session)
    return render(
        request,
        "cohorts/check_in.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "attendance": attendance,
            "opens": opens,
            "closes": closes,
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    """Self check-in with the code shown in the room (the QR code opens this page with the code
    filled in; only the button checks in)."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("cohort"), pk=pk
    )
    if request.method == "GET":
        _require_trainee_of(request.user, session)
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:20]})
        return _check_in_page(request, session, form=form)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _check_in_page(request, session, form=form, status=400)
    try:
        attendance = services.check_in(
            user=request.user, session=session, code=form.cleaned_data["code"]
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return _check_in_page(request, session, form=form, status=400)
    except Conflict as exc:
        return _check_in_page(request, session, form=form, status=409, error=exc.message)
    if attendance.status == Attendance.Status.LATE:
        messages.warning(request, _("You are checked in, marked late."))
    else:
        messages.success(request, _("You are checked in, marked present."))
    return redirect("cohorts:check_in", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_excuse(request, pk):
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("cohort"), pk=pk
    )
    if request.method == "GET":
        _require_trainee_of(request.user, session)
    excuse = ExcuseRequest.objects.filter(session=session, user=request.user).first()
    form = ExcuseForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_excuse(
                    user=request.user, session=session, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            except Conflict as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Your request was sent to the facilitator."))
                return redirect("cohorts:detail", pk=session.cohort_id)
        else:
            status = 400
    return render(
        request,
        "cohorts/excuse_form.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "excuse": excuse,
            "error": error,
            "started": timezone.now() >= session.starts_at,
        },
        status=status,
    )


@login_required
@require_GET
def calendar(request):
    """The person's secret calendar address, to add to a phone's calendar."""
    feed = services.calendar_feed_for(request.user)
    url = request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": feed.token}))
    return render(request, "cohorts/calendar.html", {"url": url, "feed": feed})


@login_required
@require_POST
def calendar_rotate(request):
    services.rotate_calendar_token(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address; the old one no longer works. Add the new one."),
    )
    return redirect("cohorts:calendar")

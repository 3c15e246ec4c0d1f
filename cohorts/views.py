"""Cohort pages: the public page of a cohort with its application form and the list of
recruiting cohorts; a member's cohorts, sessions, check-in, excuses, attendance and calendar
address; and the pages a cohort's managers run it with (selection, curriculum, people,
announcements, sessions, roll call, sign-in sheets, excuses and the dashboard).

Objects are reached through their model's `visible_to(user)`, and a cohort's management pages
through `Cohort.objects.managed_by(user)`: out of scope answers 404. Every change is a call to
cohorts.services: bad input shows the form again with 400, an action the person may not take
answers 403, a state that forbids it 409 with the service's message."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from courses.models import Course

from . import dashboard as dash
from . import exports, services
from .forms import (
    DATA_USE_TEXT,
    AddMemberForm,
    AnnouncementForm,
    ApplicationFilterForm,
    ApplicationForm,
    BulkDecisionForm,
    CheckInForm,
    CohortForm,
    CurriculumItemForm,
    DashboardFilterForm,
    DecisionForm,
    ExcuseForm,
    ImportForm,
    MoveForm,
    SeriesForm,
    SessionForm,
    StatusForm,
    WithdrawForm,
    add_errors,
    question_formset,
    questions_from,
    session_fields,
)
from .models import (
    Announcement,
    Application,
    Attendance,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)
from .qr import qr_svg
from .services import Conflict

PAGE_SIZE = 50
# The roll call shows this many trainees per page: a phone renders a hundred rows of four buttons
# quickly, and most cohorts fit on one page.
ROLL_CALL_PAGE_SIZE = 100
UPCOMING_ON_COHORT_PAGE = 10
ANNOUNCEMENTS_ON_COHORT_PAGE = 5


def _render(request, template, context, *, status=200):
    return render(request, template, context, status=status)


def _problem(request, message, *, back, status=409):
    """A refused action whose page has no form to show the error on."""
    return render(
        request, "cohorts/problem.html", {"message": message, "back": back}, status=status
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _managed_cohort(request, pk) -> Cohort:
    """A cohort this person runs; any other (even one they belong to) is not found."""
    return get_object_or_404(Cohort.objects.managed_by(request.user), pk=pk)


def _attendance_session(request, pk) -> Session:
    """A session whose attendance this person takes (its facilitator, the cohort's managers).
    A member who can see the session but not take attendance is refused (403)."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("cohort", "facilitator"), pk=pk
    )
    if not services.can_take_attendance(request.user, session):
        raise PermissionDenied(_("Only the facilitator or the cohort's managers take attendance."))
    return session


# --- Public pages and the application form --------------------------------------------------------


@require_GET
def cohort_list(request):
    """Recruiting cohorts, open to everyone (signed out too)."""
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .recruiting()
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
            "capacity",
            "status",
        )  # fmt: skip
        .order_by("starts_on", "id")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "cohorts/cohort_list.html", {"page": page})


def _my_membership(user, cohort) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(cohort=cohort, user=user).order_by("-joined_at", "-id").first()


def _cohort_page(request, cohort, *, form=None, status=200, error=""):
    """The cohort's page: public facts and the application form; for members their sessions and
    announcements; for applicants the status of their application."""
    user = request.user
    now = timezone.now()
    membership = _my_membership(user, cohort)
    active = membership if membership is not None and membership.is_active else None
    application = (
        Application.objects.filter(cohort=cohort, applicant=user).first()
        if user.is_authenticated
        else None
    )
    # A manager's own membership says so; only staff need the access rule asked.
    manages = (active is not None and active.role == Membership.Role.MANAGER) or (
        user.is_authenticated
        and (user.is_staff or user.is_superuser)
        and services.can_manage_cohort(user, cohort)
    )
    can_apply = (
        cohort.is_recruiting
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
    return _render(request, "cohorts/cohort_detail.html", context, status=status)


def _member_context(user, cohort, membership, now) -> dict:
    """The next sessions, with the trainee's own mark and excuse read in the same query."""
    is_trainee = membership.role == Membership.Role.TRAINEE
    upcoming = Session.objects.filter(cohort=cohort).upcoming(now)
    if is_trainee:
        mine = {"session": OuterRef("pk"), "user": user}
        upcoming = upcoming.annotate(
            my_mark=Subquery(Attendance.objects.filter(**mine).values("status")[:1]),
            my_excuse=Subquery(ExcuseRequest.objects.filter(**mine).values("status")[:1]),
        )
    marks = dict(Attendance.Status.choices)
    excuses = dict(ExcuseRequest.Status.choices)
    rows = []
    for session in upcoming[:UPCOMING_ON_COHORT_PAGE]:
        session.cohort = cohort  # for its place; already loaded
        opens, closes = services.check_in_window(session)
        mark, excuse = getattr(session, "my_mark", None), getattr(session, "my_excuse", None)
        rows.append(
            {
                "session": session,
                "mark": mark,
                "mark_label": marks.get(mark, ""),
                "excuse_label": excuses.get(excuse, ""),
                "check_in_open": is_trainee and opens <= now <= closes,
                "can_excuse": is_trainee and now < session.starts_at and excuse is None,
            }
        )
    announcements = list(
        Announcement.objects.filter(cohort=cohort).order_by("-created_at", "-id")[
            :ANNOUNCEMENTS_ON_COHORT_PAGE
        ]
    )
    return {"upcoming": rows, "announcements": announcements, "is_trainee": is_trainee}


@require_GET
def cohort_detail(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
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
    return _render(
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
    counted = [marks.get(s.pk) for s in sessions]
    attended = sum(1 for a in counted if a is not None and a.attended)
    excused = sum(1 for a in counted if a is not None and a.status == Attendance.Status.EXCUSED)
    expected = len(sessions) - excused
    return _render(
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
    opens, closes = services.check_in_window(session)
    return _render(
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
    return _render(
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
    return _render(request, "cohorts/calendar.html", {"url": url, "feed": feed})


@login_required
@require_POST
def calendar_rotate(request):
    services.rotate_calendar_token(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address; the old one no longer works. Add the new one."),
    )
    return redirect("cohorts:calendar")


# --- Managers: cohorts ----------------------------------------------------------------------------


@login_required
@require_GET
def manage_list(request):
    """The cohorts this person runs, with the figures a manager checks first."""
    user = request.user
    active_trainees = Q(
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.TRAINEE,
    )
    waiting = Application.objects.filter(
        cohort=OuterRef("pk"),
        status__in=[Application.Status.SUBMITTED, Application.Status.SHORTLISTED],
    )
    cohorts = (
        Cohort.objects.managed_by(user)
        .annotate(
            trainee_count=Count("memberships", filter=active_trainees),
            waiting_count=Subquery(
                waiting.order_by().values("cohort").annotate(n=Count("id")).values("n")[:1]
            ),
        )
        .order_by("-starts_on", "id")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    if not user.can_manage() and not page.object_list:
        raise PermissionDenied
    return _render(
        request, "cohorts/manage_list.html", {"page": page, "can_create": user.can_manage()}
    )


def _form_page(request, form, *, title, cohort=None, template="cohorts/form.html", **context):
    return _render(
        request,
        template,
        {"form": form, "title": title, "cohort": cohort, **context},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    if not request.user.can_manage():
        raise PermissionDenied(_("Only program managers can create cohorts."))
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The cohort was created as a draft."))
            return redirect("cohorts:manage_cohort", pk=cohort.pk)
    return _form_page(request, form, title=_("New cohort"))


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, pk):
    cohort = _managed_cohort(request, pk)
    if request.method == "POST":
        form = CohortForm(request.POST)
        if form.is_valid():
            try:
                services.update_cohort(actor=request.user, cohort=cohort, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The cohort was saved."))
                return redirect("cohorts:manage_cohort", pk=cohort.pk)
    else:
        form = CohortForm(initial=CohortForm.initial_for(cohort))
    return _form_page(request, form, title=_("Edit the cohort"), cohort=cohort)


def _overview(request, cohort, *, status=200, error=""):
    by_status = dict(
        Application.objects.filter(cohort=cohort)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    roles = dict(
        Membership.objects.active()
        .filter(cohort=cohort)
        .order_by()
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    now = timezone.now()
    transitions = [
        (value, Cohort.Status(value).label)
        for value in Cohort.Status.values
        if value in services.STATUS_TRANSITIONS[cohort.status]
    ]
    return _render(
        request,
        "cohorts/manage_cohort.html",
        {
            "cohort": cohort,
            "transitions": transitions,
            "applications": [
                (label, by_status.get(value, 0)) for value, label in Application.Status.choices
            ],
            "roles": [(label, roles.get(value, 0)) for value, label in Membership.Role.choices],
            "trainee_count": roles.get(Membership.Role.TRAINEE, 0),
            "upcoming": list(Session.objects.filter(cohort=cohort).upcoming(now)[:5]),
            "pending_excuses": ExcuseRequest.objects.pending()
            .filter(session__cohort=cohort)
            .count(),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def manage_cohort(request, pk):
    return _overview(request, _managed_cohort(request, pk))


@login_required
@require_POST
def change_status(request, pk):
    cohort = _managed_cohort(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _overview(request, cohort, status=400, error=_("Unknown status."))
    try:
        cohort = services.change_cohort_status(
            actor=request.user, cohort=cohort, status=form.cleaned_data["status"]
        )
    except Conflict as exc:
        return _overview(request, cohort, status=409, error=exc.message)
    messages.success(
        request, _("The cohort is now “%(status)s”.") % {"status": cohort.get_status_display()}
    )
    return redirect("cohorts:manage_cohort", pk=cohort.pk)


# --- Managers: curriculum and the application form ------------------------------------------------


def _curriculum_items(cohort):
    return list(
        CurriculumItem.objects.filter(cohort=cohort)
        .select_related("course")
        .only(
            "id",
            "position",
            "due_on",
            "required",
            "cohort_id",
            "course__id",
            "course__title",
            "course__title_en",
            "course__is_published",
        )  # fmt: skip
        .order_by("position", "id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum(request, pk):
    """The cohort's courses in order, with due dates; add, remove and reorder."""
    cohort = _managed_cohort(request, pk)
    items = _curriculum_items(cohort)
    courses = (
        Course.objects.visible_to(request.user)
        .exclude(pk__in=[item.course_id for item in items])
        .order_by("title", "id")
    )
    form = CurriculumItemForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_curriculum_item(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The course was added to the curriculum."))
            return redirect("cohorts:curriculum", pk=cohort.pk)
    return _render(
        request,
        "cohorts/curriculum.html",
        {"cohort": cohort, "items": items, "form": form},
        status=400 if form.errors else 200,
    )


def _curriculum_item(request, pk, item_pk) -> CurriculumItem:
    cohort = _managed_cohort(request, pk)
    return get_object_or_404(
        CurriculumItem.objects.select_related("cohort"), cohort=cohort, pk=item_pk
    )


@login_required
@require_POST
def curriculum_remove(request, pk, item_pk):
    item = _curriculum_item(request, pk, item_pk)
    services.remove_curriculum_item(actor=request.user, item=item)
    messages.success(request, _("The course was removed from the curriculum."))
    return redirect("cohorts:curriculum", pk=pk)


@login_required
@require_POST
def curriculum_move(request, pk, item_pk):
    item = _curriculum_item(request, pk, item_pk)
    form = MoveForm(request.POST)
    back = reverse("cohorts:curriculum", args=[pk])
    if not form.is_valid():
        return _problem(request, _("Choose to move up or down."), back=back, status=400)
    items = _curriculum_items(item.cohort)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if form.cleaned_data["direction"] == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        services.set_curriculum(
            actor=request.user,
            cohort=item.cohort,
            items=[
                services.CurriculumEntry(course=i.course, due_on=i.due_on, required=i.required)
                for i in items
            ],
        )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def questions(request, pk):
    """The cohort's own questions on the application form (up to ten)."""
    cohort = _managed_cohort(request, pk)
    current = list(cohort.application_questions.all())
    formset = question_formset(request.POST or None, questions=current)
    status, errors = 200, []
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.set_application_questions(
                    actor=request.user, cohort=cohort, questions=questions_from(formset)
                )
            except ValidationError as exc:
                status, errors = 400, exc.messages
            else:
                messages.success(request, _("The application questions were saved."))
                return redirect("cohorts:questions", pk=cohort.pk)
        else:
            status = 400
    return _render(
        request,
        "cohorts/questions.html",
        {"cohort": cohort, "formset": formset, "errors": errors},
        status=status,
    )


# --- Managers: applications -----------------------------------------------------------------------

# What a bulk decision reports, per resulting status and per refusal.
DONE = {
    Application.Status.SHORTLISTED: lambda n: ngettext(
        "%(count)s shortlisted", "%(count)s shortlisted", n
    ),
    Application.Status.ACCEPTED: lambda n: ngettext("%(count)s accepted", "%(count)s accepted", n),
    Application.Status.WAITLISTED: lambda n: ngettext(
        "%(count)s waitlisted", "%(count)s waitlisted", n
    ),
    Application.Status.REJECTED: lambda n: ngettext(
        "%(count)s not accepted", "%(count)s not accepted", n
    ),
}
NOT_DONE = {
    Application.Status.SHORTLISTED: lambda n: ngettext(
        "%(count)s not shortlisted: %(reason)s", "%(count)s not shortlisted: %(reason)s", n
    ),
    Application.Status.ACCEPTED: lambda n: ngettext(
        "%(count)s not accepted: %(reason)s", "%(count)s not accepted: %(reason)s", n
    ),
    Application.Status.WAITLISTED: lambda n: ngettext(
        "%(count)s not waitlisted: %(reason)s", "%(count)s not waitlisted: %(reason)s", n
    ),
    Application.Status.REJECTED: lambda n: ngettext(
        "%(count)s not rejected: %(reason)s", "%(count)s not rejected: %(reason)s", n
    ),
}


def _applications_queryset(cohort, user, filters):
    applications = (
        Application.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("applicant")
        .only(
            "id",
            "status",
            "submitted_at",
            "decided_at",
            "motivation",
            "cohort_id",
            "applicant__id",
            "applicant__full_name",
            "applicant__full_name_latin",
            "applicant__email",
            "applicant__governorate",
        )  # fmt: skip
        .order_by("submitted_at", "id")
    )
    if filters.get("status"):
        applications = applications.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"]
        applications = applications.filter(
            Q(applicant__full_name__icontains=q)
            | Q(applicant__full_name_latin__icontains=q)
            | Q(applicant__email__icontains=q)
        )
    return applications


@login_required
@require_GET
def applications(request, pk):
    """The cohort's applications with filters and bulk decisions."""
    cohort = _managed_cohort(request, pk)
    filters = ApplicationFilterForm(request.GET)
    filters.is_valid()
    page = Paginator(
        _applications_queryset(cohort, request.user, filters.cleaned_data), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = dict(
        Application.objects.filter(cohort=cohort)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return _render(
        request,
        "cohorts/applications.html",
        {
            "cohort": cohort,
            "filters": filters,
            "page": page,
            "counts": [(v, label, counts.get(v, 0)) for v, label in Application.Status.choices],
            "bulk": BulkDecisionForm(),
            "trainee_count": cohort.active_trainee_count(),
        },
    )


@login_required
@require_POST
def applications_bulk(request, pk):
    """One decision for the selected applications; the counts and any refusals are reported."""
    cohort = _managed_cohort(request, pk)
    back = _safe_next(request, reverse("cohorts:applications", args=[cohort.pk]))
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _problem(request, message, back=back, status=400)
    decision = form.cleaned_data["decision"]
    result = services.bulk_decide(
        actor=request.user,
        cohort=cohort,
        application_ids=form.cleaned_data["ids"],
        decision=decision,
        overflow="waitlist" if request.POST.get("waitlist_if_full") else "refuse",
    )
    done = [
        DONE[status](count) % {"count": count}
        for status, count in sorted(result.counts.items())
        if status in DONE
    ]
    unchanged = sum(1 for r in result.decided if not r.changed)
    if done:
        messages.success(request, _("Decided: %(list)s.") % {"list": ", ".join(done)})
    if unchanged:
        messages.info(
            request,
            ngettext(
                "%(count)s already had this decision.",
                "%(count)s already had this decision.",
                unchanged,
            )
            % {"count": unchanged},
        )
    if result.failed:
        names = dict(
            Application.objects.filter(pk__in=list(result.failed)).values_list(
                "pk", "applicant__full_name"
            )
        )
        by_reason = Counter(result.failed.values())
        for reason, count in by_reason.items():
            who = ", ".join(
                names.get(pk, "") for pk, message in result.failed.items() if message == reason
            )
            messages.error(
                request,
                NOT_DONE[decision](count) % {"count": count, "reason": reason} + f" ({who})",
            )
    if not (done or unchanged or result.failed):
        messages.error(request, _("None of the selected applications belongs to this cohort."))
    return redirect(back)


def _application_page(request, application, *, form=None, status=200, error=""):
    questions = list(application.cohort.application_questions.all())
    answers = [(q.display_text, application.answers.get(str(q.pk), "")) for q in questions]
    known = {str(q.pk) for q in questions}
    # Answers to questions removed since stay readable.
    answers += [
        (_("Earlier question"), v) for k, v in application.answers.items() if k not in known
    ]
    allowed = services.DECISIONS[application.status]
    return _render(
        request,
        "cohorts/application.html",
        {
            "cohort": application.cohort,
            "application": application,
            "answers": answers,
            "form": form or DecisionForm(),
            "can_decide": bool(allowed),
            "error": error,
        },
        status=status,
    )


def _managed_application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.filter(
            cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("cohort", "applicant", "decided_by"),
        pk=pk,
    )


@login_required
@require_GET
def application(request, pk):
    return _application_page(request, _managed_application(request, pk))


@login_required
@require_POST
def application_decide(request, pk):
    application = _managed_application(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, form=form, status=400)
    decision = form.cleaned_data["decision"]
    try:
        result = services.decide_application(
            actor=request.user,
            application=application,
            decision=decision,
            note=form.cleaned_data["note"],
            overflow="waitlist" if form.cleaned_data["waitlist_if_full"] else "refuse",
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return _application_page(request, application, form=form, status=400)
    except Conflict as exc:
        return _application_page(request, application, form=form, status=409, error=exc.message)
    if result.status != decision:
        messages.warning(
            request,
            _("The cohort is full: the application was put on the waiting list instead."),
        )
    else:
        messages.success(
            request,
            _("Decision saved: %(status)s.") % {"status": Application.Status(result.status).label},
        )
    return redirect("cohorts:application", pk=application.pk)


@login_required
@require_GET
def applications_export(request, pk):
    """The applications the filters select, as CSV (streamed) for the selection committee."""
    cohort = _managed_cohort(request, pk)
    filters = ApplicationFilterForm(request.GET)
    filters.is_valid()
    applications = (
        Application.objects.visible_to(request.user)
        .filter(
            pk__in=_applications_queryset(cohort, request.user, filters.cleaned_data).values("pk")
        )
        .select_related("applicant")
        .order_by("submitted_at", "id")
    )
    return exports.applications_response(cohort, applications)


# --- Managers: members and announcements ----------------------------------------------------------


def _members_page(request, cohort, *, form=None, status=200, error=""):
    show = request.GET.get("status", Membership.Status.ACTIVE)
    memberships = (
        Membership.objects.filter(cohort=cohort)
        .select_related("user")
        .only(
            "id",
            "role",
            "status",
            "joined_at",
            "left_at",
            "cohort_id",
            "user__id",
            "user__full_name",
            "user__email",
            "user__governorate",
        )  # fmt: skip
        .order_by("role", "user__full_name", "id")
    )
    if show in Membership.Status.values:
        memberships = memberships.filter(status=show)
    role = request.GET.get("role", "")
    if role in Membership.Role.values:
        memberships = memberships.filter(role=role)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "cohorts/members.html",
        {
            "cohort": cohort,
            "page": page,
            "form": form or AddMemberForm(),
            "show": show,
            "role": role,
            "statuses": Membership.Status.choices,
            "roles": Membership.Role.choices,
            "error": error,
            "trainee_count": cohort.active_trainee_count(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request, pk):
    """The cohort's people; managers add a mentor, facilitator, co-manager or trainee."""
    cohort = _managed_cohort(request, pk)
    if request.method == "GET":
        return _members_page(request, cohort)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        return _members_page(request, cohort, form=form, status=400)
    person = (
        User.objects.visible_to(request.user)
        .filter(email__iexact=form.cleaned_data["email"], is_active=True)
        .first()
    )
    if person is None:
        form.add_error("email", _("No active account uses this e-mail address."))
        return _members_page(request, cohort, form=form, status=400)
    try:
        services.add_member(
            actor=request.user, cohort=cohort, user=person, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return _members_page(request, cohort, form=form, status=400)
    except Conflict as exc:
        return _members_page(request, cohort, form=form, status=409, error=exc.message)
    messages.success(
        request,
        _("%(name)s joined the cohort as %(role)s.")
        % {"name": person.full_name, "role": Membership.Role(form.cleaned_data["role"]).label},
    )
    return redirect("cohorts:members", pk=cohort.pk)


@login_required
@require_POST
def member_withdraw(request, pk):
    membership = get_object_or_404(
        Membership.objects.filter(
            cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("cohort", "user"),
        pk=pk,
    )
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        result = services.withdraw_membership(
            actor=request.user, membership=membership, reason=reason
        )
    except Conflict as exc:
        return _members_page(request, membership.cohort, status=409, error=exc.message)
    messages.success(request, _("%(name)s left the cohort.") % {"name": membership.user.full_name})
    for promoted in result.promoted:
        messages.success(
            request,
            _("%(name)s was accepted from the waiting list into the free place.")
            % {"name": promoted.applicant.full_name},
        )
    return redirect("cohorts:members", pk=membership.cohort_id)


@login_required
@require_http_methods(["GET", "POST"])
def announcements(request, pk):
    """Announcements to every member: in-app and by e-mail (sent in the background)."""
    cohort = _managed_cohort(request, pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_announcement(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The announcement is being sent to every member of the cohort.")
            )
            return redirect("cohorts:announcements", pk=cohort.pk)
    page = Paginator(
        Announcement.objects.visible_to(request.user)
        .filter(cohort=cohort)
        .select_related("author")
        .order_by("-created_at", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return _render(
        request,
        "cohorts/announcements.html",
        {"cohort": cohort, "form": form, "page": page},
        status=400 if form.errors else 200,
    )


# --- Managers: sessions ---------------------------------------------------------------------------


@login_required
@require_GET
def sessions(request, pk):
    cohort = _managed_cohort(request, pk)
    A = Attendance.Status
    listed = (
        Session.objects.filter(cohort=cohort)
        .select_related("facilitator")
        .only(
            "id",
            "title",
            "title_en",
            "format",
            "mode",
            "starts_at",
            "ends_at",
            "cohort_id",
            "facilitator__id",
            "facilitator__full_name",
        )  # fmt: skip
        .annotate(
            attended=Count("attendance", filter=Q(attendance__status__in=[A.PRESENT, A.LATE])),
            marked=Count("attendance"),
        )
        .order_by("starts_at", "id")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "cohorts/sessions.html",
        {"cohort": cohort, "page": page, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    cohort = _managed_cohort(request, pk)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                actor=request.user,
                cohort=cohort,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                **session_fields(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect("cohorts:session", pk=session.pk)
    return _form_page(request, form, title=_("New session"), cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def session_series(request, pk):
    """Weekly sessions on chosen days between two dates (Fridays skipped unless unticked)."""
    cohort = _managed_cohort(request, pk)
    form = SeriesForm(
        request.POST or None,
        cohort=cohort,
        initial={"first_day": cohort.starts_on, "last_day": cohort.ends_on, "skip_fridays": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.generate_series(
                actor=request.user,
                cohort=cohort,
                first_day=data["first_day"],
                last_day=data["last_day"],
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                skip_fridays=data["skip_fridays"],
                **session_fields(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s session was scheduled.",
                    "%(count)s sessions were scheduled.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("cohorts:sessions", pk=cohort.pk)
    return _form_page(request, form, title=_("Weekly sessions"), cohort=cohort)


def check_in_address(request, session) -> str:
    """What the QR code in the room opens: the check-in page with the code filled in."""
    path = reverse("cohorts:check_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?code={session.check_in_code}")


@login_required
@require_GET
def session_detail(request, pk):
    """For whoever takes attendance: the check-in code and its QR code to show in the room, the
    marks so far and the excuse requests."""
    session = _attendance_session(request, pk)
    counts = dict(
        Attendance.objects.filter(session=session)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    excuses = list(
        ExcuseRequest.objects.filter(session=session)
        .select_related("user")
        .order_by("status", "created_at", "id")
    )
    opens, closes = services.check_in_window(session)
    address = check_in_address(request, session)
    return _render(
        request,
        "cohorts/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "manages": services.can_manage_cohort(request.user, session.cohort),
            "counts": [(label, counts.get(value, 0)) for value, label in Attendance.Status.choices],
            "trainee_count": session.cohort.active_trainee_count(),
            "excuses": excuses,
            "opens": opens,
            "closes": closes,
            "address": address,
            # The SVG comes from cohorts.qr out of our own address: markup we made, no script.
            "qr": mark_safe(qr_svg(address)),  # noqa: S308
        },
    )


@login_required
@require_POST
def session_rotate_code(request, pk):
    session = _attendance_session(request, pk)
    services.rotate_check_in_code(actor=request.user, session=session)
    messages.success(
        request, _("The session has a new check-in code; the old one no longer works.")
    )
    return redirect("cohorts:session", pk=session.pk)


def _roll_call_page(request, session, *, status=200, error="", posted=None):
    """The page of the cohort's active trainees being marked, read page by page in SQL (a
    1,000-trainee cohort loads a hundred people, not a thousand), with the totals so far."""
    active = {
        "cohort_memberships__cohort_id": session.cohort_id,
        "cohort_memberships__status": Membership.Status.ACTIVE,
        "cohort_memberships__role": Membership.Role.TRAINEE,
    }
    trainees = User.objects.filter(**active).order_by("full_name", "id")
    q = (request.GET.get("q") or "").strip()
    if q:
        trainees = trainees.filter(
            Q(full_name__icontains=q) | Q(full_name_latin__icontains=q) | Q(email__icontains=q)
        )
    theirs = {"session": session, "user": OuterRef("pk")}
    page = Paginator(
        trainees.annotate(
            mark=Subquery(Attendance.objects.filter(**theirs).values("status")[:1]),
            excuse=Subquery(ExcuseRequest.objects.filter(**theirs).values("status")[:1]),
        ).values_list("id", "full_name", "email", "mark", "excuse"),
        ROLL_CALL_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    excuse_labels = dict(ExcuseRequest.Status.choices)
    posted = posted or {}
    rows = [
        {
            "id": user_id,
            "name": name or email,
            "current": posted.get(user_id) or mark or "",
            "excuse": excuse_labels.get(excuse, ""),
        }
        for user_id, name, email, mark, excuse in page
    ]
    marked = dict(
        Attendance.objects.filter(
            session=session, user_id__in=User.objects.filter(**active).values("pk")
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    total = page.paginator.count if not q else session.cohort.active_trainee_count()
    return _render(
        request,
        "cohorts/roll_call.html",
        {
            "session": session,
            "cohort": session.cohort,
            "page": page,
            "rows": rows,
            "q": q,
            "labels": dict(Attendance.Status.choices),
            "marked": [(label, marked.get(value, 0)) for value, label in Attendance.Status.choices],
            "unmarked": total - sum(marked.values()),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roll_call(request, pk):
    """One row per trainee with four choices (present, late, excused, absent) and one button;
    "everyone else present" marks the rows of the page left unmarked."""
    session = _attendance_session(request, pk)
    if request.method == "GET":
        return _roll_call_page(request, session)
    shown, marks = [], {}
    for value in request.POST.getlist("shown"):
        if not value.isdigit():
            return _roll_call_page(request, session, status=400, error=_("Unknown trainee."))
        shown.append(int(value))
    for user_id in shown:
        status = request.POST.get(f"m{user_id}", "")
        if status:
            marks[user_id] = status
    if request.POST.get("rest") == Attendance.Status.PRESENT:
        already = set(
            Attendance.objects.filter(session=session, user_id__in=shown).values_list(
                "user_id", flat=True
            )
        )
        for user_id in shown:
            if user_id not in marks and user_id not in already:
                marks[user_id] = Attendance.Status.PRESENT
    if not marks:
        return _roll_call_page(
            request, session, status=400, error=_("Choose a mark for at least one trainee.")
        )
    try:
        services.mark_roll_call(actor=request.user, session=session, marks=marks)
    except ValidationError as exc:
        return _roll_call_page(
            request, session, status=400, error=" ".join(exc.messages), posted=marks
        )
    except Conflict as exc:
        return _roll_call_page(request, session, status=409, error=exc.message, posted=marks)
    messages.success(
        request,
        ngettext(
            "Attendance saved for %(count)s trainee.",
            "Attendance saved for %(count)s trainees.",
            len(marks),
        )
        % {"count": len(marks)},
    )
    return redirect(request.get_full_path())


@login_required
@require_http_methods(["GET", "POST"])
def session_import(request, pk):
    """A typed-up paper sign-in sheet: first a dry run that lists every row's problem, then, when
    every row is valid, a confirmation that writes the marks."""
    session = _attendance_session(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"session": session, "cohort": session.cohort, "form": form, "report": None}
    if request.method == "GET":
        return _render(request, "cohorts/import.html", context)
    if not form.is_valid():
        return _render(request, "cohorts/import.html", context, status=400)
    upload = form.cleaned_data.get("file")
    if upload is not None and upload.size > services.MAX_IMPORT_BYTES:
        form.add_error("file", _("The file is too large."))
        return _render(request, "cohorts/import.html", context, status=400)
    sheet = form.sheet()
    confirm = request.POST.get("confirm") == "1"
    try:
        report = services.import_attendance_csv(
            actor=request.user, session=session, data=sheet, dry_run=not confirm
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _render(request, "cohorts/import.html", context, status=400)
    except Conflict as exc:
        context["error"] = exc.message
        return _render(request, "cohorts/import.html", context, status=409)
    if confirm:
        messages.success(
            request,
            ngettext(
                "The sheet was imported: %(count)s mark written.",
                "The sheet was imported: %(count)s marks written.",
                report.written,
            )
            % {"count": report.written},
        )
        return redirect("cohorts:session", pk=session.pk)
    if report.valid and isinstance(sheet, bytes):
        sheet = sheet.decode("utf-8-sig")
    labels = dict(Attendance.Status.choices)
    context.update(
        {
            "report": report,
            "rows": [
                (row, labels.get(row.status, ""), labels.get(row.previous_status, ""))
                for row in report.rows
            ],
            "sheet": sheet if report.valid else "",
        }
    )
    return _render(request, "cohorts/import.html", context, status=200 if report.valid else 400)


# --- Excuse requests ------------------------------------------------------------------------------


@login_required
@require_GET
def excuses(request, pk):
    """Excuse requests of the cohort's sessions, those waiting first."""
    cohort = _managed_cohort(request, pk)
    listed = (
        ExcuseRequest.objects.visible_to(request.user)
        .filter(session__cohort=cohort)
        .select_related("user", "session", "decided_by")
        .order_by("-status", "session__starts_at", "created_at", "id")
    )
    if request.GET.get("status") in ExcuseRequest.Status.values:
        listed = listed.filter(status=request.GET["status"])
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "cohorts/excuses.html",
        {"cohort": cohort, "page": page, "statuses": ExcuseRequest.Status.choices},
    )


@login_required
@require_POST
def excuse_decide(request, pk):
    excuse = get_object_or_404(
        ExcuseRequest.objects.visible_to(request.user).select_related("session__cohort", "user"),
        pk=pk,
    )
    back = _safe_next(request, reverse("cohorts:session", args=[excuse.session_id]))
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return _problem(request, _("Approve or decline the request."), back=back, status=400)
    try:
        services.decide_excuse(actor=request.user, excuse=excuse, approve=decision == "approve")
    except Conflict as exc:
        return _problem(request, exc.message, back=back)
    messages.success(
        request,
        (
            _("%(name)s is excused.")
            if decision == "approve"
            else _("The request of %(name)s was declined.")
        )
        % {"name": excuse.user.full_name},
    )
    return redirect(back)


# --- Dashboard ------------------------------------------------------------------------------------


def _board(request, cohort, *, paged=True):
    filters = DashboardFilterForm(request.GET)
    options = filters.options()
    if not paged:
        options.pop("page")
    return filters, dash.cohort_dashboard(cohort, **options)


@login_required
@require_GET
def dashboard(request, pk):
    """A row per trainee (completion, attendance, last activity, risks with their reasons),
    charts of the whole cohort drawn with <meter> bars, filters, sorting and exports."""
    cohort = _managed_cohort(request, pk)
    filters, board = _board(request, cohort)
    sort = board.sort
    columns = [
        ("name", _("Trainee")),
        ("completion", _("Course completion")),
        ("attendance", _("Attendance")),
        ("activity", _("Last activity")),
        ("risk", _("At risk")),
    ]
    return _render(
        request,
        "cohorts/dashboard.html",
        {
            "cohort": cohort,
            "board": board,
            "filters": filters,
            "columns": [
                {
                    "key": key,
                    "label": label,
                    "active": sort.lstrip("-") == key,
                    "descending": sort.startswith("-"),
                    "next": f"-{key}" if sort == key else key,
                }
                for key, label in columns
            ],
            "largest_bucket": max([b.count for b in board.distribution] + [1]),
            "flag_rows": [
                (code, label, board.flag_counts.get(code, 0))
                for code, label in dash.FLAG_LABELS.items()
            ],
            "rows": [_dashboard_row(row) for row in board.rows],
            "session_bars": [_session_bar(stat) for stat in board.sessions],
        },
    )


# The dashboard's table and session chart are handed to the template as plain values, formatted
# once here: looking up dataclass attributes and running the date filter for every cell costs
# the 1,000-trainee page about as much as everything else it renders.


def _short_date(moment) -> str:
    return date_filter(timezone.localtime(moment), "j M Y")


def _dashboard_row(row) -> dict:
    return {
        "name": row.name,
        "name_latin": row.name_latin,
        "completion": row.completion_percent,
        "attendance": row.attendance_percent,
        "attended": row.sessions_attended,
        "counted": row.sessions_counted,
        "last_iso": row.last_activity.isoformat() if row.last_activity else "",
        "last": _short_date(row.last_activity) if row.last_activity else "",
        "flags": [(flag.code, flag.label, flag.message) for flag in row.flags],
        "mentor": row.mentor,
        "initiative": row.initiative,
    }


def _session_bar(stat) -> dict:
    english = (translation.get_language() or "").startswith("en")
    title = stat.title_en if english and stat.title_en else stat.title
    return {
        "label": f"{date_filter(timezone.localtime(stat.starts_at), 'j M')} · {title}",
        "percent": stat.percent,
    }


@login_required
@require_GET
def dashboard_export(request, pk):
    """Exactly the rows the dashboard's filters select, in its order (every page), as CSV
    (streamed) or, with ?file=xlsx, as a workbook."""
    cohort = _managed_cohort(request, pk)
    file = request.GET.get("file", "csv")
    if file not in ("csv", "xlsx"):
        raise Http404
    _filters, board = _board(request, cohort, paged=False)
    return exports.dashboard_response(board, xlsx=file == "xlsx")

"""Running a cohort: the managers' list, creating and editing, the overview with status moves,
the curriculum and the application form, people and announcements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.forms import add_errors
from core.pages import form_page, problem, unconfirmed
from core.paging import Paginator
from courses.models import Course

from .. import services
from ..forms import (
    AddMemberForm,
    AnnouncementForm,
    CohortForm,
    CurriculumItemForm,
    MoveForm,
    StatusForm,
    WithdrawForm,
    question_formset,
    questions_from,
)
from ..models import (
    Announcement,
    Application,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)
from ..services import Conflict
from .common import PAGE_SIZE, managed_cohort

# --- Managers: cohorts ----------------------------------------------------------------------------


S = Cohort.Status
# What a cohort usually does next: the primary button of its status form.
# What each move means, said on the page that asks the manager to confirm it.
STATUS_CONSEQUENCES = {
    S.DRAFT: gettext_lazy(
        "The cohort leaves the public list and stops taking applications until it is opened again."
    ),
    S.RECRUITING: gettext_lazy(
        "The cohort appears in the public list of open cohorts and takes applications until its "
        "deadline."
    ),
    S.RUNNING: gettext_lazy(
        "The cohort starts: it no longer takes applications, and its sessions, reminders and "
        "dashboard run."
    ),
    S.COMPLETED: gettext_lazy(
        "The cohort ends: no new sessions or members, and its trainees can be certified."
    ),
    S.ARCHIVED: gettext_lazy("The cohort is kept for the record and hidden from everyday lists."),
}

NEXT_STEP = {
    S.DRAFT: S.RECRUITING,
    S.RECRUITING: S.RUNNING,
    S.RUNNING: S.COMPLETED,
    S.COMPLETED: S.ARCHIVED,
}


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
    return render(
        request, "cohorts/manage_list.html", {"page": page, "can_create": user.can_manage()}
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
    return form_page(request, form, template="cohorts/form.html", title=_("New cohort"))


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, pk):
    cohort = managed_cohort(request, pk)
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
    return form_page(
        request, form, template="cohorts/form.html", title=_("Edit the cohort"), cohort=cohort
    )


def _overview(request, cohort, *, status=200, error=""):
    by_status = Application.objects.filter(cohort=cohort).count_by_status()
    roles = dict(
        Membership.objects.active()
        .filter(cohort=cohort)
        .order_by()
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    now = timezone.now()
    # The natural next step is the primary button; moves back or to the archive come after.
    allowed = services.STATUS_TRANSITIONS[cohort.status]
    forward = NEXT_STEP.get(cohort.status)
    transitions = [
        (value, Cohort.Status(value).label)
        for value in sorted(
            (value for value in Cohort.Status.values if value in allowed),
            key=lambda value: value != forward,
        )
    ]
    return render(
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
    return _overview(request, managed_cohort(request, pk))


@login_required
@require_POST
def change_status(request, pk):
    cohort = managed_cohort(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _overview(request, cohort, status=400, error=_("Unknown status."))
    target = form.cleaned_data["status"]
    # A move the lifecycle forbids is refused at once with its reason (below), without asking.
    allowed = services.STATUS_TRANSITIONS[cohort.status]
    ask = target in allowed and unconfirmed(
        request,
        title=_("Move “%(cohort)s” to “%(status)s”?")
        % {"cohort": cohort.display_name, "status": Cohort.Status(target).label},
        message=STATUS_CONSEQUENCES[target],
        button=_("Yes, move it to “%(status)s”") % {"status": Cohort.Status(target).label},
        back=reverse("cohorts:manage_cohort", args=[cohort.pk]),
        danger=target != NEXT_STEP.get(cohort.status),
    )
    if ask:
        return ask
    try:
        cohort = services.change_cohort_status(actor=request.user, cohort=cohort, status=target)
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
    cohort = managed_cohort(request, pk)
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
    return render(
        request,
        "cohorts/curriculum.html",
        {"cohort": cohort, "items": items, "form": form},
        status=400 if form.errors else 200,
    )


def _curriculum_item(request, pk, item_pk) -> CurriculumItem:
    cohort = managed_cohort(request, pk)
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
        return problem(request, _("Choose to move up or down."), back=back, status=400)
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
    cohort = managed_cohort(request, pk)
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
    return render(
        request,
        "cohorts/questions.html",
        {"cohort": cohort, "formset": formset, "errors": errors},
        status=status,
    )


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
            "user__gender",
        )  # fmt: skip
        .order_by("role", "user__full_name", "id")
    )
    if show in Membership.Status.values:
        memberships = memberships.filter(status=show)
    role = request.GET.get("role", "")
    if role in Membership.Role.values:
        memberships = memberships.filter(role=role)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
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
    cohort = managed_cohort(request, pk)
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
        % {
            "name": person.full_name,
            "role": Membership(user=person, role=form.cleaned_data["role"]).get_role_display(),
        },
    )
    return redirect("cohorts:members", pk=cohort.pk)


def _managed_membership(request, pk) -> Membership:
    """A membership of a cohort this person manages, with its cohort and person; 404 otherwise."""
    return get_object_or_404(
        Membership.objects.filter(
            cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("cohort", "user"),
        pk=pk,
    )


@login_required
@require_POST
def member_withdraw(request, pk):
    membership = _managed_membership(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if membership.is_active:
        ask = unconfirmed(
            request,
            title=_("Withdraw %(name)s from “%(cohort)s”?")
            % {
                "name": membership.user.full_name or membership.user.email,
                "cohort": membership.cohort.display_name,
            },
            message=_(
                "They lose access to the cohort's pages, sessions and reminders at once; their "
                "attendance and work are kept, and a manager can take them back later."
            ),
            button=_("Yes, withdraw"),
            back=reverse("cohorts:members", args=[membership.cohort_id]),
        )
        if ask:
            return ask
    try:
        result = services.withdraw_membership(
            actor=request.user, membership=membership, reason=reason
        )
    except Conflict as exc:
        return _members_page(request, membership.cohort, status=409, error=exc.message)
    left = (
        pgettext("feminine", "%(name)s left the cohort.")
        if membership.user.gender == User.Gender.FEMALE
        else _("%(name)s left the cohort.")
    )
    messages.success(request, left % {"name": membership.user.full_name})
    for promoted in result.promoted:
        messages.success(
            request,
            _("%(name)s was accepted from the waiting list into the free place.")
            % {"name": promoted.applicant.full_name},
        )
    return redirect("cohorts:members", pk=membership.cohort_id)


@login_required
@require_POST
def member_reinstate(request, pk):
    """Take back someone who left: the same role, a new active membership."""
    membership = _managed_membership(request, pk)
    try:
        services.reinstate_member(actor=request.user, membership=membership)
    except Conflict as exc:
        return _members_page(request, membership.cohort, status=409, error=exc.message)
    messages.success(
        request, _("%(name)s is back in the cohort.") % {"name": membership.user.full_name}
    )
    return redirect("cohorts:members", pk=membership.cohort_id)


@login_required
@require_http_methods(["GET", "POST"])
def announcements(request, pk):
    """Announcements to every member: in-app and by e-mail (sent in the background)."""
    cohort = managed_cohort(request, pk)
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
    return render(
        request,
        "cohorts/announcements.html",
        {"cohort": cohort, "form": form, "page": page},
        status=400 if form.errors else 200,
    )

"""Selection: the applications of a cohort with filters, bulk and single decisions, and the CSV
export for the selection committee."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_errors
from core.i18n import join_list
from core.pages import problem, safe_next, unconfirmed
from core.paging import Paginator

from .. import exports, services
from ..forms import DECISION_CHOICES, ApplicationFilterForm, BulkDecisionForm, DecisionForm
from ..models import Application, Cohort
from ..services import Conflict
from .common import PAGE_SIZE, managed_cohort

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
    cohort = managed_cohort(request, pk)
    filters = ApplicationFilterForm(request.GET)
    filters.is_valid()
    page = Paginator(
        _applications_queryset(cohort, request.user, filters.cleaned_data), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = Application.objects.filter(cohort=cohort).count_by_status()
    return render(
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
    cohort = managed_cohort(request, pk)
    back = safe_next(request, reverse("cohorts:applications", args=[cohort.pk]))
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return problem(request, message, back=back, status=400)
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
        messages.success(request, _("Decided: %(list)s.") % {"list": join_list(done)})
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
            who = join_list(
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
    return render(
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
    ask = _confirm_decision(request, application, decision)
    if ask:
        return ask
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


def _confirm_decision(request, application, decision):
    """Accepting, waitlisting or not accepting is told to the applicant at once: ask first.
    Shortlisting stays between the managers and needs no confirmation."""
    if decision == Application.Status.SHORTLISTED or decision == application.status:
        return None
    name = application.applicant.full_name or application.applicant.email
    consequences = {
        Application.Status.ACCEPTED: _(
            "%(name)s becomes a trainee of the cohort, takes one of its places and is told at once."
        ),
        Application.Status.WAITLISTED: _(
            "%(name)s is put on the waiting list and told at once; a place that frees up goes to "
            "the first on the list."
        ),
        Application.Status.REJECTED: _(
            "%(name)s is told at once that the application was not accepted."
        ),
    }
    label = dict(DECISION_CHOICES)[decision]
    return unconfirmed(
        request,
        title=_("%(decision)s: %(name)s?") % {"decision": label, "name": name},
        message=consequences[decision] % {"name": name},
        button=_("Yes: %(decision)s") % {"decision": label},
        back=reverse("cohorts:application", args=[application.pk]),
        danger=decision == Application.Status.REJECTED,
    )


@login_required
@require_GET
def applications_export(request, pk):
    """The applications the filters select, as CSV (streamed) for the selection committee."""
    cohort = managed_cohort(request, pk)
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

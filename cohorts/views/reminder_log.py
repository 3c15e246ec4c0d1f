"""The cohort's reminder log: what was sent to its people, to whom, when, and what failed, was
skipped (no longer due, turned off) or deferred (quiet hours, the weekend). Its managers and
staff only (`managed_cohort`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.paging import Paginator
from notifications import kinds, reminders
from notifications.models import Delivery

from ..models import Membership
from .common import managed_cohort

LOG_PAGE_SIZE = 50


@login_required
@require_GET
def reminder_log(request, pk):
    cohort = managed_cohort(request, pk)
    members = Membership.objects.filter(cohort=cohort).values("user_id")
    qs = Delivery.objects.for_recipients(members).select_related("recipient", "notification")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    # Unknown values are ignored: the page shows everything rather than an error.
    if kind in reminders.registered():
        qs = qs.filter(kind=kind)
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    registered = kinds.registered()
    return render(
        request,
        "notifications/cohort_log.html",
        {
            "cohort": cohort,
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": sorted(
                (k, registered[k].title) for k in reminders.registered() if k in registered
            ),
            "statuses": Delivery.Status.choices,
        },
    )

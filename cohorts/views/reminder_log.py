"""The cohort's reminder log: what was sent to its people, to whom, when, and what failed, was
skipped (no longer due, turned off) or deferred (quiet hours, the weekend). Its managers and
staff only (`managed_cohort`).

A page is read as a compiled shape (core.compiled), built once per connection and filter: the
newest deliveries to the cohort's members are picked among the deliveries alone, and only the
page's rows are joined to their recipient and notification (joined first, every delivery of
the cohort was, before the sort kept fifty). Its rows are HTML built in Python, the markup
tests/cohorts/test_reminder_log.py renders with the template engine and compares."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.directory import choice_labels, filtered, only_row
from core.compiled import Shape
from core.markup import esc as escape
from core.paging import Paginator, counted
from core.templatetags.dates import format_when
from notifications import kinds, reminders
from notifications.models import Delivery, Notification

from ..models import Membership
from .common import managed_cohort

LOG_PAGE_SIZE = 50
NEWEST_FIRST = ("-created_at", "-id")
COLUMNS = (
    "id", "created_at", "status", "not_before", "detail", "kind", "occurrence",
    "recipient_id", "recipient__full_name", "recipient__email", "notification__email_status",
)  # fmt: skip


def _deliveries(cohort_id, *values, by_kind, by_status):
    """What was delivered to the cohort's members (past ones too), of the kind and status given
    (`values`, in this order, for the filters the key says are there)."""
    members = Membership.objects.filter(cohort=cohort_id).values("user_id")
    deliveries = Delivery.objects.for_recipients(members)
    return filtered(deliveries, values, {"kind": by_kind, "status": by_status})


def _page(*values, _start, _stop, **key):
    newest = _deliveries(*values, **key).order_by(*NEWEST_FIRST)[_start:_stop]
    return (
        Delivery.objects.filter(pk__in=newest.values("pk"))
        .order_by(*NEWEST_FIRST)
        .values_list(*COLUMNS, named=True)
    )


_PAGE = Shape(_page)
_COUNT = Shape(lambda *values, **key: counted(_deliveries(*values, **key)))


class Log:
    """The cohort's deliveries as a list the paginator counts (one query, past one page) and
    slices (one query a page) as it does a queryset (core.paging: `sliced_in_sql`)."""

    sliced_in_sql = True

    def __init__(self, cohort_id: int, *, kind: str, status: str):
        self.values = [cohort_id, *(value for value in (kind, status) if value)]
        self.key = {"by_kind": bool(kind), "by_status": bool(status)}

    def count(self) -> int:
        return _COUNT.first(*self.values, **self.key) or 0

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if start == stop:
            return []
        return _PAGE.list(*self.values, _start=start, _stop=stop, **self.key)


@login_required
@require_GET
def reminder_log(request, pk):
    cohort = managed_cohort(request, pk)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    # Unknown values are ignored: the page shows everything rather than an error.
    log = Log(
        cohort.pk,
        kind=kind if kind in reminders.registered() else "",
        status=status if status in Delivery.Status.values else "",
    )
    page = Paginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    registered = kinds.registered()
    return render(
        request,
        "cohorts/reminder_log.html",
        {
            "cohort": cohort,
            "page": page,
            "rows_html": rows_html(page.object_list),
            "kind": kind,
            "status": status,
            "kinds": sorted(
                (k, registered[k].title) for k in reminders.registered() if k in registered
            ),
            "statuses": Delivery.Status.choices,
        },
    )


def rows_html(rows: list) -> SafeString:
    """<tr> rows of the log, from rows of COLUMNS; a row saying so when nothing was sent."""
    if not rows:
        return only_row(_("Nothing has been sent to this cohort's people yet."), 5)
    l_when, l_to, l_what = escape(_("When")), escape(_("To")), escape(_("What"))
    l_status, l_email = escape(_("Status")), escape(_("E-mail"))
    until = escape(_("until"))
    statuses = {
        value: escape(label) for value, label in choice_labels(Delivery.Status.choices).items()
    }
    emails = choice_labels(Notification.EmailStatus.choices)
    parts = []
    for row in rows:
        deferred = (
            f"<br>{until} {escape(format_when(row.not_before, 'DATETIME_FORMAT'))}"
            if row.status == Delivery.Status.DEFERRED
            else ""
        )
        detail = f'<br><span class="muted">{escape(row.detail)}</span>' if row.detail else ""
        email = row.notification__email_status
        email = escape(emails.get(email, email)) if email is not None else ""
        parts.append(
            f'<tr><td data-label="{l_when}"><time datetime="{escape(row.created_at.isoformat())}">'
            f"{escape(format_when(row.created_at, 'DATETIME_FORMAT'))}</time>{deferred}</td>"
            f'<td data-label="{l_to}">{escape(row.recipient__full_name or row.recipient__email)}'
            f'</td><td data-label="{l_what}">{escape(row.kind)} · {escape(row.occurrence)}</td>'
            f'<td data-label="{l_status}">{statuses.get(row.status) or escape(row.status)}'
            f'{detail}</td><td data-label="{l_email}">{email}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

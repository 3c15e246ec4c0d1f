"""The managers' list of a cohort's proposals as HTML rows built in Python: fifty rows, each with
a reversed URL, a status label looked up through the model's choices and four translated cell
labels, went through the template engine cell by cell, most of what the page cost. The markup
is the one tests/proposals/test_tables.py renders with the template engine and compares."""

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import esc as escape

from .models import Proposal


def manage_rows_html(rows: list[dict]) -> SafeString:
    """<tr> rows of a cohort's proposals for its managers: `rows` hold id, title, status,
    lead__full_name and budget_total_iqd (None without budget lines)."""
    # Reversed once: each row's decision page is this prefix, its id and a slash.
    decide = escape(reverse("proposals:decide", args=[0]).removesuffix("0/decide/"))
    labels = {value: escape(label) for value, label in Proposal.Status.choices}
    l_title = escape(_("title"))
    l_lead = escape(_("lead"))
    l_status = escape(_("status"))
    l_budget = escape(_("budget total (IQD)"))
    parts = []
    for row in rows:
        status = row["status"]
        parts.append(
            f'<tr><td data-label="{l_title}"><a href="{decide}{int(row["id"])}/decide/" '
            f'dir="auto">{escape(row["title"])}</a></td>'
            f'<td data-label="{l_lead}">{escape(row["lead__full_name"])}</td>'
            f'<td data-label="{l_status}">{labels.get(status) or escape(status)}</td>'
            f'<td data-label="{l_budget}">{int(row["budget_total_iqd"] or 0)}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

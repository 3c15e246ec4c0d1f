"""The managers' list of a cohort's proposals, and the detail page's budget rows and review cards,
as HTML built in Python. The list's fifty rows, each with a reversed URL, a status label looked
up through the model's choices and four translated cell labels, went through the template engine
cell by cell, most of what the page cost. Each markup is the one tests/proposals/test_tables.py
renders with the template engine and compares."""

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import esc as escape
from core.markup import escaped

from .models import Proposal


def manage_rows_html(rows: list[dict]) -> SafeString:
    """<tr> rows of a cohort's proposals for its managers: `rows` hold id, title, status,
    lead__full_name and budget_total_iqd (None without budget lines)."""
    # Reversed once: each row's decision page is this prefix, its id and a slash.
    decide = escape(reverse("proposals:decide", args=[0]).removesuffix("0/decide/"))
    labels = escaped(dict(Proposal.Status.choices))
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


def budget_rows_html(lines) -> SafeString:
    """<tr> rows of a proposal's budget lines (the detail page's table body)."""
    return mark_safe(  # noqa: S308 - the item is escaped, the figures are integers
        "".join(
            f'<tr><td dir="auto">{escape(line.item)}</td><td>{int(line.quantity)}</td>'
            f"<td>{int(line.unit_cost_iqd)}</td><td>{int(line.total)}</td></tr>"
            for line in lines
        )
    )


def reviews_html(reviews: list) -> SafeString:
    """The detail page's cards of submitted reviews: `reviews` hold (review, reviewer or None
    when the names are hidden), each review with its scores and their criteria. A hidden name
    is "Reviewer n", translated once (as the template's blocktranslate, the label itself is not
    escaped, only the number)."""
    anonymous = _("Reviewer %(n)s")
    parts = []
    for n, (review, reviewer) in enumerate(reviews, start=1):
        name = escape(reviewer.full_name) if reviewer else anonymous % {"n": n}
        scores = "".join(
            f"<li>{escape(score.criterion.display_name)}: {int(score.score)}/5</li>"
            for score in review.scores.all()
        )
        parts.append(
            f'\n  <section class="card"><h3>{name}</h3>\n  <ul>{scores}</ul>\n  '
            f'<p dir="auto">{linebreaksbr(review.comments, autoescape=True)}</p></section>\n'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

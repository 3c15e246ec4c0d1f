"""The inbox's rows as HTML built in Python: `{% inbox_rows rows %}`. Thirty rows of a link, a
paragraph, a time and a form each went through the template engine's lookups and conditions
cell by cell, most of what the page cost to render. The markup is the one
tests/notifications/test_inbox_rows.py renders with the template engine and compares."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import csrf_input
from core.markup import esc as escape

register = template.Library()


def rows_html(rows: list[dict], csrf_token: str) -> SafeString:
    """<li> rows of the inbox: `rows` as notifications.views.inbox makes them (title, body, url,
    unread, iso, when, read_url); `csrf_token` the request's token, for each row's form."""
    if not rows:
        empty = escape(_("You have no notifications yet."))
        return mark_safe(f"<li>{empty}</li>")  # noqa: S308 - escaped above
    token = csrf_input(csrf_token) if csrf_token else ""
    mark_read = escape(_("Mark as read"))
    parts = []
    for row in rows:
        title = escape(row["title"])
        if row["url"]:
            title = f'<a href="{escape(row["url"])}">{title}</a>'
        form = (
            f'<form method="post" action="{escape(row["read_url"])}">{token}'
            f'<button type="submit" class="secondary">{mark_read}</button></form>'
            if row["unread"]
            else ""
        )
        parts.append(
            f'<li class="note{" unread" if row["unread"] else ""}">'
            f"<strong>{title}</strong>"
            f"<p>{escape(row['body'])}</p>"
            f'<time datetime="{escape(row["iso"])}">{escape(row["when"])}</time>'
            f"{form}</li>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def inbox_rows(context, rows):
    token = context.get("csrf_token")
    return rows_html(rows, "" if token in (None, "NOTPROVIDED") else str(token))

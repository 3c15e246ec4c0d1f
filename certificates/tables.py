"""The certificates page's rows as HTML built in Python: a hundred rows, most with a form and its
CSRF field, went through the template engine's lookups, conditions and tags cell by cell, about
half of what the page cost to render. The markup is the one tests/certificates/test_tables.py
renders with the template engine and compares."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import esc


def manage_rows_html(rows: list[dict], csrf_token: str) -> SafeString:
    """<tr> rows of a cohort's certificates: `rows` as certificates.views._manage_rows makes
    them (name, status, code, missing, action "revoke", "issue" or "", url); `csrf_token` the
    request's token (django.middleware.csrf.get_token)."""
    if not rows:
        empty = esc(_("This cohort has no active trainees."))
        return mark_safe(f'<tr><td colspan="4">{empty}</td></tr>')  # noqa: S308 - escaped
    l_trainee, l_status, l_missing = esc(_("Trainee")), esc(_("Status")), esc(_("Missing"))
    reason = esc(_("Reason (shown on the public verification page)"))
    revoke, issue = esc(_("Revoke")), esc(_("Issue"))
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
    parts = []
    for row in rows:
        code = f' (<span class="code" dir="ltr">{esc(row["code"])}</span>)' if row["code"] else ""
        action = row["action"]
        if action == "revoke":
            form = (
                f'<form method="post" action="{esc(row["url"])}">{token}'
                f'<input name="reason" required maxlength="1000" placeholder="{reason}"'
                f' title="{reason}">'
                f'<button type="submit" class="secondary">{revoke}</button></form>'
            )
        elif action == "issue":
            form = (
                f'<form method="post" action="{esc(row["url"])}">{token}'
                f'<button type="submit">{issue}</button></form>'
            )
        else:
            form = ""
        parts.append(
            f'<tr><td dir="auto" data-label="{l_trainee}">{esc(row["name"])}</td>'
            f'<td data-label="{l_status}">{esc(row["status"])}{code}</td>'
            f'<td data-label="{l_missing}">{esc(row["missing"])}</td>'
            f"<td>{form}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

"""The round page's lists as HTML built in Python: a hundred proposed pairs, each with two forms
(their CSRF field and addresses), the trainees waiting for a mentor, the choices of the form that
pins or forbids a pair and the pins and forbids made so far went through the template engine's
lookups, tags and conditions item by item, most of what the page cost to render. The markup is
the one tests/mentoring/test_round_rows.py renders with the template engine and compares.

Rows are dicts of plain values: a pair (`trainee_id`, `mentor_id`, `trainee`, `mentor` (names),
`score`, `pinned`, `why`: its reasons in words), a waiting trainee (`trainee`, `why`: why no
mentor was found), a pin or forbid (`trainee_id`, `mentor_id`, `trainee`, `mentor`)."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import csrf_input, esc


def _pair_fields(row: dict) -> str:
    return (
        f'<input type="hidden" name="trainee" value="{int(row["trainee_id"])}">'
        f'<input type="hidden" name="mentor" value="{int(row["mentor_id"])}">'
    )


def matched_html(
    rows: list[dict], *, draft: bool, pin_url: str, forbid_url: str, csrf_token: str
) -> SafeString:
    """<tr> rows of the proposed pairs; in a draft, each with its pin (or unpin) and forbid
    forms posting to `pin_url` and `forbid_url`."""
    l_trainee, l_mentor, l_score = esc(_("Trainee")), esc(_("Mentor")), esc(_("Score"))
    l_why, l_edit = esc(_("Why")), esc(_("Edit"))
    # Translated outside the f-strings, where the message extractor would not see them.
    l_pinned, l_unpin, l_pin = esc(_("pinned")), esc(_("Unpin")), esc(_("Pin"))
    l_forbid = esc(_("Forbid this pair"))
    badge = f' <span class="badge">{l_pinned}</span>'
    token = csrf_input(csrf_token)
    pin_form = f'<form method="post" action="{esc(pin_url)}" class="inline">{token}'
    forbid_form = f'<form method="post" action="{esc(forbid_url)}" class="inline">{token}'
    unpin = f'<input type="hidden" name="undo" value="1"><button type="submit">{l_unpin}</button>'
    pin = f'<button type="submit">{l_pin}</button>'
    forbid = f'<button type="submit">{l_forbid}</button>'
    parts = []
    for row in rows:
        edit = ""
        if draft:
            fields = _pair_fields(row)
            edit = (
                f'<td data-label="{l_edit}">{pin_form}{fields}{unpin if row["pinned"] else pin}'
                f"</form> {forbid_form}{fields}{forbid}</form></td>"
            )
        parts.append(
            f'<tr><td dir="auto" data-label="{l_trainee}">{esc(row["trainee"])}</td>'
            f'<td dir="auto" data-label="{l_mentor}">{esc(row["mentor"])}'
            f"{badge if row['pinned'] else ''}</td>"
            f'<td data-label="{l_score}">{int(row["score"])}</td>'
            f'<td data-label="{l_why}">{esc(row["why"])}</td>{edit}</tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def unmatched_html(rows: list[dict]) -> SafeString:
    """<li> items of the trainees without a mentor, each with why none was found."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li><span dir="auto">{esc(row["trainee"])}</span>: {esc(row["why"])}</li>'
            for row in rows
        )
    )


def options_html(choices) -> SafeString:
    """<option> items of a choice list: `choices` as (id, name) pairs."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(f'<option value="{int(pk)}">{esc(name)}</option>' for pk, name in choices)
    )


def edits_html(pins: list[dict], forbids: list[dict], *, forbid_url: str, csrf_token: str):
    """<li> items of the pairs pinned, then of those forbidden, each with the form that allows
    it again (posting to `forbid_url`)."""
    parts = [
        "<li>{}</li>".format(
            _("Pinned: %(trainee)s with %(mentor)s")
            % {"trainee": esc(row["trainee"]), "mentor": esc(row["mentor"])}
        )
        for row in pins
    ]
    form = f'<form method="post" action="{esc(forbid_url)}" class="inline">{csrf_input(csrf_token)}'
    l_allow = esc(_("Allow again"))
    allow = f'<input type="hidden" name="undo" value="1"><button type="submit">{l_allow}</button>'
    for row in forbids:
        text = _("Forbidden: %(trainee)s with %(mentor)s") % {
            "trainee": esc(row["trainee"]),
            "mentor": esc(row["mentor"]),
        }
        parts.append(f"<li>{text} {form}{_pair_fields(row)}{allow}</form></li>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

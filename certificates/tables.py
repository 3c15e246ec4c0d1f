"""The certificates pages' rows as HTML built in Python: a hundred rows, most with a form and its
CSRF field, went through the template engine's lookups, conditions and tags cell by cell, about
half of what the page cost to render; the holder's cards, a few, were still a third of their
light page's. The markup is the one tests/certificates/test_tables.py renders with the template
engine and compares."""

from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import csrf_input, esc, escaped, url_halves
from core.templatetags.dates import format_when

from .models import Certificate, display_code

# What reverse() leaves unquoted in a path (django.urls.resolvers).
_URL_SAFE = "!$&'()*+,;=/~:@"


def _in_path(code: str) -> str:
    """A verification code as reverse() puts it in a URL, escaped for an attribute."""
    return esc(quote(code, safe=_URL_SAFE))


# The columns the holder's cards show (certificates.views._mine reads only these).
CARD_FIELDS = ("id", "code", "status", "cohort_name_ar", "issued_on", "file")


def mine_cards_html(certificates) -> SafeString:
    """<li> cards of the holder's certificates (`certificates`: Certificate rows with
    CARD_FIELDS): cohort, issue date, status and code, the PDF's link (or that it is being made),
    the digital credential of a valid one and the verification page."""
    if not certificates:
        empty = esc(_("You have no certificates yet."))
        return mark_safe(f'<li class="card">{empty}</li>')  # noqa: S308 - escaped
    # One reverse per kind of link, not per card: the key goes between its two halves.
    download, badge = url_halves("certificates:download"), url_halves("certificates:badge")
    verify = url_halves("certificates:verify")
    l_download, l_preparing = (
        esc(_("Download the PDF")),
        esc(_("The certificate is still being prepared. Try again in a minute.")),
    )
    l_badge, l_verify = esc(_("Digital credential (Open Badges)")), esc(_("Verification page"))
    statuses = escaped(dict(Certificate.Status.choices))
    parts = []
    for c in certificates:
        pk = int(c.pk)
        if c.file:
            file = f'<a class="button" href="{download[0]}{pk}{download[1]}">{l_download}</a>'
        else:
            file = l_preparing
        credential = ""
        if c.status == Certificate.Status.VALID:
            credential = f'<a href="{badge[0]}{pk}{badge[1]}">{l_badge}</a>'
        parts.append(
            f'<li class="card"><h2 class="card-title" dir="auto">{esc(c.cohort_name_ar)}</h2>'
            f'<p class="muted">{esc(format_when(c.issued_on, "DATE_FORMAT"))} · '
            f"{statuses.get(c.status, esc(c.status))} · "
            f'<span class="code" dir="ltr">{esc(display_code(c.code))}</span></p>'
            f"<p>{file} {credential} "
            f'<a href="{verify[0]}{_in_path(c.code)}{verify[1]}">'
            f"{l_verify}</a></p></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


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
    token = csrf_input(csrf_token)
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


def _verify_labels() -> dict:
    """The verify page's words, escaped, in the active language (outside the f-strings below,
    where the extractor sees them)."""
    words = {
        "valid": _("This certificate is valid."),
        "reason": _("Reason:"),
        "current": _("See the current version"),
        "replaced": _("This certificate was replaced by a newer version."),
        "name": _("Name"),
        "programme": _("Programme"),
        "cohort": _("Cohort"),
        "issued": _("Issue date"),
        "code": _("Verification code"),
        "sha": _("SHA-256 of the PDF"),
        "check": _("Check a digital credential"),
        "genuine": _("The credential is genuine: signed by the Center for this certificate."),
        "forged": _("The credential is not genuine or belongs to another certificate."),
        "credential": _("Open Badges credential (VC-JWT)"),
        "button": _("Check"),
    }
    return escaped(words)


def verify_html(certificate, csrf_token: str, *, checked: bool = False, valid: bool = False):
    """The verify page's body below its heading: the status (valid, revoked with its date and
    reason, replaced with a link to the current version), the printed facts, the JSON link and
    the form that checks a digital credential (with its outcome when `checked`)."""
    w, c = _verify_labels(), certificate
    head, tail = url_halves("certificates:verify")
    if c.status == Certificate.Status.VALID:
        notice = f'<p class="notice success"><strong>{w["valid"]}</strong></p>'
    elif c.status == Certificate.Status.REVOKED:
        # As {% blocktranslate %}: the value escaped, the translated sentence as it is.
        date = esc(format_when(c.revoked_at, "DATE_FORMAT"))
        revoked = _("This certificate was revoked on %(date)s.") % {"date": date}
        notice = (
            f'<p class="notice error"><strong>{revoked}</strong><br>{w["reason"]} '
            f'<span dir="auto">{esc(c.revocation_reason)}</span></p>'
        )
    else:
        newer = ""
        if c.superseded_by:
            later = _in_path(c.superseded_by.code)
            newer = f' <a href="{head}{later}{tail}">{w["current"]}</a>'
        notice = f'<p class="notice warning"><strong>{w["replaced"]}</strong>{newer}</p>'
    latin = f' — <span dir="ltr">{esc(c.name_latin)}</span>' if c.name_latin else ""
    cohort_en = f' — <span dir="ltr">{esc(c.cohort_name_en)}</span>' if c.cohort_name_en else ""
    sha = ""
    if c.sha256:
        sha = f'<dt>{w["sha"]}</dt><dd dir="ltr"><code>{esc(c.sha256)}</code></dd>'
    code = _in_path(c.code)
    json_head, json_tail = url_halves("certificates:verify_json")
    check_head, check_tail = url_halves("certificates:check_credential")
    outcome = ""
    if checked:
        kind, said = ("success", w["genuine"]) if valid else ("error", w["forged"])
        outcome = f'<p class="notice {kind}">{said}</p>'
    issued = esc(format_when(c.issued_on, "DATE_FORMAT"))
    return mark_safe(  # noqa: S308 - every value is escaped above
        f'{notice}<dl><dt>{w["name"]}</dt><dd dir="auto">{esc(c.name_ar)}{latin}</dd>'
        f"<dt>{w['programme']}</dt><dd>{esc(c.programme_ar)} — "
        f'<span dir="ltr">{esc(c.programme_en)}</span></dd>'
        f'<dt>{w["cohort"]}</dt><dd dir="auto">{esc(c.cohort_name_ar)}{cohort_en}</dd>'
        f"<dt>{w['issued']}</dt><dd>{issued}</dd>"
        f'<dt>{w["code"]}</dt><dd dir="ltr" class="code">{esc(display_code(c.code))} '
        f"(v{esc(c.version)})</dd>{sha}</dl>"
        f'<p><a href="{json_head}{code}{json_tail}">JSON</a></p>'
        f"<h2>{w['check']}</h2>{outcome}"
        f'<form method="post" action="{check_head}{code}{check_tail}">'
        f"{csrf_input(csrf_token)}"
        f'<label for="credential">{w["credential"]}</label>'
        f'<textarea id="credential" name="credential" rows="4" dir="ltr" maxlength="50000"'
        f' required></textarea><button type="submit" class="secondary">{w["button"]}</button>'
        f"</form>"
    )

"""The reader's own notifications, their preferences and the e-mails' unsubscribe link. (The
per-cohort delivery log is the cohort managers' page, in cohorts.)"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.markup import csrf_input, esc, escaped
from core.paging import Paginator, ShapedList
from core.templatetags.dates import format_when

from . import kinds, services
from . import unsubscribe as links
from .models import Notification, Preference


def _own(user_id):
    return Notification.objects.of_person(user_id)


@login_required
def inbox(request):
    # login_required: the person is signed in, so `for_recipient` is their own rows by id.
    rows = ShapedList(_own, request.user.pk)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    # The rows as plain values, formatted once here: a per-row {% url %}, date filter and
    # lookups through the model cost the page more than everything else it renders.
    read_url = reverse("notifications:mark_one_read", args=[0]).removesuffix("0/read/")
    rows = []
    for n in page:
        title, body = n.rendered()
        rows.append(
            {
                "title": title,
                "body": body,
                "url": n.url,
                "unread": n.read_at is None,
                "iso": n.created_at.isoformat(),
                "when": format_when(n.created_at),
                "read_url": f"{read_url}{n.pk}/read/",
            }
        )
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_one_read(request, pk):
    # Someone else's notification is not found, as for any other object out of reach.
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect("notifications:inbox")


def _preference_rows(user, chosen: dict[str, str]):
    """Each kind with its choices as ready HTML: a loop over every kind's options in the template
    cost the page most of its time."""
    labels = escaped(dict(Preference.Mode.choices))
    rows = []
    for kind in services.choosable_kinds():
        current = chosen.get(kind.key, Preference.Mode.IMMEDIATE)
        options = "".join(
            f'<option value="{esc(mode)}"{" selected" if mode == current else ""}>'
            f"{labels[mode]}</option>"
            for mode in services.allowed_modes(kind)
        )
        rows.append(
            {
                "key": kind.key,
                "title": kind.title,
                "options": mark_safe(options),  # noqa: S308 - every value is escaped
                "locked": not kind.can_turn_off,
            }
        )
    return rows


def preference_rows_html(rows, csrf_token: str):
    """<li> items of the settings page: one form per kind with its choices (rows of
    `_preference_rows`); the rows went through the template engine field by field."""
    locked = esc(_("Cannot be turned off"))
    save = esc(_("Save"))
    token = csrf_input(csrf_token)
    parts = []
    for number, row in enumerate(rows, start=1):
        note = f'<span class="muted">{locked}</span>' if row["locked"] else ""
        parts.append(
            f'<li class="note"><form method="post">{token}'
            f'<input type="hidden" name="kind" value="{esc(row["key"])}">'
            f'<label for="mode-{number}"><strong>{esc(row["title"])}</strong></label>'
            f'<select id="mode-{number}" name="mode">{row["options"]}</select>{note}'
            f'<button type="submit" class="secondary">{save}</button></form></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """One choice per kind: immediately, in a daily digest, or off (where the kind allows)."""
    errors = []
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        mode = request.POST.get("mode", "")
        try:
            services.set_preference(user=request.user, kind=kind, mode=mode)
        except ValidationError as exc:
            errors = [m for messages in exc.message_dict.values() for m in messages]
            status = 400
        else:
            return redirect("notifications:preferences")
    chosen = services.preferences_of(request.user)
    rows = _preference_rows(request.user, chosen)
    token = get_token(request)  # one masked token for the rows' forms and the shell's
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": rows,
            "rows_html": preference_rows_html(rows, token),
            "csrf_token": token,
            "errors": errors,
        },
        status=status,
    )


def _bad_link(request):
    return render(
        request,
        "notifications/unsubscribe.html",
        {"state": "invalid"},
        status=400,
    )


@csrf_exempt  # the signed token is the authority; RFC 8058 clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST turns the kind off.
    A tampered link is a clear 400; a link used twice says it was already done."""
    if len(token) > 500 or "\x00" in token:
        return _bad_link(request)
    try:
        user_id, kind_key = links.read(token)
        kind = kinds.get(kind_key)
    except (signing.BadSignature, KeyError, ValueError):
        return _bad_link(request)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not kind.can_turn_off:
        return _bad_link(request)
    already = Preference.objects.filter(user=user, kind=kind.key, mode="off").exists()
    state = "already" if already else "confirm"
    if request.method == "POST" and not already:
        services.unsubscribe(user=user, kind=kind.key)
        state = "done"
    # In the person's own language: the link may be opened on a device set to another one.
    with translation.override(user.preferred_language or translation.get_language()):
        response = render(
            request, "notifications/unsubscribe.html", {"state": state, "kind_title": kind.title}
        )
    return response

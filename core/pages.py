"""Page helpers shared by every app's views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import add_errors


def form_page(request, form, *, template: str, title, **context):
    """A page showing one form: 400 when it carries errors (so a failed POST is not a 200)."""
    return render(
        request,
        template,
        {"form": form, "title": title, **context},
        status=400 if form.errors else 200,
    )


def submitted(request):
    """The data a create or edit form is bound to: the POST (even an empty one, so a POST without
    fields is refused with its errors), or None on a GET so the form shows its initial values."""
    return request.POST if request.method == "POST" else None


def save_form_page(request, form, save, *, success, done, template: str, title, **context):
    """The recipe of every create or edit page: on a valid POST `save(cleaned_data)` calls the
    service; a ValidationError it raises is shown on the field it names and nothing is saved;
    otherwise `success` is flashed and the browser goes to `done` (a URL, or a callable given
    what `save` returned). Any other request shows the form."""
    if form.is_bound and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result) if callable(done) else done)
    return form_page(request, form, template=template, title=title, **context)


def page_url(name: str, **kwargs) -> str:
    """The URL of a named page, or "" while that page is not installed (e.g. in a link stored on
    a notification written by an app whose pages are optional)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def problem(request, message, *, back, status=409):
    """A refused action whose page has no form to show the error on: the reason, "nothing was
    changed", and the way back."""
    return render(request, "problem.html", {"message": message, "back": back}, status=status)


def safe_next(request, default: str) -> str:
    """The `next` the request carries when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def unconfirmed(request, *, title, message, button, back, danger=True):
    """A consequential action asks first. A POST without `confirmed=1` gets a page that says what
    will happen and carries the posted fields on to the real action; None once confirmed. The
    API acts at once: its clients confirm in their own interface."""
    if request.POST.get("confirmed") == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "message": message,
            "button": button,
            "back": back,
            "danger": danger,
            "fields": fields,
            "action": request.get_full_path(),
        },
    )

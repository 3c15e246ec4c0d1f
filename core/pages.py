"""Page helpers shared by every app's views."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme


def form_page(request, form, *, template: str, title, **context):
    """A page showing one form: 400 when it carries errors (so a failed POST is not a 200)."""
    return render(
        request,
        template,
        {"form": form, "title": title, **context},
        status=400 if form.errors else 200,
    )


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

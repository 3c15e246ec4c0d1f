"""Page helpers shared by every app's views."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


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

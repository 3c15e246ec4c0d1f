"""Pages of the shell: home, language switch, health, and the error pages."""

from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import home as home_panels
from .forms import LanguageForm
from .tracks import TRACKS


def home(request):
    """The landing page; signed in, the panels the apps registered (core.home) come first."""
    context = {"tracks": TRACKS, "panels": home_panels.panels_for(request)}
    return render(request, "core/home.html", context)


@require_POST
def set_language(request):
    """Switch the interface language, remember it in a cookie and on the profile."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "400.html",
            {"message": _("That language is not available. Choose Arabic or English.")},
            status=400,
        )
    language = form.cleaned_data["language"]
    next_url = form.cleaned_data["next"] or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    translation.activate(language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=False,
    )
    return response


@require_GET
def ping(request):
    """The bare view the benchmark compares every page to: the full middleware stack, no work."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    status = 200 if healthy or settings.DEBUG else 503
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=status)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    # The project's Celery app (config.celery), which sets itself as the current one.
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def csrf_failure(request, reason=""):
    return render(
        request,
        "403_csrf.html",
        {
            "message": _(
                "Your form expired or came from another site. Reload the page and try again."
            )
        },
        status=403,
    )


def bad_request(request, exception=None):
    return render(request, "400.html", {}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {}, status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # An API address that names nothing (e.g. an id that is not a number the database can
        # hold): the API's own error body, as for an object that is not there.
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404)
    return render(request, "404.html", {}, status=404)


def server_error(request):
    return render(request, "500.html", {}, status=500)

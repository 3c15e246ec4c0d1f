"""Language and second-factor rules that apply to every request of a signed-in person."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .mfa import second_factor_missing


class UserLanguageMiddleware:
    """A signed-in person without a language cookie gets the language saved on their profile;
    the cookie (set by the language switcher) wins, so a shared phone can still switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class RequireMFAMiddleware:
    """With MFA_REQUIRED_FOR_PRIVILEGED on, managers and staff without an authenticator can only
    reach the pages that enrol one (and sign out)."""

    allowed_prefixes = ("/accounts/", "/_allauth/", "/i18n/", "/static/", "/healthz", "/ping")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_mfa(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _needs_mfa(self, request) -> bool:
        user = getattr(request, "user", None)
        if not settings.MFA_REQUIRED_FOR_PRIVILEGED or user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.allowed_prefixes) or request.path.startswith("/api/"):
            # The API applies the same rule in its authentication classes (accounts.mfa), with
            # a 403 instead of a redirect.
            return False
        return second_factor_missing(user)


class FormErrorStatusMiddleware:
    """allauth re-renders an invalid form with 200; browsers and API clients alike deserve a 4xx.

    A POST whose re-rendered form has errors answers 400, or 429 when the error is a rate limit
    (too many failed sign-ins). Nothing else about the page changes."""

    rate_limit_codes = {"too_many_login_attempts"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method != "POST" or response.status_code != 200:
            return response
        form = (getattr(response, "context_data", None) or {}).get("form")
        errors = getattr(form, "errors", None)
        if not errors:
            return response
        codes = {error.code for error in errors.as_data().get("__all__", [])}
        response.status_code = 429 if codes & self.rate_limit_codes else 400
        return response

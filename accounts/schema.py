"""How the API schema describes the app session token of the headless sign-in API."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.mfa.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": (
                "The session token that the headless sign-in API returns "
                "(POST /_allauth/app/v1/auth/login, then /_allauth/app/v1/auth/2fa/authenticate "
                "when the account has a second factor)."
            ),
        }


class MFASessionScheme(SessionScheme):
    """The browser session, as drf-spectacular describes Django's (cookie "sessionid")."""

    target_class = "accounts.mfa.SessionAuthentication"
    priority = 1

"""The authorization matrix: every URL pattern and API route of the product, with the status each
persona gets. tests/authz/test_matrix.py fails when a route is missing from here, so a new page
cannot ship without someone deciding who may open it.

Out-of-scope objects answer 404 (the object is not in the persona's visible_to() set); a page the
persona's role may never use answers 403; anonymous visitors are sent to sign in (302) on pages and
get 401 from the API. Later apps add their rows in their own section."""

from tests.authz.cases import MANAGERS_PAGE, SIGNED_IN_API, SIGNED_IN_PAGE, Case, codes, everyone
from tests.authz.matrix_cohorts_courses import COHORTS_AND_COURSES
from tests.authz.matrix_programme import PROGRAMME

MATRIX: dict[str, Case] = {
    # --- shell ---------------------------------------------------------------------------------
    "core:home": Case(everyone(200)),
    "core:set_language": Case(everyone(302), method="post", data={"language": "en"}),
    "core:healthz": Case(everyone(200)),
    "core:ping": Case(everyone(200)),
    "schema": Case(everyone(200)),
    "api_docs": Case(everyone(200)),
    # --- allauth (sign-in pages redirect people who are already signed in) ----------------------
    "account_login": Case(codes(200, 302, 302, 302, 302)),
    "account_logout": Case(codes(302, 200, 200, 200, 200)),
    "account_inactive": Case(everyone(200)),
    "account_signup": Case(codes(200, 302, 302, 302, 302)),
    "account_reauthenticate": Case(SIGNED_IN_PAGE),
    "account_request_reauthentication_code": Case(SIGNED_IN_PAGE),
    "account_confirm_reauthentication_code": Case(codes(302, 302, 302, 302, 302)),
    "account_email": Case(SIGNED_IN_PAGE),
    "account_email_verification_sent": Case(everyone(200)),
    "account_change_password": Case(SIGNED_IN_PAGE),
    "account_set_password": Case(codes(302, 302, 302, 302, 302)),
    "account_reset_password": Case(everyone(200)),
    "account_confirm_login_code": Case(codes(302, 302, 302, 302, 302)),
    "account_confirm_email": Case(everyone(200), kwargs={"key": "not-a-real-key"}),
    "account_reset_password_from_key_done": Case(everyone(200)),
    "account_reset_password_from_key": Case(
        everyone(200), kwargs={"uidb36": "zz", "key": "not-a-real-key"}
    ),
    "account_reset_password_done": Case(everyone(200)),
    "mfa_index": Case(SIGNED_IN_PAGE),
    "mfa_authenticate": Case(everyone(302)),
    "mfa_reauthenticate": Case(codes(302, 302, 302, 302, 302)),
    # Enrolling a second factor first asks for the password again (reauthentication).
    "mfa_activate_totp": Case(everyone(302)),
    "mfa_deactivate_totp": Case(codes(302, 404, 404, 404, 404)),
    "mfa_view_recovery_codes": Case(codes(302, 404, 404, 404, 404)),
    "mfa_generate_recovery_codes": Case(codes(302, 302, 302, 302, 302)),
    "mfa_download_recovery_codes": Case(codes(302, 404, 404, 404, 404)),
    # --- headless sign-in API for app clients: a browser session opens nothing there (the app
    # client authenticates by X-Session-Token only; see tests/accounts/test_mfa.py) ----------
    "headless:app:account:change_password": Case(everyone(401)),
    "headless:app:account:confirm_login_code": Case(everyone(409)),
    "headless:app:account:confirm_reauthentication_code": Case(everyone(401)),
    "headless:app:account:current_session": Case(everyone(401)),
    "headless:app:account:login": Case(everyone(405)),
    "headless:app:account:manage_email": Case(everyone(401)),
    "headless:app:account:manage_phone": Case(everyone(401)),
    "headless:app:account:reauthenticate": Case(everyone(401)),
    "headless:app:account:request_password_reset": Case(everyone(405)),
    "headless:app:account:request_reauthentication_code": Case(everyone(401)),
    "headless:app:account:resend_email_verification_code": Case(everyone(405)),
    "headless:app:account:resend_phone_verification_code": Case(everyone(405)),
    "headless:app:account:resend_reauthentication_code": Case(everyone(401)),
    "headless:app:account:reset_password": Case(everyone(400)),
    "headless:app:account:signup": Case(everyone(405)),
    "headless:app:account:verify_email": Case(everyone(400)),
    "headless:app:account:verify_phone": Case(everyone(409)),
    "headless:app:config": Case(everyone(200)),
    "headless:app:mfa:authenticate": Case(everyone(401)),
    "headless:app:mfa:authenticators": Case(everyone(401)),
    "headless:app:mfa:manage_recovery_codes": Case(everyone(401)),
    "headless:app:mfa:manage_totp": Case(everyone(401)),
    "headless:app:mfa:reauthenticate": Case(everyone(401)),
    "headless:app:tokens:refresh": Case(everyone(405)),
    # --- accounts -------------------------------------------------------------------------------
    "accounts:profile": Case(SIGNED_IN_PAGE),
    "accounts:people": Case(MANAGERS_PAGE),
    # The outsider, in no cohort of the manager (the pool); for the other manager, a trainee of
    # "elsewhere", a cohort they do not run (the whole cohorts world exists for them): 404.
    "accounts:person": Case(
        MANAGERS_PAGE, kwargs={"pk": lambda w: w["outsider"].pk}, other_manager=404
    ),
    # Global roles are for staff alone (a program manager's reach ends at their cohorts).
    "accounts:set_role": Case(
        codes(302, 403, 403, 403, 302),
        method="post",
        kwargs={"pk": lambda w: w["outsider"].pk},
        data={"role": "trainee"},
    ),
    "api:me": Case(SIGNED_IN_API, api=True),
    "api:api-root": Case(SIGNED_IN_API, api=True),
    "api:person-list": Case(SIGNED_IN_API, api=True),
    # Another trainee: only managers and staff can see them at all.
    "api:person-detail": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": lambda w: w["outsider"].pk},
        api=True,
    ),
    "api:person-set-role": Case(
        codes(401, 403, 403, 403, 200),
        method="post",
        kwargs={"pk": lambda w: w["outsider"].pk},
        data={"role": "trainee"},
        api=True,
    ),
    # --- notifications --------------------------------------------------------------------------
    "notifications:inbox": Case(SIGNED_IN_PAGE),
    "notifications:mark_all_read": Case(codes(302, 302, 302, 302, 302), method="post"),
    # Only one's own notification: the outsider's is not found, staff included.
    "notifications:mark_one_read": Case(
        codes(302, 404, 404, 404, 404),
        method="post",
        kwargs={"pk": lambda w: w["outsider_notification"].pk},
    ),
    "notifications:preferences": Case(SIGNED_IN_PAGE),
    # The signed token is the credential; a tampered one is refused for everyone.
    "notifications:unsubscribe": Case(everyone(400), kwargs={"token": "tampered"}),
    "api:notification-preference-list": Case(SIGNED_IN_API, api=True),
    "api:notification-list": Case(SIGNED_IN_API, api=True),
    "api:notification-mark-read": Case(SIGNED_IN_API, method="post", data={}, api=True),
    # The outsider's notification: nobody else may read it, staff included.
    "api:notification-detail": Case(
        codes(401, 404, 404, 404, 404),
        kwargs={"pk": lambda w: w["outsider_notification"].pk},
        api=True,
    ),
    **COHORTS_AND_COURSES,
    **PROGRAMME,
}

# The Django admin is one rule for the whole namespace: staff only; everyone else is sent to the
# admin sign-in. test_matrix.py checks the index and every registered model's changelist.
ADMIN_NAMESPACE = "admin"

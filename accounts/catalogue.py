"""Strings of the libraries we ship whose Arabic we correct (see docs/glossary.md).

Listing a string here puts it in the project's catalogue (`make messages` extracts it), which
Django reads before the libraries' own catalogues (LOCALE_PATHS comes first): the Arabic of
locale/ar is the one shown. Each msgid must be exactly the library's, context included."""

from django.utils.translation import gettext_noop

OVERRIDDEN = (
    # allauth.mfa's app name, «وزارة الخارجية» ("Ministry of Foreign Affairs") in allauth.
    gettext_noop("MFA"),
    # Two-factor authentication is «المصادقة الثنائية» everywhere, not «توثيق ذو عاملين».
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Authenticator code"),
    # Sign-up is «إنشاء حساب», not «الاشتراك» or «التسجيل».
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Up Closed"),
    gettext_noop("We are sorry, but the sign up is currently closed."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize "
        "the signup process. If you do not see the verification email in your main inbox, "
        "check your spam folder. Please contact us if you do not receive the verification "
        "email within a few minutes."
    ),
    # Verifying an e-mail address is «تأكيد البريد الإلكتروني»; the address is written with its
    # hamza.
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Email address"),
    gettext_noop("Email Address"),
    # The admin section of allauth's e-mail addresses (ours is «الأشخاص»).
    gettext_noop("Accounts"),
    # allauth's Authenticator model has no verbose name; accounts.models.SecondFactor names it.
)

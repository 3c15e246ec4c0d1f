"""allauth adapter: new people are trainees; allauth's e-mails go out in the recipient's language,
under the product's name and in the layout of its own e-mails (text, and the same text as HTML
written right to left in Arabic)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            context = {
                **context,
                "site_name": str(settings.SITE_NAME),
                "site_url": settings.SITE_URL,
            }
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if message.content_subtype == "plain" and not getattr(message, "alternatives", None):
            html = render_to_string(
                "account/email/layout.html",
                {
                    "body": message.body,
                    "subject": message.subject,
                    "language": translation.get_language(),
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                },
            )
            message.attach_alternative(html, "text/html")
        return message

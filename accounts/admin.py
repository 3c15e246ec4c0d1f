from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import PERSONAL_FIELDS, SecondFactor, User

# Second factors are listed with people, under a name in the admin's language (see SecondFactor).
admin.site.unregister(Authenticator)
admin.site.register(SecondFactor, AuthenticatorAdmin)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "governorate", "is_active", "is_staff"]
    list_filter = ["role", "governorate", "is_active", "is_staff"]
    search_fields = ["full_name", "full_name_latin", "email"]
    # Role changes go through accounts.services.set_role (audited, notified), not this form.
    readonly_fields = ["role", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": list(PERSONAL_FIELDS)},
        ),
        (_("Access"), {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

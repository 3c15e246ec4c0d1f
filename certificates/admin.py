"""Admin for staff: the signatories of each cohort's certificates (names, titles, signature
images), and certificates and bulk runs to read. Issuing, revoking and re-issuing go through the
services (the manager's page), so a certificate's fields are read-only here."""

from django.contrib import admin

from .models import BulkIssueRun, Certificate, Signatory


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "title_ar", "cohort", "position"]
    list_select_related = ["cohort"]
    raw_id_fields = ["cohort"]
    search_fields = ["name_ar", "name_en", "cohort__name"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["display_code", "name_ar", "name_latin", "cohort", "version", "status"]
    list_filter = ["status"]
    list_select_related = ["cohort"]
    search_fields = ["code", "short_code", "name_ar", "name_latin"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BulkIssueRun)
class BulkIssueRunAdmin(admin.ModelAdmin):
    list_display = ["cohort", "status", "total", "done", "failed", "created_at"]
    list_select_related = ["cohort"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

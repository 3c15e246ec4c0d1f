"""Staff administration of cohorts: a window onto the data. Statuses, decisions and attendance
change only through the services (pages and API), so they are read-only here."""

from django.contrib import admin

from . import tallies
from .models import (
    Announcement,
    Application,
    Attendance,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)


class CurriculumInline(admin.TabularInline):
    model = CurriculumItem
    extra = 0
    autocomplete_fields = ["course"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "governorate", "starts_on", "ends_on", "capacity", "status"]
    list_filter = ["status", "governorate", "track"]
    search_fields = ["name", "name_en"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [CurriculumInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The curriculum may have changed: the dashboard's copy of every trainee's progress
        # follows it, as after the curriculum services.
        tallies.refresh_progress([form.instance.pk])


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "role", "status", "joined_at"]
    list_filter = ["role", "status", "cohort"]
    search_fields = ["user__full_name", "user__email"]
    raw_id_fields = ["user", "added_by"]
    readonly_fields = ["status", "left_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "cohort", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["applicant__full_name", "applicant__email"]
    raw_id_fields = ["applicant", "decided_by"]
    readonly_fields = ["status", "consented_at", "submitted_at", "decided_at", "decided_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "format", "mode", "starts_at", "facilitator"]
    list_filter = ["format", "mode", "cohort"]
    search_fields = ["title", "title_en"]
    raw_id_fields = ["facilitator"]
    readonly_fields = ["check_in_code", "series"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "source", "marked_at"]
    list_filter = ["status", "source"]
    raw_id_fields = ["user", "session", "marked_by", "excuse"]
    readonly_fields = ["status", "source", "marked_by", "marked_at"]


@admin.register(ExcuseRequest)
class ExcuseRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "session", "decided_by"]
    readonly_fields = ["status", "decided_by", "decided_at"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "created_at", "sent_at", "recipient_count"]
    raw_id_fields = ["author"]
    readonly_fields = ["sent_at", "recipient_count"]

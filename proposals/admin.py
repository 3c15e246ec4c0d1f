"""Admin for staff: read and correct proposals and rubrics. State changes go through the
services (the pages), so status and version are read-only here."""

from django.contrib import admin

from .models import (
    BudgetLine,
    Criterion,
    Milestone,
    Proposal,
    ReviewAssignment,
    Rubric,
    TeamMember,
    Transition,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["user"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_status", "to_status", "comment", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["percent_complete"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "lead", "status", "updated_at"]
    list_filter = ["status", "governorate"]
    search_fields = ["title", "lead__full_name", "lead__email"]
    list_select_related = ["cohort", "lead"]
    raw_id_fields = ["lead", "cohort"]
    readonly_fields = ["status", "version", "decided_at", "submitted_at", "decision_message"]
    inlines = [TeamMemberInline, BudgetLineInline, MilestoneInline, TransitionInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["cohort", "hide_reviewer_names", "exclude_own_mentor", "proposal_deadline"]
    list_select_related = ["cohort"]
    raw_id_fields = ["cohort"]
    inlines = [CriterionInline]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reviewer", "due_on"]
    list_select_related = ["proposal", "reviewer"]
    raw_id_fields = ["proposal", "reviewer", "assigned_by"]

"""Staff administration of courses. Program managers author in the product itself; the admin is
the staff's fallback. Publication, reviews and enrolments go through the services (actions), and
positions are assigned by the services' rule (appended at the end)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from . import files, services
from .models import (
    AssignmentSubmission,
    Choice,
    Course,
    CourseEnrollment,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizAttempt,
)


def _validated(upload, allowed):
    if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
        try:
            files.validate_upload(upload, allowed=allowed)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
    return upload


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        # The admin passes its own field list; this form only adds the content check.
        fields = ["cover"]

    def clean_cover(self):
        return _validated(self.cleaned_data.get("cover"), files.COVER_TYPES)


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["resource"]

    def clean_resource(self):
        return _validated(self.cleaned_data.get("resource"), files.RESOURCE_TYPES)


class PositionedInlineMixin:
    """New rows go to the end; reordering is done with the services (move up/down)."""

    readonly_fields = ("position",)
    parent_field = ""

    def save_positions(self, formset):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if obj.pk is None:
                siblings = type(obj).objects.filter(
                    **{self.parent_field: getattr(obj, f"{self.parent_field}_id")}
                )
                obj.position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
            obj.save()
        formset.save_m2m()


class ModuleInline(PositionedInlineMixin, admin.TabularInline):
    model = Module
    parent_field = "course"
    fields = ("position", "title", "title_en", "available_from")
    extra = 0
    show_change_link = True


class LessonInline(PositionedInlineMixin, admin.TabularInline):
    model = Lesson
    parent_field = "module"
    fields = ("position", "kind", "title", "title_en", "is_required")
    extra = 0
    show_change_link = True


class QuestionInline(PositionedInlineMixin, admin.StackedInline):
    model = Question
    parent_field = "lesson"
    fields = ("position", "kind", "text", "text_en", "explanation", "explanation_en")
    extra = 0
    show_change_link = True


class ChoiceInline(PositionedInlineMixin, admin.TabularInline):
    model = Choice
    parent_field = "question"
    fields = ("position", "text", "text_en", "is_correct")
    extra = 2


class PositionedAdmin(admin.ModelAdmin):
    def save_formset(self, request, form, formset, change):
        inline = next(
            (i for i in self.get_inline_instances(request) if i.model is formset.model), None
        )
        if isinstance(inline, PositionedInlineMixin):
            inline.save_positions(formset)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Course)
class CourseAdmin(PositionedAdmin):
    form = CourseForm
    list_display = ("title", "title_en", "track", "level", "is_published", "estimated_hours")
    list_filter = ("track", "level", "is_published")
    search_fields = ("title", "title_en")
    readonly_fields = ("is_published", "published_at", "created_by", "created_at", "updated_at")
    inlines = [ModuleInline]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected courses"))
    def publish(self, request, queryset):
        for course in queryset:
            try:
                services.publish_course(actor=request.user, course=course)
            except ValidationError as exc:
                self.message_user(
                    request, f"{course}: {' '.join(exc.messages)}", level=messages.ERROR
                )

    @admin.action(description=_("Withdraw the selected courses to draft"))
    def unpublish(self, request, queryset):
        for course in queryset:
            services.unpublish_course(actor=request.user, course=course)


@admin.register(Module)
class ModuleAdmin(PositionedAdmin):
    list_display = ("title", "course", "position")
    list_select_related = ("course",)
    search_fields = ("title", "title_en", "course__title")
    readonly_fields = ("position",)
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(PositionedAdmin):
    form = LessonForm
    list_display = ("title", "kind", "module", "position", "is_required")
    list_filter = ("kind", "is_required", "module__course")
    list_select_related = ("module",)
    search_fields = ("title", "title_en")
    readonly_fields = ("position",)
    filter_horizontal = ("prerequisites",)
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(PositionedAdmin):
    list_display = ("__str__", "kind", "lesson", "position")
    list_select_related = ("lesson",)
    readonly_fields = ("position",)
    inlines = [ChoiceInline]


@admin.register(CourseEnrollment)
class CourseEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at", "enrolled_by")
    list_select_related = ("user", "course", "enrolled_by")
    autocomplete_fields = ("user",)
    search_fields = ("user__full_name", "user__email", "course__title")
    readonly_fields = ("enrolled_by", "enrolled_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        enrollment = services.enroll_trainee(actor=request.user, course=obj.course, user=obj.user)
        obj.pk = enrollment.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Trainees' records are written only by the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LessonProgress)
class LessonProgressAdmin(ReadOnlyAdmin):
    list_display = ("user", "lesson", "started_at", "completed_at")
    list_select_related = ("user", "lesson")
    search_fields = ("user__full_name", "user__email", "lesson__title")


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "lesson", "number", "score", "passed", "submitted_at")
    list_select_related = ("user", "lesson")
    list_filter = ("passed",)
    search_fields = ("user__full_name", "user__email", "lesson__title")


@admin.register(AssignmentSubmission)
class AssignmentSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("user", "lesson", "status", "revision", "is_late", "submitted_at")
    list_select_related = ("user", "lesson")
    list_filter = ("status", "is_late")
    search_fields = ("user__full_name", "user__email", "lesson__title")

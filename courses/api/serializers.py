"""Serializers of the courses API. Question serializers never carry `is_correct`: which answers
were right is part of an attempt's result only, after it is submitted."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api import ModelSerializer

from ..models import AssignmentSubmission, Course, Lesson, Question


def _api_url(request, name, pk):
    url = reverse(f"api:{name}", kwargs={"pk": pk})
    return request.build_absolute_uri(url) if request is not None else url


class ProgressSummarySerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    required_total = serializers.IntegerField()
    required_done = serializers.IntegerField()


def progress_summary(status) -> dict | None:
    if status is None:
        return None
    return {
        "completed": status.completed,
        "percent": status.percent,
        "required_total": status.required_total,
        "required_done": status.required_done,
    }


class CourseSerializer(ModelSerializer):
    display_title = serializers.CharField(read_only=True)
    track_label = serializers.CharField(source="get_track_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    cover_url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "title_en",
            "display_title",
            "summary",
            "summary_en",
            "track",
            "track_label",
            "level",
            "level_label",
            "estimated_hours",
            "sequential_modules",
            "is_published",
            "cover_url",
            "progress",
        ]
        read_only_fields = fields

    def get_cover_url(self, course) -> str | None:
        if not course.cover:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(course.cover.url) if request else course.cover.url

    @staticmethod
    def _status(serializer, course):
        return serializer.context.get("statuses", {}).get(course.pk)

    def get_progress(self, course) -> ProgressSummarySerializer(allow_null=True):
        return progress_summary(self._status(self, course))


class OutlineLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.pk")
    kind = serializers.CharField(source="lesson.kind")
    title = serializers.CharField(source="lesson.title")
    title_en = serializers.CharField(source="lesson.title_en")
    display_title = serializers.CharField(source="lesson.display_title")
    position = serializers.IntegerField(source="lesson.position")
    is_required = serializers.BooleanField(source="lesson.is_required")
    estimated_minutes = serializers.IntegerField(source="lesson.estimated_minutes")
    state = serializers.ChoiceField(choices=["locked", "available", "started", "completed"])
    lock_reason = serializers.CharField()
    lock_message = serializers.CharField()
    available_from = serializers.DateTimeField(allow_null=True)
    prerequisite_ids = serializers.ListField(child=serializers.IntegerField())
    attempts = serializers.IntegerField()
    best_score = serializers.IntegerField(allow_null=True)
    submission_status = serializers.CharField()


class OutlineModuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="module.pk")
    title = serializers.CharField(source="module.title")
    title_en = serializers.CharField(source="module.title_en")
    display_title = serializers.CharField(source="module.display_title")
    summary = serializers.CharField(source="module.summary")
    summary_en = serializers.CharField(source="module.summary_en")
    position = serializers.IntegerField(source="module.position")
    available_from = serializers.DateTimeField(source="module.available_from", allow_null=True)
    locked = serializers.BooleanField()
    lock_reason = serializers.CharField()
    completed = serializers.BooleanField()
    lessons = OutlineLessonSerializer(many=True)


class OutlineSerializer(serializers.Serializer):
    course = CourseSerializer()
    progress = ProgressSummarySerializer()
    next_lesson = serializers.IntegerField(allow_null=True)
    modules = OutlineModuleSerializer(many=True)


# --- Lesson content ------------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    """A choice as shown to a trainee taking the quiz: no correctness."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    text_en = serializers.CharField()


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    text_en = serializers.CharField()
    choices = ChoiceSerializer(many=True, source="shown_choices")


class QuizInfoSerializer(serializers.Serializer):
    pass_mark = serializers.IntegerField()
    max_attempts = serializers.IntegerField(allow_null=True)
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True)
    best_score = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField()
    next_attempt = serializers.IntegerField(allow_null=True)
    questions = QuizQuestionSerializer(
        many=True, help_text="The questions of the next attempt, in the order to show them."
    )


class SubmissionSerializer(ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    file_url = serializers.SerializerMethodField()
    trainee = serializers.SerializerMethodField()
    reviewed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentSubmission
        fields = [
            "id",
            "lesson",
            "trainee",
            "status",
            "status_label",
            "revision",
            "is_late",
            "submitted_at",
            "text",
            "file_url",
            "file_type",
            "feedback",
            "reviewed_by_name",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_file_url(self, submission) -> str | None:
        if not submission.file:
            return None
        return _api_url(self.context.get("request"), "submission-file", submission.pk)

    def get_trainee(self, submission) -> dict:
        return {"id": submission.user_id, "full_name": submission.user.full_name}

    def get_reviewed_by_name(self, submission) -> str:
        return submission.reviewed_by.full_name if submission.reviewed_by_id else ""


class AssignmentInfoSerializer(serializers.Serializer):
    deadline = serializers.DateTimeField(allow_null=True)
    late_policy = serializers.ChoiceField(choices=Lesson.LatePolicy.choices)
    allow_text = serializers.BooleanField()
    allow_file = serializers.BooleanField()
    allowed_file_types = serializers.ListField(child=serializers.CharField())
    max_file_bytes = serializers.IntegerField()
    submission = SubmissionSerializer(allow_null=True)


class NeighbourSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.pk")
    title = serializers.CharField(source="lesson.display_title")
    state = serializers.CharField()


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.pk")
    course = serializers.IntegerField(source="lesson.module.course_id")
    module = serializers.IntegerField(source="lesson.module_id")
    kind = serializers.ChoiceField(source="lesson.kind", choices=Lesson.Kind.choices)
    title = serializers.CharField(source="lesson.title")
    title_en = serializers.CharField(source="lesson.title_en")
    display_title = serializers.CharField(source="lesson.display_title")
    body = serializers.CharField(source="lesson.body", help_text="Sanitised HTML (Arabic).")
    body_en = serializers.CharField(source="lesson.body_en", help_text="Sanitised HTML (English).")
    is_required = serializers.BooleanField(source="lesson.is_required")
    estimated_minutes = serializers.IntegerField(source="lesson.estimated_minutes")
    state = serializers.CharField(source="state.state")
    video_url = serializers.CharField(source="lesson.video_url")
    transcript = serializers.CharField(source="lesson.transcript")
    transcript_en = serializers.CharField(source="lesson.transcript_en")
    resource_url = serializers.CharField(allow_null=True)
    previous_lesson = NeighbourSerializer(allow_null=True)
    next_lesson = NeighbourSerializer(allow_null=True)
    quiz = QuizInfoSerializer(allow_null=True)
    assignment = AssignmentInfoSerializer(allow_null=True)


class LessonProgressSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(source="lesson_id")
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    course_progress = ProgressSummarySerializer()


# --- Quiz attempts -----------------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class AttemptRequestSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True, allow_empty=True)

    def validate_answers(self, answers):
        seen = set()
        for answer in answers:
            if answer["question"] in seen:
                raise serializers.ValidationError(
                    _("Question %(id)s is answered twice.") % {"id": answer["question"]}
                )
            seen.add(answer["question"])
        return answers


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    correct = serializers.BooleanField()
    chosen = serializers.ListField(child=serializers.IntegerField())
    correct_choices = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="Shown once no further attempt could use them: after a pass or the last attempt.",
    )
    explanation = serializers.CharField(allow_null=True)


class AttemptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    attempts_left = serializers.IntegerField(allow_null=True)
    questions = QuestionResultSerializer(many=True)


# --- Assignments -------------------------------------------------------------------------------------


class SubmissionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class ReviewRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


# --- My progress -------------------------------------------------------------------------------------


class CourseProgressSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course.pk")
    title = serializers.CharField(source="course.title")
    title_en = serializers.CharField(source="course.title_en")
    display_title = serializers.CharField(source="course.display_title")
    completed = serializers.BooleanField()
    percent = serializers.IntegerField()
    required_total = serializers.IntegerField()
    required_done = serializers.IntegerField()
    next_lesson = serializers.IntegerField(allow_null=True)

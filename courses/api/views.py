"""Viewsets of the courses API: visible courses and their outline, lesson content for those
allowed to open it, completing lessons, quiz attempts, assignment submissions and their review,
and the caller's own progress. Every object comes through a `visible_to(user)` queryset (404 out
of scope); a visible but locked lesson answers 403 with the code "lesson_locked"."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core import api as core_api
from core.api import RefusedError, call_service, id_param

from .. import access, files, lookups, services
from ..models import AssignmentSubmission, Course, Lesson, QuizAttempt
from ..progress import course_progress_map, course_status
from . import serializers as s

ERRORS = {
    **core_api.ERRORS,
    403: OpenApiResponse(description="Not allowed, or the lesson is locked (code lesson_locked)."),
}


def _checked(view, obj):
    """What `GenericAPIView.get_object` does with the object it found: 404 without one, else
    the object permissions."""
    if obj is None:
        raise Http404
    view.check_object_permissions(view.request, obj)
    return obj


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Courses visible to the caller: managers see all (drafts too), trainees the published courses
    they are enrolled in (and, once cohorts exist, those of their cohorts' curricula)."""

    serializer_class = s.CourseSerializer

    def get_queryset(self):
        return Course.objects.visible_to(self.request.user).order_by("track", "title", "id")

    def get_object(self):
        """One course of `get_queryset()` (no filter backends here) by id, as stored SQL."""
        return _checked(self, lookups.visible_course(self.request.user, self.kwargs["pk"]))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        statuses = course_progress_map(request.user, page)
        serializer = self.get_serializer(page, many=True, context=self._context(statuses))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        course = self.get_object()
        statuses = {course.pk: course_status(request.user, course)}
        return Response(self.get_serializer(course, context=self._context(statuses)).data)

    def _context(self, statuses):
        return {**self.get_serializer_context(), "statuses": statuses}

    @extend_schema(responses={200: s.OutlineSerializer, 404: ERRORS[404]})
    @action(detail=True, methods=["get"])
    def outline(self, request, pk=None):
        """Modules and lessons in order, each with the caller's state (locked, available, started,
        completed), the course progress and where to continue."""
        course = self.get_object()
        status_ = course_status(request.user, course)
        next_state = status_.next_lesson()
        data = {
            "course": course,
            "progress": s.progress_summary(status_),
            "next_lesson": next_state.lesson.pk if next_state else None,
            "modules": [
                {
                    "module": m.module,
                    "locked": m.locked,
                    "lock_reason": m.lock_reason,
                    "completed": m.completed,
                    "lessons": m.lessons,
                }
                for m in status_.modules
            ],
        }
        context = self._context({course.pk: status_})
        return Response(s.OutlineSerializer(data, context=context).data)


class LessonViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One lesson at a time: its content (only when open to the caller) and the trainee's
    actions on it."""

    serializer_class = s.LessonSerializer

    def get_queryset(self):
        return Lesson.objects.visible_to(self.request.user).select_related("module__course")

    def get_object(self):
        """One lesson of `get_queryset()` (no filter backends here) by id, as stored SQL."""
        return _checked(self, lookups.visible_lesson(self.request.user, self.kwargs["pk"]))

    def _open(self, lesson):
        """The course status, or 403 lesson_locked (program managers preview everything)."""
        status_ = course_status(self.request.user, lesson.module.course)
        state = status_.lesson(lesson.pk)
        if state.locked and not self.request.user.can_manage():
            raise RefusedError(state.lock_message, code="lesson_locked")
        return status_, state

    @extend_schema(responses={200: s.LessonSerializer, 403: ERRORS[403], 404: ERRORS[404]})
    def retrieve(self, request, *args, **kwargs):
        """The lesson's content with the caller's state, previous and next lessons, and for a quiz
        the questions of the next attempt (never which answers are right)."""
        lesson = self.get_object()
        status_, state = self._open(lesson)
        previous, following = status_.neighbours(lesson.pk)
        data = {
            "lesson": lesson,
            "state": state,
            "resource_url": (
                request.build_absolute_uri(
                    self.reverse_action("resource", kwargs={"pk": lesson.pk})
                )
                if lesson.kind == Lesson.Kind.RESOURCE and lesson.resource
                else None
            ),
            "previous_lesson": previous,
            "next_lesson": following,
            "quiz": self._quiz_info(lesson, state) if lesson.kind == Lesson.Kind.QUIZ else None,
            "assignment": (
                self._assignment_info(lesson) if lesson.kind == Lesson.Kind.ASSIGNMENT else None
            ),
        }
        return Response(s.LessonSerializer(data, context=self.get_serializer_context()).data)

    def _quiz_info(self, lesson, state):
        used = state.attempts
        left = None if lesson.max_attempts is None else max(lesson.max_attempts - used, 0)
        can_attempt = left is None or left > 0
        return {
            "pass_mark": lesson.pass_mark,
            "max_attempts": lesson.max_attempts,
            "attempts_used": used,
            "attempts_left": left,
            "best_score": state.best_score,
            "passed": state.passed,
            "next_attempt": used + 1 if can_attempt else None,
            "questions": (
                services.quiz_questions(self.request.user, lesson, used + 1) if can_attempt else []
            ),
        }

    def _assignment_info(self, lesson):
        submission = (
            AssignmentSubmission.objects.filter(user=self.request.user, lesson=lesson)
            .select_related("user", "reviewed_by")
            .first()
        )
        start = access.course_start_for(self.request.user, lesson.module.course)
        return {
            "deadline": lesson.deadline(starts_at=start),
            "late_policy": lesson.late_policy,
            "allow_text": lesson.allow_text,
            "allow_file": lesson.allow_file,
            "allowed_file_types": [files.LABELS[t] for t in files.SUBMISSION_TYPES],
            "max_file_bytes": files.max_upload_bytes(),
            "submission": submission,
        }

    def _progress_response(self, progress, lesson, code=status.HTTP_200_OK):
        status_ = course_status(self.request.user, lesson.module.course)
        data = {
            "lesson_id": lesson.pk,
            "started_at": progress.started_at,
            "completed_at": progress.completed_at,
            "course_progress": s.progress_summary(status_),
        }
        return Response(s.LessonProgressSerializer(data).data, status=code)

    @extend_schema(
        request=None,
        responses={200: s.LessonProgressSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Record that the caller opened the lesson ("continue where you left off")."""
        lesson = self.get_object()
        progress = call_service(services.start_lesson, user=request.user, lesson=lesson)
        return self._progress_response(progress, lesson)

    @extend_schema(
        request=None,
        responses={
            200: s.LessonProgressSerializer,
            400: OpenApiResponse(description="Quizzes and assignments complete by themselves."),
            403: ERRORS[403],
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark a text, video or resource lesson complete (idempotent)."""
        lesson = self.get_object()
        progress = call_service(services.complete_lesson, user=request.user, lesson=lesson)
        return self._progress_response(progress, lesson)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            403: ERRORS[403],
            404: ERRORS[404],
        }
    )
    @action(detail=True, methods=["get"])
    def resource(self, request, pk=None):
        """The lesson's PDF, for those allowed to open the lesson."""
        lesson = self.get_object()
        self._open(lesson)
        if lesson.kind != Lesson.Kind.RESOURCE or not lesson.resource:
            raise exceptions.NotFound(_("This lesson has no file."))
        return FileResponse(
            lesson.resource.open("rb"),
            as_attachment=True,
            filename=f"lesson-{lesson.pk}.pdf",
            content_type=files.PDF,
        )

    # Quiz attempts.

    def _attempt_results(self, lesson, attempts):
        questions = {
            q.pk: q for q in lesson.questions.prefetch_related("choices").order_by("position")
        }
        reveal = services.reveals_correct_answers(lesson, attempts)
        left = None if lesson.max_attempts is None else max(lesson.max_attempts - len(attempts), 0)
        results = []
        for attempt in attempts:
            rows = []
            for question_id in attempt.question_order:
                question = questions.get(question_id)
                rows.append(
                    {
                        "question": question_id,
                        "correct": attempt.results.get(str(question_id), False),
                        "chosen": attempt.answers.get(str(question_id), []),
                        "correct_choices": (
                            sorted(c.pk for c in question.choices.all() if c.is_correct)
                            if reveal and question is not None
                            else None
                        ),
                        "explanation": (
                            question.t("explanation") if reveal and question is not None else None
                        ),
                    }
                )
            results.append(
                {
                    "id": attempt.pk,
                    "number": attempt.number,
                    "score": attempt.score,
                    "passed": attempt.passed,
                    "pass_mark": lesson.pass_mark,
                    "submitted_at": attempt.submitted_at,
                    "attempts_left": left,
                    "questions": rows,
                }
            )
        return results

    def _quiz_lesson(self):
        lesson = self.get_object()
        if lesson.kind != Lesson.Kind.QUIZ:
            raise exceptions.NotFound(_("This lesson is not a quiz."))
        return lesson

    @extend_schema(
        responses={200: s.AttemptResultSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_path="quiz-attempts", pagination_class=None)
    def quiz_attempts(self, request, pk=None):
        """The caller's submitted attempts at this quiz, with their results."""
        lesson = self._quiz_lesson()
        attempts = list(QuizAttempt.objects.filter(user=request.user, lesson=lesson))
        data = self._attempt_results(lesson, attempts)
        return Response(s.AttemptResultSerializer(data, many=True).data)

    @extend_schema(
        request=s.AttemptRequestSerializer,
        responses={
            201: s.AttemptResultSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
            404: ERRORS[404],
            409: OpenApiResponse(description="No attempts left (code attempt_limit)."),
        },
    )
    @quiz_attempts.mapping.post
    def submit_quiz_attempt(self, request, pk=None):
        """Submit answers ({question, choices}) and get the score, whether it passed, and which
        answers were right. Every choice must belong to its question."""
        lesson = self._quiz_lesson()
        serializer = s.AttemptRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = {a["question"]: a["choices"] for a in serializer.validated_data["answers"]}
        attempt = call_service(
            services.submit_quiz_attempt, user=request.user, lesson=lesson, answers=answers
        )
        attempts = list(QuizAttempt.objects.filter(user=request.user, lesson=lesson))
        data = next(r for r in self._attempt_results(lesson, attempts) if r["id"] == attempt.pk)
        return Response(s.AttemptResultSerializer(data).data, status=status.HTTP_201_CREATED)

    # Assignments.

    def _assignment_lesson(self):
        lesson = self.get_object()
        if lesson.kind != Lesson.Kind.ASSIGNMENT:
            raise exceptions.NotFound(_("This lesson is not an assignment."))
        return lesson

    @extend_schema(
        responses={200: s.SubmissionSerializer(many=True), 404: ERRORS[404]},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="submissions",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
    )
    def submissions(self, request, pk=None):
        """The caller's own submission for this assignment (a list of at most one)."""
        lesson = self._assignment_lesson()
        rows = AssignmentSubmission.objects.filter(user=request.user, lesson=lesson).select_related(
            "user", "reviewed_by"
        )
        return Response(
            s.SubmissionSerializer(rows, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request={"multipart/form-data": s.SubmissionRequestSerializer},
        responses={
            201: s.SubmissionSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
            404: ERRORS[404],
            409: OpenApiResponse(description="Waiting for review, or already accepted."),
        },
    )
    @submissions.mapping.post
    def submit_assignment(self, request, pk=None):
        """Hand in the assignment (text and/or a PDF, DOCX, PNG or JPEG file, judged by its
        content), or hand it in again after it was returned."""
        lesson = self._assignment_lesson()
        serializer = s.SubmissionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = call_service(
            services.submit_assignment,
            user=request.user,
            lesson=lesson,
            text=serializer.validated_data["text"],
            file=serializer.validated_data["file"],
        )
        return Response(
            s.SubmissionSerializer(submission, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignment submissions: trainees see their own; program managers all (mentors their
    mentees' once mentoring exists), to review them."""

    serializer_class = s.SubmissionSerializer

    def get_queryset(self):
        qs = (
            AssignmentSubmission.objects.visible_to(self.request.user)
            .select_related("user", "reviewed_by")
            .order_by("-submitted_at", "-id")
        )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            qs = qs.filter(status=status_filter)
        lesson = id_param(self.request, "lesson")
        if lesson is not None:
            qs = qs.filter(lesson_id=lesson)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AssignmentSubmission.Status.values),
            OpenApiParameter("lesson", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.ReviewRequestSerializer,
        responses={
            200: s.SubmissionSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
            404: ERRORS[404],
            409: OpenApiResponse(description="Not waiting for review."),
        },
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept the submission (completing the lesson) or return it with feedback."""
        submission = self.get_object()
        serializer = s.ReviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = call_service(
            services.review_submission,
            reviewer=request.user,
            submission=submission,
            accept=serializer.validated_data["decision"] == "accept",
            feedback=serializer.validated_data["feedback"],
        )
        return Response(self.get_serializer(submission).data)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ERRORS[404],
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The submitted file."""
        submission = self.get_object()
        if not submission.file:
            raise exceptions.NotFound(_("This submission has no file."))
        extension = files.EXTENSIONS.get(submission.file_type, "bin")
        return FileResponse(
            submission.file.open("rb"),
            as_attachment=True,
            filename=f"submission-{submission.pk}.{extension}",
            content_type=submission.file_type or "application/octet-stream",
        )


class ProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's progress in every course visible to them."""

    serializer_class = s.CourseProgressSerializer

    def get_queryset(self):
        return Course.objects.visible_to(self.request.user).order_by("track", "title", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        statuses = course_progress_map(request.user, page)
        rows = []
        for course in page:
            status_ = statuses[course.pk]
            following = status_.next_lesson()
            rows.append(
                {
                    "course": course,
                    **s.progress_summary(status_),
                    "next_lesson": following.lesson.pk if following else None,
                }
            )
        return self.get_paginated_response(s.CourseProgressSerializer(rows, many=True).data)

"""Course pages: a trainee's courses, outlines and lessons (quizzes, assignments, downloads), the
review of assignment submissions, and authoring by program managers.

Every object is reached through its model's `visible_to(user)` (out of scope: 404); whether a
visible lesson is open is `courses.progress`'s answer (locked: 403 with the reason); every change
is a call to `courses.services` (bad input: the page again with the error and 400; a state that
forbids the action: 409). Program managers see the trainee pages as a preview: the lock states
and content a trainee who has not started would see, with nothing recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User

from . import access, progress, services
from .forms import (
    AssignmentForm,
    CourseForm,
    EnrollForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    ReviewForm,
    add_errors,
)
from .models import (
    AssignmentSubmission,
    Course,
    CourseEnrollment,
    Lesson,
    Module,
    Question,
    QuizAttempt,
    localized,
)
from .services import Conflict, LessonLocked

PAGE_SIZE = 50

# No account has this id: the status computed for it is that of a trainee who has not started,
# which is what a manager's preview shows.
_NOBODY = 0


def _is_preview(user) -> bool:
    """Program managers open the trainee pages to preview them; nothing they do there counts."""
    return user.can_manage()


def _refuse_preview(user):
    if _is_preview(user):
        raise PermissionDenied(_("Previews do not record progress."))


def _status_for(user, course):
    if _is_preview(user):
        return progress.statuses([_NOBODY], [course])[(_NOBODY, course.pk)]
    return progress.course_status(user, course)


def _visible_lesson(user, pk) -> Lesson:
    return get_object_or_404(
        Lesson.objects.visible_to(user).select_related("module__course"), pk=pk
    )


# --- Trainee pages --------------------------------------------------------------------------------


@login_required
@require_GET
def my_courses(request):
    user = request.user
    courses = Course.objects.visible_to(user).only(
        "id", "title", "title_en", "summary", "summary_en", "track", "level",
        "estimated_hours", "sequential_modules", "is_published",
    )  # fmt: skip
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    preview = _is_preview(user)
    statuses = {} if preview else progress.course_summaries(user, list(page))
    rows = [(course, statuses.get(course.pk)) for course in page]
    return render(
        request,
        "courses/my_courses.html",
        {"page": page, "rows": rows, "preview": preview},
    )


@login_required
@require_GET
def course(request, pk):
    user = request.user
    course = get_object_or_404(Course.objects.visible_to(user), pk=pk)
    status = _status_for(user, course)
    preview = _is_preview(user)
    return render(
        request,
        "courses/course_outline.html",
        {
            "course": course,
            "status": status,
            "modules": [(m, _outline_rows(m, preview)) for m in status.modules],
            "resume": status.next_lesson(),
            "preview": preview,
        },
    )


# A lesson id no lesson has: the outline reverses the lesson URL once and puts each id in it.
_URL_ID = 987654321


def _outline_rows(module_state, preview) -> list[dict]:
    """The outline's lesson rows as plain text, translated once per page instead of once per
    lesson in the template (a course has dozens of lessons)."""
    labels = _outline_labels()
    url = reverse("courses:lesson", kwargs={"pk": _URL_ID})
    rows = []
    for state in module_state.lessons:
        lesson = state.lesson
        meta = [labels["kinds"][lesson.kind]]
        if not lesson.is_required:
            meta.append(labels["optional"])
        minutes = lesson.estimated_minutes
        meta.append(
            ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}
        )
        if state.best_score is not None:
            meta.append(_("best score %(score)s%%") % {"score": state.best_score})
        if state.completed:
            badge = ("state state-completed", labels["completed"])
        elif state.locked:
            badge = ("state state-locked", labels["locked"])
        elif state.started:
            badge = ("state state-started", labels["started"])
        else:
            badge = ("state", labels["not_started"])
        rows.append(
            {
                "state": state.state,
                "title": lesson.display_title,
                "url": ""
                if state.locked and not preview
                else url.replace(str(_URL_ID), str(lesson.pk)),
                "meta": " · ".join(meta),
                "badge_class": badge[0],
                "badge": badge[1],
                "lock_message": labels["locks"].get(state.lock_reason, "") if state.locked else "",
            }
        )
    return rows


def _outline_labels() -> dict:
    return {
        "kinds": {kind: str(label) for kind, label in Lesson.Kind.choices},
        "optional": _("optional"),
        "completed": "✓ " + _("Completed"),
        "locked": _("Locked"),
        "started": _("In progress"),
        "not_started": _("Not started"),
        "locks": {reason: str(message) for reason, message in progress.LOCK_MESSAGES.items()},
    }


@login_required
@require_GET
def lesson(request, pk):
    lesson = _visible_lesson(request.user, pk)
    # Computed once: the service checks it and marks the lesson started in it, the page shows it.
    status = _status_for(request.user, lesson.module.course)
    if not _is_preview(request.user):
        try:
            # Remembers the visit ("continue where you left off"); refuses a locked lesson.
            services.start_lesson(user=request.user, lesson=lesson, status=status)
        except LessonLocked:
            return _locked(request, lesson, status=status)
    return _render_lesson(request, lesson, status=status)


def _locked(request, lesson, *, status=None):
    if status is None:
        status = progress.course_status(request.user, lesson.module.course)
    state = status.lesson(lesson.pk)
    prerequisites = [status.lesson(pid) for pid in state.prerequisite_ids]
    return render(
        request,
        "courses/locked.html",
        {
            "course": lesson.module.course,
            "lesson": lesson,
            "state": state,
            "prerequisites": [p for p in prerequisites if p is not None and not p.completed],
        },
        status=403,
    )


def _render_lesson(
    request, lesson, *, status_code=200, errors=(), answers=None, form=None, status=None
):
    user = request.user
    course = lesson.module.course
    preview = _is_preview(user)
    if status is None:
        status = _status_for(user, course)
    state = status.lesson(lesson.pk)
    if state.locked and not preview:
        return _locked(request, lesson, status=status)
    previous, following = status.neighbours(lesson.pk)
    context = {
        "course": course,
        "module": lesson.module,
        "lesson": lesson,
        "state": state,
        "status": status,
        "previous": previous,
        "following": following,
        "preview": preview,
        "errors": errors,
        # Sanitised when stored (Lesson.save -> courses.html.clean_html).
        "body": localized(lesson, "body"),
    }
    if lesson.kind == Lesson.Kind.QUIZ:
        context.update(_quiz_context(user, lesson, preview=preview, answers=answers))
    elif lesson.kind == Lesson.Kind.ASSIGNMENT:
        context.update(_assignment_context(user, lesson, preview=preview, form=form))
    elif lesson.kind == Lesson.Kind.VIDEO:
        context["transcript"] = localized(lesson, "transcript")
    return render(request, "courses/lesson.html", context, status=status_code)


def _as_ids(values) -> set[int]:
    ids = set()
    for value in values:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    return ids


def _quiz_context(user, lesson, *, preview, answers):
    attempts = (
        []
        if preview
        else list(QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"))
    )
    questions = services.quiz_questions(user, lesson, len(attempts) + 1)
    answers = answers or {}
    for question in questions:
        question.checked = _as_ids(answers.get(str(question.pk), []))
    passed = any(a.passed for a in attempts)
    used_up = lesson.max_attempts is not None and len(attempts) >= lesson.max_attempts
    last = attempts[-1] if attempts else None
    return {
        "questions": questions,
        "attempts": attempts,
        "last_attempt": last,
        "result": _attempt_result(lesson, last, attempts, questions) if last else None,
        "passed": passed,
        "used_up": used_up,
        "can_attempt": not preview and not passed and not used_up and bool(questions),
        "attempts_left": (
            None if lesson.max_attempts is None else max(lesson.max_attempts - len(attempts), 0)
        ),
    }


def _attempt_result(lesson, attempt, attempts, questions):
    """The last attempt, question by question in the order it was shown: which answers were
    right, and the correct choices once the services allow revealing them."""
    reveal = services.reveals_correct_answers(lesson, attempts)
    by_id = {q.pk: q for q in questions}
    rows = []
    for question_id in attempt.question_order:
        question = by_id.get(question_id)
        if question is None:  # removed from the quiz since
            continue
        chosen = set(attempt.answers.get(str(question_id), []))
        choices = sorted(question.choices.all(), key=lambda c: (c.position, c.pk))
        rows.append(
            {
                "question": question,
                "right": bool(attempt.results.get(str(question_id))),
                "choices": [
                    {"choice": c, "chosen": c.pk in chosen, "correct": reveal and c.is_correct}
                    for c in choices
                ],
                "explanation": localized(question, "explanation"),
            }
        )
    return {"rows": rows, "reveal": reveal}


def _assignment_context(user, lesson, *, preview, form):
    course = lesson.module.course
    submission = (
        None
        if preview
        else AssignmentSubmission.objects.filter(user=user, lesson=lesson)
        .select_related("reviewed_by")
        .first()
    )
    deadline = lesson.deadline(starts_at=access.course_start_for(user, course))
    past_deadline = deadline is not None and timezone.now() > deadline
    returned = submission is not None and submission.status == AssignmentSubmission.Status.RETURNED
    refused = (
        submission is None and past_deadline and lesson.late_policy == Lesson.LatePolicy.REFUSE
    )
    can_submit = not preview and ((submission is None and not refused) or returned)
    if form is None:
        initial = {"text": submission.text} if returned else None
        form = AssignmentForm(lesson=lesson, initial=initial)
    return {
        "submission": submission,
        "deadline": deadline,
        "past_deadline": past_deadline,
        "refused": refused,
        "can_submit": can_submit,
        "form": form,
    }


@login_required
@require_POST
def complete_lesson(request, pk):
    lesson = _visible_lesson(request.user, pk)
    _refuse_preview(request.user)
    try:
        services.complete_lesson(user=request.user, lesson=lesson)
    except LessonLocked:
        return _locked(request, lesson)
    except ValidationError as exc:
        return _render_lesson(request, lesson, status_code=400, errors=exc.messages)
    return _after_completion(request, lesson)


def _after_completion(request, lesson):
    course = lesson.module.course
    status = progress.course_status(request.user, course)
    if status.completed:
        messages.success(request, _("You have completed the course. Well done!"))
        return redirect(course.get_absolute_url())
    messages.success(request, _("Lesson completed."))
    _previous, following = status.neighbours(lesson.pk)
    if following is not None and not following.locked:
        return redirect(following.lesson.get_absolute_url())
    return redirect(course.get_absolute_url())


@login_required
@require_POST
def submit_quiz(request, pk):
    lesson = _visible_lesson(request.user, pk)
    _refuse_preview(request.user)
    # One form field per question, "q-<question id>", holding the chosen choice ids. Whatever
    # comes in is checked by the service: an id that is not a choice of that question is a 400.
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        attempt = services.submit_quiz_attempt(user=request.user, lesson=lesson, answers=answers)
    except LessonLocked:
        return _locked(request, lesson)
    except ValidationError as exc:
        return _render_lesson(
            request, lesson, status_code=400, errors=exc.messages, answers=answers
        )
    except Conflict as exc:
        return _render_lesson(request, lesson, status_code=409, errors=[exc.message])
    if attempt.passed:
        messages.success(
            request,
            _("You scored %(score)s%% and passed the quiz.") % {"score": attempt.score},
        )
    else:
        messages.error(
            request,
            _("You scored %(score)s%%; the pass mark is %(mark)s%%.")
            % {"score": attempt.score, "mark": lesson.pass_mark},
        )
    return redirect(lesson.get_absolute_url() + "#result")


@login_required
@require_POST
def submit_assignment(request, pk):
    lesson = _visible_lesson(request.user, pk)
    _refuse_preview(request.user)
    if lesson.kind != Lesson.Kind.ASSIGNMENT:
        raise Http404
    form = AssignmentForm(request.POST, request.FILES, lesson=lesson)
    if not form.is_valid():
        return _render_lesson(request, lesson, status_code=400, form=form)
    try:
        submission = services.submit_assignment(
            user=request.user,
            lesson=lesson,
            text=form.cleaned_data.get("text", ""),
            file=form.cleaned_data.get("file"),
        )
    except LessonLocked:
        return _locked(request, lesson)
    except ValidationError as exc:
        add_errors(form, exc)
        return _render_lesson(request, lesson, status_code=400, form=form)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _render_lesson(request, lesson, status_code=409, form=form)
    if submission.is_late and submission.revision == 1:
        messages.warning(
            request, _("Your work was submitted after the deadline and is marked late.")
        )
    else:
        messages.success(
            request, _("Your work was submitted. You will be told when it is reviewed.")
        )
    return redirect(lesson.get_absolute_url() + "#submission")


@login_required
@require_GET
def resource(request, pk):
    """A lesson's PDF, served only to people who may open the lesson (never a public URL)."""
    lesson = _visible_lesson(request.user, pk)
    if lesson.kind != Lesson.Kind.RESOURCE or not lesson.resource:
        raise Http404
    try:
        services.open_lesson_status(request.user, lesson)
    except LessonLocked:
        return _locked(request, lesson)
    response = FileResponse(
        lesson.resource.open("rb"),
        content_type="application/pdf",
        filename=f"lesson-{lesson.pk}.pdf",
    )
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_GET
def submission_file(request, pk):
    """The file of a submission: for its author, the people who may see their progress, and
    managers."""
    submission = get_object_or_404(
        AssignmentSubmission.objects.visible_to(request.user).exclude(file=""), pk=pk
    )
    extension = submission.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        content_type=submission.file_type or "application/octet-stream",
        filename=f"submission-{submission.pk}-{submission.revision}.{extension}",
    )
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- Reviews --------------------------------------------------------------------------------------


def _may_review_some(user) -> bool:
    return user.can_manage() or user.is_mentor


@login_required
@require_GET
def review_queue(request):
    """Submissions waiting for review that the reviewer may see: every one for managers, their
    mentees' for mentors (courses.access decides)."""
    user = request.user
    if not _may_review_some(user):
        raise PermissionDenied
    waiting = (
        AssignmentSubmission.objects.visible_to(user)
        .exclude(user=user)
        .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
        .select_related("user", "lesson__module__course")
        # Only what the rows show (no password hash, no lesson or answer text).
        .only(*_QUEUE_COLUMNS)
        .order_by("submitted_at", "id")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/review_queue.html", {"page": page, "rows": _queue_rows(page)})


def _queue_rows(page) -> list[dict]:
    """The queue's rows as plain values: one reverse() for the links, the version label
    translated once per page instead of once per row in the template."""
    url = reverse("courses:review", args=[_URL_ID])
    version = _("version %(n)s")
    return [
        {
            "name": submission.user.full_name,
            "lesson": submission.lesson.display_title,
            "course": submission.lesson.module.course.display_title,
            "submitted_at": submission.submitted_at,
            "late": submission.is_late,
            "version": version % {"n": submission.revision} if submission.revision > 1 else "",
            "url": url.replace(str(_URL_ID), str(submission.pk)),
        }
        for submission in page
    ]


_QUEUE_COLUMNS = (
    "id", "status", "revision", "is_late", "submitted_at", "user", "lesson",
    "user__id", "user__full_name",
    "lesson__id", "lesson__title", "lesson__title_en", "lesson__module",
    "lesson__module__id", "lesson__module__course", "lesson__module__course__id",
    "lesson__module__course__title", "lesson__module__course__title_en",
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    user = request.user
    submission = get_object_or_404(
        AssignmentSubmission.objects.visible_to(user).select_related(
            "user", "reviewed_by", "lesson__module__course"
        ),
        pk=pk,
    )
    if not access.can_review(user, submission):
        raise PermissionDenied
    status_code = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == ReviewForm.ACCEPT
            try:
                services.review_submission(
                    reviewer=user,
                    submission=submission,
                    accept=accept,
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status_code = 400
            except Conflict as exc:
                form.add_error(None, exc.message)
                status_code = 409
            else:
                messages.success(
                    request,
                    _("The submission was accepted.")
                    if accept
                    else _("The submission was returned with your feedback."),
                )
                return redirect("courses:review_queue")
        else:
            status_code = 400
    else:
        form = ReviewForm()
    return render(
        request,
        "courses/review.html",
        {"submission": submission, "form": form, "lesson": submission.lesson},
        status=status_code,
    )


# --- Authoring ------------------------------------------------------------------------------------


def _require_manager(user):
    if not user.can_manage():
        raise PermissionDenied


def _managed_course(request, pk) -> Course:
    _require_manager(request.user)
    return get_object_or_404(Course.objects.visible_to(request.user), pk=pk)


def _managed_module(request, pk) -> Module:
    _require_manager(request.user)
    return get_object_or_404(
        Module.objects.visible_to(request.user).select_related("course"), pk=pk
    )


def _managed_lesson(request, pk) -> Lesson:
    _require_manager(request.user)
    return _visible_lesson(request.user, pk)


def _managed_question(request, pk) -> Question:
    """Questions are reached through their quiz's course."""
    _require_manager(request.user)
    return get_object_or_404(
        Question.objects.filter(
            lesson__module__course__in=Course.objects.visible_to(request.user)
        ).select_related("lesson__module__course"),
        pk=pk,
    )


def _bad_request(request, message):
    return render(request, "400.html", {"message": message}, status=400)


def _direction(request):
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return None
    return direction


@login_required
@require_GET
def manage(request):
    _require_manager(request.user)
    courses = (
        Course.objects.visible_to(request.user)
        .annotate(
            module_count=Count("modules", distinct=True),
            lesson_count=Count("modules__lessons", distinct=True),
        )
        .order_by("-updated_at", "-id")
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = (
        AssignmentSubmission.objects.visible_to(request.user)
        .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
        .count()
    )
    return render(request, "courses/manage_list.html", {"page": page, "waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    _require_manager(request.user)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The course was created as a draft."))
            return redirect("courses:manage_course", pk=course.pk)
    return _form_page(request, form, title=_("New course"))


def _form_page(request, form, *, title, template="courses/form.html", **context):
    return render(
        request,
        template,
        {"form": form, "title": title, **context},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = _managed_course(request, pk)
    if request.method == "POST":
        form = CourseForm(request.POST, initial=CourseForm.initial_for(course))
        if form.is_valid():
            try:
                services.update_course(actor=request.user, course=course, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The course was saved."))
                return redirect("courses:manage_course", pk=course.pk)
    else:
        form = CourseForm(initial=CourseForm.initial_for(course))
    return _form_page(request, form, title=_("Edit the course"), course=course)


def _manage_course_page(request, course, *, status_code=200, problems=()):
    modules = list(course.modules.order_by("position", "id"))
    lessons = (
        Lesson.objects.filter(module__course=course)
        .defer("body", "body_en", "transcript", "transcript_en")
        .annotate(question_count=Count("questions"))
        .order_by("module_id", "position", "id")
    )
    by_module = {module.pk: [] for module in modules}
    for item in lessons:
        by_module[item.module_id].append(item)
    return render(
        request,
        "courses/manage_course.html",
        {
            "course": course,
            "modules": [(module, by_module[module.pk]) for module in modules],
            "enrolled": CourseEnrollment.objects.filter(course=course).count(),
            "problems": problems,
            "kinds": Lesson.Kind.choices,
        },
        status=status_code,
    )


@login_required
@require_GET
def manage_course(request, pk):
    return _manage_course_page(request, _managed_course(request, pk))


@login_required
@require_POST
def course_publish(request, pk):
    course = _managed_course(request, pk)
    try:
        services.publish_course(actor=request.user, course=course)
    except ValidationError as exc:
        # The service lists everything that stands in the way of publication.
        return _manage_course_page(request, course, status_code=400, problems=exc.messages)
    messages.success(request, _("The course is published."))
    return redirect("courses:manage_course", pk=course.pk)


@login_required
@require_POST
def course_unpublish(request, pk):
    course = _managed_course(request, pk)
    services.unpublish_course(actor=request.user, course=course)
    messages.success(request, _("The course is back to draft; trainees no longer see it."))
    return redirect("courses:manage_course", pk=course.pk)


@login_required
@require_http_methods(["GET", "POST"])
def course_trainees(request, pk):
    """The people enrolled directly in a course, their progress, and enrolling someone."""
    course = _managed_course(request, pk)
    form = EnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = (
            User.objects.visible_to(request.user)
            .filter(email__iexact=form.cleaned_data["email"], is_active=True)
            .first()
        )
        if person is None:
            form.add_error("email", _("No active account uses this e-mail address."))
        else:
            try:
                services.enroll_trainee(actor=request.user, course=course, user=person)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
                return redirect("courses:course_trainees", pk=course.pk)
    # Courses are shared by every manager; the people enrolled are not: a program manager lists
    # only those in their scope (their cohorts' people and the pool), as on the people pages.
    enrollments = (
        CourseEnrollment.objects.filter(
            course=course, user__in=User.objects.visible_to(request.user)
        )
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    page = Paginator(enrollments, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = progress.progress_for([e.user_id for e in page], course)
    rows = [(enrollment, statuses.get(enrollment.user_id)) for enrollment in page]
    return render(
        request,
        "courses/course_trainees.html",
        {"course": course, "form": form, "page": page, "rows": rows},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def unenroll(request, pk, user_pk):
    course = _managed_course(request, pk)
    person = get_object_or_404(User.objects.visible_to(request.user), pk=user_pk)
    if services.unenroll_trainee(actor=request.user, course=course, user=person):
        messages.success(request, _("%(name)s is no longer enrolled.") % {"name": person.full_name})
    return redirect("courses:course_trainees", pk=course.pk)


@login_required
@require_http_methods(["GET", "POST"])
def module_add(request, pk):
    course = _managed_course(request, pk)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_module(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The module was added."))
            return redirect("courses:manage_course", pk=course.pk)
    return _form_page(request, form, title=_("New module"), course=course)


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request, pk):
    module = _managed_module(request, pk)
    if request.method == "POST":
        form = ModuleForm(request.POST)
        if form.is_valid():
            try:
                services.update_module(actor=request.user, module=module, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The module was saved."))
                return redirect("courses:manage_course", pk=module.course_id)
    else:
        form = ModuleForm(initial=ModuleForm.initial_for(module))
    return _form_page(request, form, title=_("Edit the module"), course=module.course)


@login_required
@require_POST
def module_move(request, pk):
    module = _managed_module(request, pk)
    direction = _direction(request)
    if direction is None:
        return _bad_request(request, _("Choose to move up or down."))
    services.move_module(actor=request.user, module=module, direction=direction)
    return redirect(reverse("courses:manage_course", args=[module.course_id]) + f"#m{module.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def module_delete(request, pk):
    module = _managed_module(request, pk)
    back = reverse("courses:manage_course", args=[module.course_id])
    if request.method == "POST":
        try:
            services.delete_module(actor=request.user, module=module)
        except Conflict as exc:
            return _confirm_delete(request, module, back, error=exc.message, status=409)
        messages.success(request, _("The module was deleted."))
        return redirect(back)
    return _confirm_delete(request, module, back)


def _confirm_delete(request, obj, back, *, error="", status=200):
    return render(
        request,
        "courses/confirm_delete.html",
        {"object": obj, "back": back, "error": error},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_add(request, pk):
    module = _managed_module(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in Lesson.Kind.values:
        return render(
            request,
            "courses/lesson_kind.html",
            {"module": module, "course": module.course, "kinds": Lesson.Kind.choices},
        )
    form = LessonForm(request.POST or None, request.FILES or None, kind=kind, course=module.course)
    if request.method == "POST" and form.is_valid():
        try:
            # The lesson and its prerequisites are saved together or not at all.
            with transaction.atomic():
                lesson = services.add_lesson(
                    actor=request.user,
                    module=module,
                    kind=kind,
                    resource=form.cleaned_data.get("resource"),
                    **{k: v for k, v in form.service_fields().items() if k != "kind"},
                )
                if form.cleaned_data["prerequisites"]:
                    services.set_prerequisites(
                        actor=request.user,
                        lesson=lesson,
                        prerequisites=form.cleaned_data["prerequisites"],
                    )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The lesson was added."))
            if kind == Lesson.Kind.QUIZ:
                return redirect("courses:lesson_edit", pk=lesson.pk)
            return redirect("courses:manage_course", pk=module.course_id)
    return _form_page(
        request,
        form,
        title=_("New lesson: %(kind)s") % {"kind": Lesson.Kind(kind).label},
        template="courses/lesson_form.html",
        course=module.course,
        module=module,
        multipart=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = _managed_lesson(request, pk)
    course = lesson.module.course
    if request.method == "POST":
        form = LessonForm(
            request.POST, request.FILES, kind=lesson.kind, course=course, lesson=lesson
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.update_lesson(
                        actor=request.user,
                        lesson=lesson,
                        resource=form.cleaned_data.get("resource"),
                        **form.service_fields(),
                    )
                    services.set_prerequisites(
                        actor=request.user,
                        lesson=lesson,
                        prerequisites=form.cleaned_data["prerequisites"],
                    )
            except ValidationError as exc:
                add_errors(form, exc)
                lesson.refresh_from_db()
            else:
                messages.success(request, _("The lesson was saved."))
                return redirect("courses:lesson_edit", pk=lesson.pk)
    else:
        form = LessonForm(
            initial=LessonForm.initial_for(lesson), kind=lesson.kind, course=course, lesson=lesson
        )
    questions = (
        list(lesson.questions.prefetch_related("choices").order_by("position", "id"))
        if lesson.kind == Lesson.Kind.QUIZ
        else []
    )
    return _form_page(
        request,
        form,
        title=_("Edit the lesson"),
        template="courses/lesson_form.html",
        course=course,
        module=lesson.module,
        lesson=lesson,
        questions=questions,
        multipart=True,
    )


@login_required
@require_POST
def lesson_move(request, pk):
    lesson = _managed_lesson(request, pk)
    direction = _direction(request)
    if direction is None:
        return _bad_request(request, _("Choose to move up or down."))
    services.move_lesson(actor=request.user, lesson=lesson, direction=direction)
    return redirect(
        reverse("courses:manage_course", args=[lesson.module.course_id]) + f"#l{lesson.pk}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_delete(request, pk):
    lesson = _managed_lesson(request, pk)
    back = reverse("courses:manage_course", args=[lesson.module.course_id])
    if request.method == "POST":
        try:
            services.delete_lesson(actor=request.user, lesson=lesson)
        except Conflict as exc:
            return _confirm_delete(request, lesson, back, error=exc.message, status=409)
        messages.success(request, _("The lesson was deleted."))
        return redirect(back)
    return _confirm_delete(request, lesson, back)


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request, pk):
    lesson = _managed_lesson(request, pk)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise Http404
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(
                actor=request.user, lesson=lesson, choices=form.choices(), **form.question_data()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The question was added."))
            return redirect(reverse("courses:lesson_edit", args=[lesson.pk]) + "#questions")
    return _form_page(
        request,
        form,
        title=_("New question"),
        template="courses/question_form.html",
        course=lesson.module.course,
        lesson=lesson,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = _managed_question(request, pk)
    lesson = question.lesson
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.update_question(
                    actor=request.user,
                    question=question,
                    choices=form.choices(),
                    **form.question_data(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The question was saved."))
                return redirect(reverse("courses:lesson_edit", args=[lesson.pk]) + "#questions")
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return _form_page(
        request,
        form,
        title=_("Edit the question"),
        template="courses/question_form.html",
        course=lesson.module.course,
        lesson=lesson,
    )


@login_required
@require_POST
def question_move(request, pk):
    question = _managed_question(request, pk)
    direction = _direction(request)
    if direction is None:
        return _bad_request(request, _("Choose to move up or down."))
    services.move_question(actor=request.user, question=question, direction=direction)
    return redirect(reverse("courses:lesson_edit", args=[question.lesson_id]) + "#questions")


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, pk):
    question = _managed_question(request, pk)
    back = reverse("courses:lesson_edit", args=[question.lesson_id]) + "#questions"
    if request.method == "POST":
        services.delete_question(actor=request.user, question=question)
        messages.success(request, _("The question was deleted."))
        return redirect(back)
    return _confirm_delete(request, question, back)

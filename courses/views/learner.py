"""A trainee's pages: their courses, a course's outline, lessons (quizzes, assignments, downloads) and submission files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.paging import Paginator, ShapedList

from .. import access, home_panels, lookups, progress, quiz_html, services
from ..cards import course_cards_html, outline_html
from ..forms import (
    AssignmentForm,
    add_errors,
)
from ..models import (
    AssignmentSubmission,
    Course,
    Lesson,
    localized,
)
from ..services import Conflict, LessonLocked
from .common import _URL_ID, PAGE_SIZE, _is_preview, _refuse_preview, _status_for, _visible_lesson

# --- Trainee pages --------------------------------------------------------------------------------


@login_required
@require_GET
def my_courses(request):
    user = request.user
    preview = _is_preview(user)
    number = request.GET.get("page")
    if not lookups.sees_something(user):
        page = Paginator(Course.objects.none(), PAGE_SIZE).get_page(number)
    else:
        # Pages read as stored SQL (core.compiled), counted only past one page.
        courses = ShapedList(_my_courses, user.pk, **lookups.person_key(user))
        page = Paginator(courses, PAGE_SIZE).get_page(number)
    rows = [(course, None if preview else home_panels.Figures.of(course)) for course in page]
    return render(
        request,
        "courses/my_courses.html",
        {"page": page, "rows": rows, "cards": course_cards_html(rows), "preview": preview},
    )


def _my_courses(user_id, *, manager, audiences):
    """The courses of `Course.objects.visible_to` with what the list shows; for a trainee (not a
    manager's preview) with their stored figures (course snapshots) in the courses' own query.
    `audiences`: see courses.lookups."""
    courses = Course.objects.for_person(user_id, manager=manager).only(
        "id", "title", "title_en", "summary", "summary_en", "track", "level",
        "estimated_hours", "sequential_modules", "is_published",
    )  # fmt: skip
    if not manager:
        courses = courses.annotate(**home_panels.stored_figures(user_id))
    return courses


@login_required
@require_GET
def course(request, pk):
    user = request.user
    course = lookups.visible_course(user, pk)
    if course is None:
        raise Http404
    status = _status_for(user, course)
    preview = _is_preview(user)
    modules = [(m, _outline_rows(m, preview)) for m in status.modules]
    return render(
        request,
        "courses/course_outline.html",
        {
            "course": course,
            "status": status,
            "modules": modules,
            "outline": outline_html(modules),
            "resume": status.next_lesson(),
            "preview": preview,
        },
    )


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
            services.reopen_lesson(user=request.user, lesson=lesson, status=status)
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
    attempts = [] if preview else lookups.quiz_attempts(user, lesson)
    questions = services.quiz_questions(user, lesson, len(attempts) + 1)
    answers = answers or {}
    for question in questions:
        question.checked = _as_ids(answers.get(str(question.pk), []))
    passed = any(a.passed for a in attempts)
    used_up = lesson.max_attempts is not None and len(attempts) >= lesson.max_attempts
    last = attempts[-1] if attempts else None
    result = _attempt_result(lesson, last, attempts, questions) if last else None
    can_attempt = not preview and not passed and not used_up and bool(questions)
    return {
        "questions": questions,
        "questions_html": quiz_html.questions_html(questions, can_attempt=can_attempt),
        "attempts": attempts,
        "last_attempt": last,
        "result": result,
        "result_html": quiz_html.result_html(result) if result else "",
        "passed": passed,
        "used_up": used_up,
        "can_attempt": can_attempt,
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

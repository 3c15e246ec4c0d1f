"""Authoring by program managers: courses, their trainees, modules, lessons and questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.pages import form_page, save_form_page, submitted
from core.paging import Paginator

from .. import progress, services
from ..forms import (
    CourseForm,
    EnrollForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    add_errors,
)
from ..models import (
    AssignmentSubmission,
    Course,
    CourseEnrollment,
    Lesson,
    Module,
    Question,
)
from ..services import Conflict
from .common import PAGE_SIZE, _visible_lesson

# --- Authoring ------------------------------------------------------------------------------------

_FORM = "courses/form.html"


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


def _wants_preview(request) -> bool:
    """The lesson form's "Preview" button: show the content as trainees will see it, save nothing
    (a plain submit button, so it works without JavaScript)."""
    return "preview" in request.POST


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
    return save_form_page(
        request,
        CourseForm(submitted(request)),
        lambda data: services.create_course(actor=request.user, **data),
        success=_("The course was created as a draft."),
        done=lambda course: reverse("courses:manage_course", args=[course.pk]),
        title=_("New course"),
        template=_FORM,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = _managed_course(request, pk)
    return save_form_page(
        request,
        CourseForm(submitted(request), initial=CourseForm.initial_for(course)),
        lambda data: services.update_course(actor=request.user, course=course, **data),
        success=_("The course was saved."),
        done=reverse("courses:manage_course", args=[course.pk]),
        title=_("Edit the course"),
        template=_FORM,
        course=course,
    )


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
    return save_form_page(
        request,
        ModuleForm(submitted(request)),
        lambda data: services.add_module(actor=request.user, course=course, **data),
        success=_("The module was added."),
        done=reverse("courses:manage_course", args=[course.pk]),
        title=_("New module"),
        template=_FORM,
        course=course,
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request, pk):
    module = _managed_module(request, pk)
    return save_form_page(
        request,
        ModuleForm(submitted(request), initial=ModuleForm.initial_for(module)),
        lambda data: services.update_module(actor=request.user, module=module, **data),
        success=_("The module was saved."),
        done=reverse("courses:manage_course", args=[module.course_id]),
        title=_("Edit the module"),
        template=_FORM,
        course=module.course,
    )


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
    preview = None
    if request.method == "POST" and form.is_valid() and _wants_preview(request):
        preview = form.preview()
    elif request.method == "POST" and form.is_valid():
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
    return form_page(
        request,
        form,
        title=_("New lesson: %(kind)s") % {"kind": Lesson.Kind(kind).label},
        template="courses/lesson_form.html",
        course=module.course,
        module=module,
        multipart=True,
        preview=preview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = _managed_lesson(request, pk)
    course = lesson.module.course
    preview = None
    if request.method == "POST":
        form = LessonForm(
            request.POST, request.FILES, kind=lesson.kind, course=course, lesson=lesson
        )
        if form.is_valid() and _wants_preview(request):
            preview = form.preview()
        elif form.is_valid():
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
    return form_page(
        request,
        form,
        title=_("Edit the lesson"),
        template="courses/lesson_form.html",
        course=course,
        module=lesson.module,
        lesson=lesson,
        questions=questions,
        multipart=True,
        preview=preview,
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
    form = QuestionForm(submitted(request))
    return save_form_page(
        request,
        form,
        lambda data: services.add_question(
            actor=request.user, lesson=lesson, choices=form.choices(), **form.question_data()
        ),
        success=_("The question was added."),
        done=reverse("courses:lesson_edit", args=[lesson.pk]) + "#questions",
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
    form = QuestionForm(submitted(request), initial=QuestionForm.initial_for(question))
    return save_form_page(
        request,
        form,
        lambda data: services.update_question(
            actor=request.user, question=question, choices=form.choices(), **form.question_data()
        ),
        success=_("The question was saved."),
        done=reverse("courses:lesson_edit", args=[lesson.pk]) + "#questions",
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

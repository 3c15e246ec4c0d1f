"""The benchmark's course catalogue: published courses, the trainees enrolled in them and their
progress (bench.fixture runs it among its seeds)."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from bench.fixture_base import DOMAIN, Scale, personas
from core.tracks import Track
from courses import structure
from courses.html import clean_html
from courses.models import (
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

# Course catalogue: COURSES courses of COURSE_MODULES modules, each module with one lesson of
# every kind that matters, in this order.
COURSE_TITLE_EN = "Bench course {:02d}"
COURSES = 20
COURSE_MODULES = 8
MODULE_PLAN = ["text", "text", "video", "text", "quiz", "assignment"]
QUIZ_QUESTIONS = 6
QUIZ_CHOICES = 4
# The persona and the next trainees (by e-mail) are enrolled directly in the first courses.
ENROLLED_COURSES = 8
ENROLLED_TRAINEES = 200

PARAGRAPHS = [
    "يعمل المركز على إشراك المجتمع بنخبه وفاعليه في رسم السياسات العامة للدولة والمساهمة "
    "بتعزيز الممارسة الديمقراطية من خلال طاولات حوارية وحلقات نقاشية ومؤتمرات وورش عمل.",
    "تخرج هذه اللقاءات بتوصيات ومقترحات وخطط وأوراق سياسات تقدم إلى الجهات ذات العلاقة، "
    "ويعمل المركز كجماعة ضغط تدفع باتجاه تشريع القوانين وتعديلها وإصدار القرارات.",
    "انطلقت النشاطات في مدينة النجف بمبادرة مجموعة من الشباب المهتمين بالشأن العام، "
    "السياسي والاجتماعي والاقتصادي والثقافي، لتبادل الرؤى والأفكار في القضايا العامة.",
    "أصبح النادي مساحة محايدة للتواصل والحوار الهادف بين الشباب الفاعل والنخب المؤثرة "
    "في المجتمع وصناع القرار.",
]


def _lesson_body(number: int) -> str:
    """A lesson text of a few kilobytes: headings, paragraphs, a list, a link. Stored as
    bulk_create stores it, so it must already be what Lesson.save's sanitiser would keep."""
    paragraphs = "".join(f"<p>{PARAGRAPHS[(number + n) % len(PARAGRAPHS)]}</p>" for n in range(6))
    points = "".join(f"<li>{PARAGRAPHS[n][:60]}</li>" for n in range(len(PARAGRAPHS)))
    body = (
        f"<h2>الفكرة {number}</h2>{paragraphs}<h3>للنقاش</h3><ul>{points}</ul>"
        '<p><a href="https://ishtar.example/reading" rel="noopener noreferrer nofollow">'
        "قراءة إضافية</a></p>"
    )
    assert clean_html(body) == body, "bench lesson body must be stored already clean"
    return body


def _create_course(*, number: int, modules: int, sequential: bool, author, now) -> Course:
    """One course with its modules, lessons, quiz questions and choices: a few bulk inserts in
    one transaction, so a course is either all there or absent."""
    with transaction.atomic():
        course = Course.objects.create(
            title=f"القيادة الشبابية والمشاركة المدنية {number}",
            title_en=COURSE_TITLE_EN.format(number),
            summary=PARAGRAPHS[number % len(PARAGRAPHS)],
            track=list(Track.values)[number % len(Track.values)],
            estimated_hours=12,
            sequential_modules=sequential,
            is_published=True,
            published_at=now,
            created_by=author,
        )
        created = Module.objects.bulk_create(
            Module(course=course, position=m, title=f"الوحدة {m}: {PARAGRAPHS[m % 4][:40]}")
            for m in range(1, modules + 1)
        )
        lessons = Lesson.objects.bulk_create(
            Lesson(
                module=module,
                position=p,
                kind=kind,
                title=f"الدرس {module.position}.{p}",
                body=_lesson_body(module.position * 10 + p) if kind != "quiz" else "",
                video_url="https://video.ishtar.example/lesson" if kind == "video" else "",
                transcript=PARAGRAPHS[p % len(PARAGRAPHS)] * 3 if kind == "video" else "",
                pass_mark=60,
                max_attempts=3 if kind == "quiz" else None,
            )
            for module in created
            for p, kind in enumerate(MODULE_PLAN, start=1)
        )
        questions = Question.objects.bulk_create(
            Question(lesson=lesson, position=q, text=f"السؤال {q}: {PARAGRAPHS[q % 4][:80]}؟")
            for lesson in lessons
            if lesson.kind == Lesson.Kind.QUIZ
            for q in range(1, QUIZ_QUESTIONS + 1)
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=c, text=f"الإجابة {c}", is_correct=c == 1)
            for question in questions
            for c in range(1, QUIZ_CHOICES + 1)
        )
    structure.changed()  # written in bulk, past the signals
    return course


def _quiz_attempt(*, user_id, quiz, number, passed, at, answer_key) -> QuizAttempt:
    """An attempt as the service stores it: every answer right (passed) or every one wrong."""
    order = [question_id for question_id, _right, _wrong in answer_key]
    return QuizAttempt(
        user_id=user_id,
        lesson_id=quiz,
        number=number,
        answers={str(q): [right if passed else wrong] for q, right, wrong in answer_key},
        question_order=order,
        results={str(q): passed for q in order},
        score=100 if passed else 0,
        passed=passed,
        submitted_at=at,
    )


def _modules_done(trainee: int, course: int, modules: int) -> int:
    """How many modules the n-th enrolled trainee has completed in the c-th enrolled course:
    from none to all, three for the persona in the first course."""
    return (3 + 5 * trainee + course) % (modules + 1)


def seed_courses(*, scale: Scale, stdout) -> dict:
    """Twenty published courses (eight modules of six lessons: text, text, video, text, a quiz of
    six questions, an assignment; every other course takes its modules in order); the trainee
    persona and the next 199 trainees enrolled directly in the first eight, each with progress:
    trainee n has done `_modules_done(n, c)` modules of course c (the persona: three of the
    first course) — text and video marked, the quiz failed once for one in three then passed, the
    assignment accepted — and in the next module the first lesson done, the second opened, the
    quiz failed once and, for every other trainee, the assignment waiting for review. Creates
    only what is missing."""
    people = personas()
    manager, mentor = people["manager"], people["mentor"]
    now = timezone.now()
    modules = scale.count(COURSE_MODULES, quick=5)
    course_count = scale.count(COURSES, quick=3)
    titles = [COURSE_TITLE_EN.format(n) for n in range(1, course_count + 1)]
    existing = set(Course.objects.filter(title_en__in=titles).values_list("title_en", flat=True))
    for number, title in enumerate(titles, start=1):
        if title not in existing:
            _create_course(
                number=number, modules=modules, sequential=number % 2 == 1, author=manager, now=now
            )
    courses = {c.title_en: c for c in Course.objects.filter(title_en__in=titles)}
    courses = [courses[title] for title in titles]
    enrolled_courses = courses[: scale.count(ENROLLED_COURSES, quick=2)]

    trainee_ids = list(
        User.objects.trainees()
        .filter(email__endswith=f"@{DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)[: scale.count(ENROLLED_TRAINEES, quick=10)]
    )
    have = set(
        CourseEnrollment.objects.filter(course__in=enrolled_courses).values_list(
            "user_id", "course_id"
        )
    )
    enrollments = [
        CourseEnrollment(user_id=pk, course=course, enrolled_at=now, enrolled_by=manager)
        for course in enrolled_courses
        for pk in trainee_ids
        if (pk, course.pk) not in have
    ]
    CourseEnrollment.objects.bulk_create(enrollments, batch_size=2000)

    # Outline of the enrolled courses: {course id: [[(lesson id, kind), ...] per module]}.
    outline = {course.pk: [] for course in enrolled_courses}
    for module_course, lesson_id, kind in (
        Lesson.objects.filter(module__course__in=enrolled_courses)
        .order_by("module__course_id", "module__position", "position")
        .values_list("module__course_id", "pk", "kind")
    ):
        rows = outline[module_course]
        if not rows or len(rows[-1]) == len(MODULE_PLAN):
            rows.append([])
        rows[-1].append((lesson_id, kind))
    answer_keys: dict[int, list] = {}
    for quiz, question, choice, correct in (
        Choice.objects.filter(question__lesson__module__course__in=enrolled_courses)
        .order_by("question__lesson_id", "question__position", "position")
        .values_list("question__lesson_id", "question_id", "pk", "is_correct")
    ):
        key = answer_keys.setdefault(quiz, {})
        entry = key.setdefault(question, [question, None, None])
        entry[1 if correct else 2] = entry[1 if correct else 2] or choice
    answer_keys = {quiz: [tuple(e) for e in key.values()] for quiz, key in answer_keys.items()}

    done_progress = set(
        LessonProgress.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    done_attempts = set(
        QuizAttempt.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    done_submissions = set(
        AssignmentSubmission.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    progress, attempts, submissions = [], [], []
    for n, pk in enumerate(trainee_ids):
        for c, course in enumerate(enrolled_courses):
            finished = _modules_done(n, c, modules)
            started = now - datetime.timedelta(days=30 - (n + c) % 20)
            for m, lessons in enumerate(outline[course.pk][: finished + 1]):
                partial = m == finished
                at = started + datetime.timedelta(days=m, hours=n % 12)
                for p, (lesson_id, kind) in enumerate(lessons):
                    if partial and p > 1 and kind not in ("quiz", "assignment"):
                        continue
                    complete = not partial or p == 0
                    if (pk, lesson_id) not in done_progress:
                        progress.append(
                            LessonProgress(
                                user_id=pk,
                                lesson_id=lesson_id,
                                started_at=at,
                                last_seen_at=at + datetime.timedelta(minutes=p),
                                completed_at=at + datetime.timedelta(minutes=p)
                                if complete
                                else None,
                            )
                        )
                    if kind == "quiz" and (pk, lesson_id) not in done_attempts:
                        key = answer_keys[lesson_id]
                        number = 1
                        if partial or (n + m) % 3 == 0:
                            attempts.append(
                                _quiz_attempt(
                                    user_id=pk, quiz=lesson_id, number=1, passed=False, at=at,
                                    answer_key=key,
                                )
                            )  # fmt: skip
                            number = 2
                        if not partial:
                            attempts.append(
                                _quiz_attempt(
                                    user_id=pk, quiz=lesson_id, number=number, passed=True,
                                    at=at + datetime.timedelta(minutes=10), answer_key=key,
                                )
                            )  # fmt: skip
                    if kind == "assignment" and (pk, lesson_id) not in done_submissions:
                        if partial and n % 2 == 0:
                            continue
                        submissions.append(
                            AssignmentSubmission(
                                user_id=pk,
                                lesson_id=lesson_id,
                                text=PARAGRAPHS[(n + m) % len(PARAGRAPHS)],
                                submitted_at=at,
                                status=(
                                    AssignmentSubmission.Status.SUBMITTED
                                    if partial
                                    else AssignmentSubmission.Status.ACCEPTED
                                ),
                                feedback="" if partial else "عمل جيد.",
                                reviewed_by=None if partial else mentor,
                                reviewed_at=None if partial else at + datetime.timedelta(days=1),
                            )
                        )
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    AssignmentSubmission.objects.bulk_create(submissions, batch_size=2000)
    if connection.vendor == "postgresql" and (progress or attempts or submissions or enrollments):
        # As in seed_cohort: statistics for the freshly loaded tables, and for the people the
        # review queue joins (bulk-loaded by seed_people, otherwise planned as a few rows).
        with connection.cursor() as cursor:
            for model in (
                User, Course, Module, Lesson, Question, Choice, CourseEnrollment, LessonProgress,
                QuizAttempt, AssignmentSubmission,
            ):  # fmt: skip
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's table name

    # The persona (trainee 0) in the first course: the module after those it has done.
    course = enrolled_courses[0]
    current = outline[course.pk][_modules_done(0, 0, modules)]
    stdout.write(
        f"  courses: {len(courses)} × {modules} modules × {len(MODULE_PLAN)} lessons, "
        f"{len(trainee_ids)} trainees in {len(enrolled_courses)} ({len(enrollments)} enrollments, "
        f"{len(progress)} lesson progress rows, {len(attempts)} quiz attempts, "
        f"{len(submissions)} submissions created)\n"
    )
    return {
        "course": course,
        "course_text_lesson": Lesson.objects.get(pk=current[1][0]),
        "course_quiz_lesson": Lesson.objects.get(pk=current[MODULE_PLAN.index("quiz")][0]),
    }

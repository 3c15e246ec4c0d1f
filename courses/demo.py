"""Demo courses of the youth leadership programme, across the Center's four tracks, built with
the authoring services; the demo trainees are enrolled and some have made progress, and the first
six have finished the four courses the Najaf cohort requires (so the manager can issue their
certificates). Idempotent: a course that exists (by its English title) is left as it is, and a
finished course is not worked on again."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from core.tracks import Track

from . import progress, services
from .models import AssignmentSubmission, Course, Lesson, LessonProgress, Question

T, F = True, False


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF reading pack (Latin text: the demo carries no font files)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile("reading-pack.pdf", bytes(out), content_type="application/pdf")


def _text(title, title_en, body, required=True):
    return {
        "kind": "text",
        "title": title,
        "title_en": title_en,
        "body": body,
        "is_required": required,
    }


def _video(title, title_en, url, transcript):
    return {
        "kind": "video",
        "title": title,
        "title_en": title_en,
        "video_url": url,
        "transcript": transcript,
        "body": "<p>شاهد المقطع، أو اقرأ النص المكتوب أدناه إن كان الاتصال بطيئًا.</p>",
    }


def _resource(title, title_en, pack):
    return {
        "kind": "resource",
        "title": title,
        "title_en": title_en,
        "resource": pack,
        "body": "<p>حمّل الملف واقرأه قبل الجلسة القادمة.</p>",
        "is_required": False,
    }


def _quiz(title, title_en, questions, max_attempts=3):
    return {
        "kind": "quiz",
        "title": title,
        "title_en": title_en,
        "pass_mark": 60,
        "max_attempts": max_attempts,
        "body": "<p>أجب عن الأسئلة التالية. تظهر لك النتيجة فور الإرسال.</p>",
        "questions": questions,
    }


def _assignment(title, title_en, instructions, **settings):
    return {
        "kind": "assignment",
        "title": title,
        "title_en": title_en,
        "body": instructions,
        **settings,
    }


def _q(kind, text, choices, explanation=""):
    return {"kind": kind, "text": text, "choices": choices, "explanation": explanation}


COURSES = [
    {
        "title": "الثقافة السياسية",
        "title_en": "Political literacy",
        "track": Track.NATIONAL_POLITICAL,
        "level": Course.Level.INTRODUCTORY,
        "estimated_hours": 8,
        "sequential_modules": True,
        "summary": (
            "مدخل إلى المفاهيم السياسية الأساسية ودور الشباب في تصويب المسارات السياسية وتعزيز "
            "المشاركة المجتمعية في صنع القرار ورسم السياسات."
        ),
        "summary_en": "Core political concepts and the role of young people in public life.",
        "modules": [
            (
                "مفاهيم أساسية",
                "Core concepts",
                [
                    _text(
                        "ما السياسة؟ ولماذا تعنينا؟",
                        "What is politics, and why does it concern us?",
                        "<h2>السياسة شأن عام</h2><p>السياسة هي إدارة الشأن العام. يعمل مركز "
                        "عشتار على <strong>دعم التجربة الديمقراطية في العراق</strong> وانضاجها "
                        "وتصحيح مساراتها.</p><ul><li>الدولة والمجتمع</li><li>السلطة والمساءلة</li>"
                        "<li>المشاركة المجتمعية</li></ul>",
                    ),
                    _video(
                        "الديمقراطية التمثيلية",
                        "Representative democracy",
                        "https://video.ishtar.example/representative-democracy",
                        "في الديمقراطية التمثيلية ينتخب المواطنون ممثلين عنهم يشرّعون ويراقبون "
                        "عمل السلطة التنفيذية، وتبقى الرقابة المجتمعية ضمانة لحسن الأداء.",
                    ),
                    _quiz(
                        "اختبار المفاهيم الأساسية",
                        "Core concepts quiz",
                        [
                            _q(
                                Question.Kind.SINGLE,
                                "ما الذي يميّز الديمقراطية التمثيلية؟",
                                [
                                    ("انتخاب ممثلين يشرّعون باسم المواطنين", T),
                                    ("تعيين المشرّعين من السلطة التنفيذية", F),
                                    ("غياب الانتخابات", F),
                                ],
                                "يختار المواطنون ممثليهم عبر الانتخابات.",
                            ),
                            _q(
                                Question.Kind.MULTIPLE,
                                "أيّ مما يلي من أدوات المشاركة المجتمعية؟",
                                [
                                    ("الطاولات الحوارية", T),
                                    ("أوراق السياسات", T),
                                    ("العزوف عن الشأن العام", F),
                                ],
                            ),
                            _q(
                                Question.Kind.TRUE_FALSE,
                                "الرقابة المجتمعية على مؤسسات الدولة جزء من الممارسة الديمقراطية.",
                                [("صح", T), ("خطأ", F)],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "المشاركة المجتمعية",
                "Community participation",
                [
                    _text(
                        "من الحوار إلى القرار",
                        "From dialogue to decision",
                        "<p>يعقد المركز طاولات حوارية وحلقات نقاشية ومؤتمرات وندوات وورش عمل "
                        "بمشاركة صناع القرار، للخروج بتوصيات وأوراق سياسات تقدَّم إلى الجهات "
                        "ذات العلاقة.</p>",
                    ),
                    _resource("حقيبة قراءة", "Reading pack", "Political literacy reading pack"),
                    _assignment(
                        "حلّل قضية عامة في محافظتك",
                        "Analyse a public issue in your governorate",
                        "<p>اختر قضية عامة تخص محافظتك، وصف أطرافها والحلول الممكنة في صفحة "
                        "واحدة. يمكنك الكتابة هنا أو إرفاق ملف PDF أو DOCX.</p>",
                        due_days_after_start=21,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "الدستور العراقي والانتخابات",
        "title_en": "The Iraqi constitution and elections",
        "track": Track.STATE_INSTITUTIONS,
        "level": Course.Level.INTRODUCTORY,
        "estimated_hours": 6,
        "summary": "أبواب الدستور العراقي لعام 2005، والسلطات الاتحادية، والنظام الانتخابي.",
        "summary_en": "The 2005 constitution, the federal authorities and the electoral system.",
        "modules": [
            (
                "الدستور العراقي لعام 2005",
                "The 2005 constitution",
                [
                    _text(
                        "أبواب الدستور",
                        "The parts of the constitution",
                        "<h2>أبواب الدستور</h2><table><thead><tr><th>الباب</th><th>الموضوع</th>"
                        "</tr></thead><tbody><tr><td>الأول</td><td>المبادئ الأساسية</td></tr>"
                        "<tr><td>الثاني</td><td>الحقوق والحريات</td></tr><tr><td>الثالث</td>"
                        "<td>السلطات الاتحادية</td></tr></tbody></table>",
                    ),
                    _quiz(
                        "اختبار الدستور",
                        "Constitution quiz",
                        [
                            _q(
                                Question.Kind.SINGLE,
                                "في أيّ عام أُقرّ الدستور العراقي النافذ؟",
                                [("2005", T), ("2003", F), ("2010", F)],
                            ),
                            _q(
                                Question.Kind.TRUE_FALSE,
                                "السلطات الاتحادية تشريعية وتنفيذية وقضائية.",
                                [("صح", T), ("خطأ", F)],
                            ),
                        ],
                        max_attempts=2,
                    ),
                ],
            ),
            (
                "النظام الانتخابي",
                "The electoral system",
                [
                    _video(
                        "كيف تُجرى الانتخابات؟",
                        "How elections are run",
                        "https://video.ishtar.example/elections",
                        "تتولى المفوضية العليا المستقلة للانتخابات إدارة العملية الانتخابية، "
                        "من تسجيل الناخبين إلى إعلان النتائج.",
                    ),
                    _text(
                        "المراقبة الانتخابية",
                        "Election observation",
                        "<p>المراقبة المحلية والدولية تعزز ثقة المواطنين بنزاهة الانتخابات.</p>",
                        required=False,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "كتابة أوراق السياسات",
        "title_en": "Writing policy papers",
        "track": Track.STATE_INSTITUTIONS,
        "level": Course.Level.INTERMEDIATE,
        "estimated_hours": 10,
        "summary": "تشخيص المشكلة، وبناء البدائل، وصياغة التوصيات لمؤسسات الدولة.",
        "summary_en": "Diagnosing a problem, building options and writing recommendations.",
        "modules": [
            (
                "بنية ورقة السياسات",
                "The structure of a policy paper",
                [
                    _text(
                        "من المشكلة إلى التوصية",
                        "From problem to recommendation",
                        "<ol><li>الملخص التنفيذي</li><li>تشخيص المشكلة</li><li>البدائل</li>"
                        "<li>التوصيات</li></ol>",
                    ),
                    _resource(
                        "نموذج ورقة سياسات", "Policy paper template", "Policy paper template"
                    ),
                ],
            ),
            (
                "التطبيق",
                "Practice",
                [
                    _assignment(
                        "اكتب ملخصًا تنفيذيًا",
                        "Write an executive summary",
                        "<p>اكتب ملخصًا تنفيذيًا (300 كلمة) لورقة سياسات حول قضية ناقشتها طاولة "
                        "حوارية.</p>",
                        allow_file=False,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "فن الخطابة والإلقاء",
        "title_en": "Public speaking",
        "track": Track.YOUTH_INITIATIVES,
        "level": Course.Level.INTRODUCTORY,
        "estimated_hours": 4,
        "summary": "تنمية المهارات القيادية والذاتية: إعداد الكلمة، ولغة الجسد، ومواجهة الجمهور.",
        "summary_en": "Preparing a talk, body language and facing an audience.",
        "modules": [
            (
                "إعداد الكلمة",
                "Preparing a talk",
                [
                    _text(
                        "الرسالة والجمهور",
                        "Message and audience",
                        "<p>ابدأ برسالة واحدة واضحة، واعرف جمهورك قبل أن تكتب.</p>",
                    ),
                    _video(
                        "لغة الجسد",
                        "Body language",
                        "https://video.ishtar.example/body-language",
                        "التواصل البصري ونبرة الصوت والوقفة الثابتة تعزز ثقة الجمهور بالمتحدث.",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "تصميم المبادرات المدنية",
        "title_en": "Designing civic initiatives",
        "track": Track.YOUTH_INITIATIVES,
        "level": Course.Level.INTERMEDIATE,
        "estimated_hours": 8,
        "sequential_modules": True,
        "summary": "من الفكرة إلى المقترح: تحليل الاحتياج، والأهداف، والشركاء، والموازنة بالدينار.",
        "summary_en": "From idea to proposal: needs, objectives, partners and a budget in dinars.",
        "modules": [
            (
                "تحليل الاحتياج",
                "Needs analysis",
                [
                    _text(
                        "ما المشكلة التي تحلها مبادرتك؟",
                        "What problem does your initiative solve?",
                        "<p>المبادرة الناجحة تبدأ من احتياج حقيقي في المجتمع المحلي.</p>",
                    ),
                    _quiz(
                        "اختبار تحليل الاحتياج",
                        "Needs analysis quiz",
                        [
                            _q(
                                Question.Kind.SINGLE,
                                "ما أول خطوة في تصميم مبادرة؟",
                                [("تحليل الاحتياج", T), ("شراء المعدات", F), ("الإعلان", F)],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "المقترح",
                "The proposal",
                [
                    _assignment(
                        "مسودة مقترح مبادرة",
                        "Initiative proposal draft",
                        "<p>اكتب مسودة مقترح مبادرتك: المشكلة، الأهداف، الفئة المستهدفة، الشركاء، "
                        "والموازنة التقديرية بالدينار العراقي.</p>",
                        due_days_after_start=45,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "التفاوض والحوار",
        "title_en": "Negotiation and dialogue",
        "track": Track.FOREIGN_RELATIONS,
        "level": Course.Level.ADVANCED,
        "estimated_hours": 6,
        "summary": "إدارة الحوار الهادف مع الأطراف المختلفة، من الطاولة الحوارية إلى التفاوض.",
        "summary_en": "Purposeful dialogue with different parties, from dialogue tables to talks.",
        "modules": [
            (
                "أسس الحوار",
                "Foundations of dialogue",
                [
                    _text(
                        "الحوار مساحة محايدة",
                        "Dialogue as a neutral space",
                        "<p>نشأ نادي عشتار السياسي مساحةً محايدة للتواصل والحوار الهادف في "
                        "القضايا العامة.</p>",
                    ),
                    _text(
                        "المصالح لا المواقف",
                        "Interests, not positions",
                        "<p>ابحث عن المصالح المشتركة خلف المواقف المعلنة.</p>",
                    ),
                ],
            ),
        ],
    },
]


def build_course(manager, spec) -> Course:
    """A course of `COURSES` built and published with the authoring services, as an author would."""
    course = services.create_course(
        actor=manager,
        title=spec["title"],
        title_en=spec["title_en"],
        summary=spec["summary"],
        summary_en=spec["summary_en"],
        track=spec["track"],
        level=spec["level"],
        estimated_hours=spec["estimated_hours"],
        sequential_modules=spec.get("sequential_modules", False),
    )
    for title, title_en, lessons in spec["modules"]:
        module = services.add_module(actor=manager, course=course, title=title, title_en=title_en)
        for lesson_spec in lessons:
            fields = dict(lesson_spec)
            questions = fields.pop("questions", [])
            pack = fields.pop("resource", None)
            lesson = services.add_lesson(
                actor=manager,
                module=module,
                resource=_pdf(pack) if pack else None,
                **fields,
            )
            for question in questions:
                services.add_question(actor=manager, lesson=lesson, **question)
    services.publish_course(actor=manager, course=course)
    return course


def _enrolments(trainees, index):
    """Everyone takes political literacy, public speaking and civic initiatives; the first half
    the constitution and policy papers; the second half negotiation."""
    half = len(trainees) // 2
    return {
        0: trainees,
        1: trainees[:half],
        2: trainees[:half],
        3: trainees,
        4: trainees,
        5: trainees[half:],
    }[index]


def _some_progress(manager, course, trainees):
    """A bit of progress for the first trainees, only if nobody has started the course yet."""
    lessons = list(Lesson.objects.filter(module__course=course).in_outline_order())
    if LessonProgress.objects.filter(lesson__in=lessons).exists():
        return
    for position, trainee in enumerate(trainees[:12]):
        passes = position % 3 != 0
        for lesson in lessons[: (position % 4) + 2]:
            try:
                _work_on(trainee, lesson, passes=passes)
            except services.LessonLocked:
                break
    for position, submission in enumerate(
        AssignmentSubmission.objects.filter(lesson__in=lessons).order_by("id")[:2]
    ):
        services.review_submission(
            reviewer=manager,
            submission=submission,
            accept=position == 0,
            feedback="" if position == 0 else "أضف مثالًا من محافظتك ووسّع الحلول المقترحة.",
        )


def _finish(manager, course, trainees):
    """These trainees finish the course: every lesson they have not done, quizzes passed and
    assignments accepted. A course already finished is left as it is."""
    for trainee in trainees:
        status = progress.course_status(trainee, course)
        if status.completed:
            continue
        for state in status.lessons:
            if state.completed:
                continue
            lesson = state.lesson
            try:
                _finish_lesson(manager, trainee, lesson)
            except services.LessonLocked:
                break


def _finish_lesson(manager, trainee, lesson):
    if lesson.kind == Lesson.Kind.ASSIGNMENT:
        submission = (
            AssignmentSubmission.objects.filter(user=trainee, lesson=lesson).order_by("-id").first()
        )
        if submission is None or not submission.awaiting_review:
            submission = services.submit_assignment(
                user=trainee, lesson=lesson, text="خطتي النهائية مع مثال من محافظتي."
            )
        services.review_submission(reviewer=manager, submission=submission, accept=True)
    else:
        _work_on(trainee, lesson, passes=True)


def _work_on(trainee, lesson, *, passes):
    if lesson.completes_by_itself:
        services.complete_lesson(user=trainee, lesson=lesson)
    elif lesson.kind == Lesson.Kind.QUIZ:
        answers = {}
        for question in lesson.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            right = [c.pk for c in choices if c.is_correct]
            answers[question.pk] = (
                right if passes else [next(c.pk for c in choices if not c.is_correct)]
            )
        services.submit_quiz_attempt(user=trainee, lesson=lesson, answers=answers)
    elif lesson.kind == Lesson.Kind.ASSIGNMENT:
        services.submit_assignment(user=trainee, lesson=lesson, text="مسودتي الأولى للمهمة.")


def seed(*, stdout):
    manager = User.objects.filter(email="manager@ishtar.example").first()
    if manager is None:
        stdout.write("Courses: no demo manager; skipped.")
        return
    trainees = list(
        User.objects.trainees()
        .filter(email__endswith="@ishtar.example", email__startswith="trainee")
        .order_by("id")
    )
    created = 0
    for index, spec in enumerate(COURSES):
        course = Course.objects.filter(title_en=spec["title_en"]).first()
        if course is None:
            course = build_course(manager, spec)
            created += 1
        for trainee in _enrolments(trainees, index):
            services.enroll_trainee(
                actor=manager, course=course, user=trainee, send_notification=False
            )
        if index in (0, 4):
            _some_progress(manager, course, _enrolments(trainees, index))
        if index < 4:
            # The Najaf cohort's curriculum (cohorts.demo): its first six trainees are done.
            _finish(manager, course, trainees[:6])
    stdout.write(f"Demo courses: {len(COURSES)} ({created} new), demo trainees enrolled.")

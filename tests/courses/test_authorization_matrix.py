"""Every courses URL against every persona: the expected status code of each pair. A URL added to
the courses API without a row here fails `test_every_courses_url_is_in_the_matrix`."""

import pytest

from config.api import router
from courses import services
from tests.courses.factories import (
    AssignmentFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    pdf_upload,
)
from tests.factories import TraineeFactory

PERSONAS = ["anonymous", "trainee", "outsider", "mentor", "manager", "staff"]

# Status per persona, in PERSONAS order.
READ = (401, 200, 404, 404, 200, 200)
LIST = (401, 200, 200, 200, 200, 200)
SUBMIT = (401, 201, 404, 404, 201, 201)
MANAGERS_ONLY = (401, 404, 404, 404, 200, 200)

MATRIX = [
    # (url name, method, url template, body, statuses)
    ("course-list", "get", "/api/v1/courses/", None, LIST),
    ("course-detail", "get", "/api/v1/courses/{course}/", None, READ),
    ("course-outline", "get", "/api/v1/courses/{course}/outline/", None, READ),
    ("lesson-detail", "get", "/api/v1/lessons/{text}/", None, READ),
    ("lesson-start", "post", "/api/v1/lessons/{text}/start/", None, READ),
    ("lesson-complete", "post", "/api/v1/lessons/{text}/complete/", None, READ),
    ("lesson-resource", "get", "/api/v1/lessons/{resource}/resource/", None, READ),
    ("lesson-quiz-attempts", "get", "/api/v1/lessons/{quiz}/quiz-attempts/", None, READ),
    (
        "lesson-quiz-attempts",
        "post",
        "/api/v1/lessons/{quiz}/quiz-attempts/",
        lambda world: world["quiz_answer"],
        SUBMIT,
    ),
    ("lesson-submissions", "get", "/api/v1/lessons/{assignment}/submissions/", None, READ),
    (
        "lesson-submissions",
        "post",
        "/api/v1/lessons/{assignment}/submissions/",
        {"text": "جوابي"},
        SUBMIT,
    ),
    ("submission-list", "get", "/api/v1/submissions/", None, LIST),
    ("submission-detail", "get", "/api/v1/submissions/{own}/", None, READ),
    ("submission-detail", "get", "/api/v1/submissions/{peer}/", None, MANAGERS_ONLY),
    ("submission-file", "get", "/api/v1/submissions/{peer}/file/", None, MANAGERS_ONLY),
    (
        "submission-review",
        "post",
        "/api/v1/submissions/{peer}/review/",
        {"decision": "accept"},
        MANAGERS_ONLY,
    ),
    ("progress-list", "get", "/api/v1/progress/", None, LIST),
]

COURSES_BASENAMES = {"course", "lesson", "submission", "progress"}


@pytest.fixture
def world(trainee, manager):
    """A published course the trainee is enrolled in, with every lesson kind; a peer's
    submission with a file and one of the trainee's own."""
    module = ModuleFactory()
    course = module.course
    EnrollmentFactory(user=trainee, course=course)
    peer = TraineeFactory()
    EnrollmentFactory(user=peer, course=course)
    text = LessonFactory(module=module, position=1)
    quiz = LessonFactory(module=module, position=2, kind="quiz", body="")
    question = services.add_question(
        actor=manager, lesson=quiz, kind="single", text="؟", choices=[("أ", True), ("ب", False)]
    )
    resource = services.add_lesson(
        actor=manager, module=module, kind="resource", title="ملف", resource=pdf_upload()
    )
    assignment = AssignmentFactory(module=module, position=10)
    own_assignment = AssignmentFactory(module=module, position=11)
    peer_submission = services.submit_assignment(
        user=peer, lesson=assignment, text="جواب زميل", file=pdf_upload()
    )
    own_submission = services.submit_assignment(user=trainee, lesson=own_assignment, text="جوابي")
    return {
        "course": course.pk,
        "text": text.pk,
        "quiz": quiz.pk,
        "resource": resource.pk,
        "assignment": assignment.pk,
        "peer": peer_submission.pk,
        "own": own_submission.pk,
        "quiz_answer": {
            "answers": [{"question": question.pk, "choices": [question.choices.first().pk]}]
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "template", "body", "statuses"),
    MATRIX,
    ids=[f"{row[1]} {row[2]}" for row in MATRIX],
)
def test_authorization_matrix(
    personas, api_login, world, persona, name, method, template, body, statuses
):
    client = api_login(personas[persona])
    url = template.format(**world)
    kwargs = {"format": "multipart" if "submissions/" in template else "json"}
    if callable(body):
        body = body(world)
    response = getattr(client, method)(url, body or {}, **kwargs)
    expected = statuses[PERSONAS.index(persona)]
    assert response.status_code == expected, (persona, method, url, response.content[:300])


def test_every_courses_url_is_in_the_matrix():
    names = {
        url.name
        for url in router.urls
        if url.name and url.name.split("-")[0] in COURSES_BASENAMES and "format" not in str(url)
    }
    covered = {row[0] for row in MATRIX}
    assert names == covered

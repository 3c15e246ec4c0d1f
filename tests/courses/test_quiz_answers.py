"""True-or-false questions get their two answers made for them; a quiz submission answering
nothing is refused, on the page and in the API, and uses up no attempt."""

import pytest
from django.urls import reverse

from courses.models import Question, QuizAttempt
from tests.courses.factories import QuizFactory, right_answers

pytestmark = pytest.mark.django_db

NO_ANSWER = "اختر إجابةً عن الأسئلة أولًا. لم تُحتسب أي محاولة."


def _url(name, obj):
    return reverse(f"courses:{name}", args=[obj.pk])


def _question(**overrides):
    data = {
        "kind": "true_false",
        "text": "المشاركة في الانتخابات واجب وطني فقط.",
        "text_en": "",
        "explanation": "",
        "explanation_en": "",
    }
    data.update(overrides)
    return data


def _answers(question):
    return [(c.text, c.text_en, c.is_correct) for c in question.choices.order_by("position")]


def test_a_true_or_false_question_gets_both_answers_and_the_author_picks_the_true_one(
    login, manager
):
    quiz = QuizFactory()

    response = login(manager).post(_url("question_add", quiz), _question(statement_is_true="false"))

    assert response.status_code == 302
    question = Question.objects.get(lesson=quiz)
    assert _answers(question) == [("صح", "True", False), ("خطأ", "False", True)]


def test_answer_rows_typed_for_a_true_or_false_question_are_ignored(login, manager):
    quiz = QuizFactory()

    login(manager).post(
        _url("question_add", quiz),
        _question(statement_is_true="true", choice_1_text="ربما", choice_1_correct="on"),
    )

    assert _answers(Question.objects.get()) == [("صح", "True", True), ("خطأ", "False", False)]


def test_a_true_or_false_question_without_its_answer_is_a_400(login, manager):
    quiz = QuizFactory()

    response = login(manager).post(_url("question_add", quiz), _question())

    assert response.status_code == 400
    assert response.context["form"].errors["statement_is_true"] == [
        "حدّد إن كانت العبارة صحيحة أم خاطئة."
    ]
    assert not Question.objects.exists()


def test_editing_a_true_or_false_question_flips_which_answer_is_right(login, manager):
    quiz = QuizFactory()
    client = login(manager)
    client.post(_url("question_add", quiz), _question(statement_is_true="true"))
    question = Question.objects.get()

    form = client.get(_url("question_edit", question)).context["form"]
    assert form["statement_is_true"].value() == "true"
    assert form["choice_1_text"].value() is None
    response = client.post(_url("question_edit", question), _question(statement_is_true="false"))

    assert response.status_code == 302
    assert _answers(question) == [("صح", "True", False), ("خطأ", "False", True)]


def test_a_single_choice_question_can_become_true_or_false(login, manager):
    quiz = QuizFactory()
    client = login(manager)
    client.post(
        _url("question_add", quiz),
        _question(
            kind="single",
            choice_1_text="أ",
            choice_1_correct="on",
            choice_2_text="ب",
        ),
    )
    question = Question.objects.get()

    client.post(_url("question_edit", question), _question(statement_is_true="true"))

    question.refresh_from_db()
    assert question.kind == "true_false"
    assert _answers(question) == [("صح", "True", True), ("خطأ", "False", False)]


def test_an_empty_quiz_page_submission_is_refused_and_uses_no_attempt(login, trainee, quiz):
    quiz.max_attempts = 1
    quiz.save(update_fields=["max_attempts"])
    client = login(trainee)

    response = client.post(_url("submit_quiz", quiz), {})

    assert response.status_code == 400
    assert NO_ANSWER in response.content.decode()
    assert not QuizAttempt.objects.exists()
    # The one attempt is still there to use.
    answers = {f"q-{q}": [str(c) for c in cs] for q, cs in right_answers(quiz).items()}
    assert client.post(_url("submit_quiz", quiz), answers).status_code == 302
    assert QuizAttempt.objects.get().passed


def test_an_empty_quiz_api_submission_is_refused_and_uses_no_attempt(api_login, trainee, quiz):
    quiz.max_attempts = 1
    quiz.save(update_fields=["max_attempts"])
    client = api_login(trainee)
    url = f"/api/v1/lessons/{quiz.pk}/quiz-attempts/"
    questions = list(quiz.questions.values_list("pk", flat=True))

    for body in ({"answers": []}, {"answers": [{"question": q, "choices": []} for q in questions]}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert NO_ANSWER in str(response.json())
    assert not QuizAttempt.objects.exists()
    answers = [{"question": q, "choices": c} for q, c in right_answers(quiz).items()]
    assert client.post(url, {"answers": answers}, format="json").status_code == 201

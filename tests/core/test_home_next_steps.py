"""Home: a visitor is led to the cohorts open for applications; the "add your Latin name" prompt
shows only to a trainee whose Latin name is missing."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def prompted(client) -> bool:
    with translation.override("ar"):
        text = translation.gettext(
            "Add the Latin spelling of your name so that your certificate can show it."
        )
    return text in client.get("/").content.decode()


def test_a_visitor_sees_the_open_cohorts_first(client):
    page = client.get("/").content.decode()
    assert f'class="button" href="{reverse("cohorts:list")}"' in page
    assert reverse("account_signup") in page and reverse("account_login") in page


def test_the_latin_name_prompt_only_for_a_trainee_without_one(login, trainee, mentor, manager):
    trainee.full_name_latin = ""
    trainee.save(update_fields=["full_name_latin"])
    assert prompted(login(trainee))
    trainee.full_name_latin = "Ali Hassan"
    trainee.save(update_fields=["full_name_latin"])
    assert not prompted(login(trainee))
    for person in (mentor, manager):
        person.full_name_latin = ""
        person.save(update_fields=["full_name_latin"])
        assert not prompted(login(person))


def test_the_greeting_uses_the_latin_first_name_on_english_pages(login, trainee):
    trainee.full_name, trainee.full_name_latin = "د. علي الحكيم", "Dr. Ali Al-Hakim"
    trainee.save(update_fields=["full_name", "full_name_latin"])
    client = login(trainee)
    assert "<h1>أهلًا بك، علي</h1>" in client.get("/").content.decode()
    client.cookies["lang"] = "en"
    assert "<h1>Welcome, Ali</h1>" in client.get("/").content.decode()
    # Without a Latin spelling, the Arabic first name on English pages too.
    trainee.full_name_latin = ""
    trainee.save(update_fields=["full_name_latin"])
    assert "<h1>Welcome, علي</h1>" in client.get("/").content.decode()

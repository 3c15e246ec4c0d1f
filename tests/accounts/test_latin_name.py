"""The Latin name is written in Latin letters: Arabic letters in it are refused, on the profile
page and through the API, with the reason in the reader's language, and nothing is saved."""

import pytest
from django.urls import reverse

from accounts.models import clean_latin_name

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "حسن الخفاجي",
    "phone": "",
    "governorate": "karbala",
    "gender": "male",
    "birth_year": "2004",
    "preferred_language": "ar",
}


@pytest.mark.parametrize("name", ["حسن", "Hassan الخفاجي", "Ali Hasan\u064e", "\ufefb"])
def test_arabic_letters_are_refused(login, trainee, name):
    before = trainee.full_name_latin
    response = login(trainee).post(
        reverse("accounts:profile"), {**PROFILE, "full_name_latin": name}
    )
    assert response.status_code == 400
    assert "بالحروف اللاتينية" in str(response.context["form"].errors["full_name_latin"])
    trainee.refresh_from_db()
    assert trainee.full_name_latin == before


def test_a_latin_name_is_kept_with_its_spaces_tidied(login, trainee):
    response = login(trainee).post(
        reverse("accounts:profile"), {**PROFILE, "full_name_latin": "  Hassan   Al-Khafaji "}
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.full_name_latin == "Hassan Al-Khafaji"
    assert clean_latin_name("") == ""


def test_the_api_refuses_arabic_letters_too(client, trainee):
    client.force_login(trainee)
    before = trainee.full_name_latin
    response = client.patch(
        "/api/v1/me/",
        {"full_name_latin": "علي"},
        content_type="application/json",
    )
    assert response.status_code == 400
    # In the reader's language (Arabic here).
    assert "بالحروف اللاتينية" in response.json()["error"]["fields"]["full_name_latin"][0]
    trainee.refresh_from_db()
    assert trainee.full_name_latin == before

"""A visitor who signs up from a cohort's page comes back to it once the address is confirmed,
and allauth's e-mails speak as the product: its name, a greeting, its signature, an HTML part
written right to left in Arabic."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cohorts.models import Cohort
from tests.accounts.test_signup import SIGNUP, _signup_data
from tests.cohorts.factories import cohort_with

pytestmark = pytest.mark.django_db


def test_signing_up_from_a_cohort_page_returns_there_after_confirmation(client, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    page = reverse("cohorts:detail", args=[cohort.pk])
    html = client.get(page).content.decode()
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', html).group(1)

    response = client.post(signup_link, _signup_data())
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mail.outbox[-1].body)

    confirmed = client.post(link.group(1))

    assert confirmed.status_code == 302
    assert confirmed["Location"] == page
    assert "_auth_user_id" in client.session


def test_the_confirmation_email_speaks_as_the_product_in_arabic(client):
    client.post(SIGNUP, _signup_data())
    message = mail.outbox[-1]

    assert message.subject == "[عشتار للقيادة الشبابية] تأكيد عنوان بريدك الإلكتروني"
    assert message.body.splitlines()[0] == "مرحبًا مريم،"
    assert "testserver/accounts/confirm-email/" in message.body
    assert "مركز عشتار لدعم الديمقراطية" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert '<a href="http://testserver/accounts/confirm-email/' in html


def test_an_english_speaker_gets_it_in_english(client):
    client.cookies["lang"] = "en"
    client.post(SIGNUP, _signup_data(email="reader@example.org"))
    message = mail.outbox[-1]
    assert "Confirm your e-mail address" in message.subject
    # The Latin spelling of the name, given at sign-up, greets an English reader.
    assert message.body.splitlines()[0] == "Hello Maryam,"
    assert 'dir="ltr"' in message.alternatives[0][0]


def test_an_english_speaker_without_a_latin_name_is_greeted_by_the_arabic_one(client):
    client.cookies["lang"] = "en"
    client.post(SIGNUP, _signup_data(email="reader@example.org", full_name_latin=""))
    assert mail.outbox[-1].body.splitlines()[0] == "Hello مريم,"

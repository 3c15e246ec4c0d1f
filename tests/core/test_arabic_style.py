"""The Arabic catalogue follows docs/glossary.md: one word per concept, the Arabic comma, one
tanween convention; the libraries' wrong Arabic is overridden where it shows (allauth's sign-up
and MFA pages, the admin's sections)."""

import re
from pathlib import Path

import pytest
from babel.messages import pofile
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.i18n import join_list

CATALOGUE = Path(settings.BASE_DIR) / "locale/ar/LC_MESSAGES/django.po"
ARABIC = re.compile(r"[\u0600-\u06FF]")

# Words the glossary rules out, and why.
BANNED = {
    "الاشتراك": "sign-up is «إنشاء حساب»",
    "توثيق ذو عاملين": "two-factor authentication is «المصادقة الثنائية»",
    "وزارة الخارجية": "MFA is «المصادقة الثنائية»",
    "تعليم ك": "«mark as» is «وضع علامة»",
    "التسجيل مفتوح": "a recruiting cohort is «التقديم مفتوح»",
    "للتسجيل": "cohorts are open «للتقديم»",
    "كود المصدق": "«رمز المصادقة»",
    "الالكتروني": "«الإلكتروني» takes its hamza",
    "تسجيل لقاء": "meetings are logged: «تدوين»",
    "اً": "tanween sits on the letter before the alif: «ًا»",
}
# «تسجيل» only in its fixed compounds: signing in and out, attendance, course enrolment.
BARE_REGISTRATION = re.compile(
    r"(?:ال)?تسجيل(?:ات)?+(?! (?:الدخول|الخروج|(?:ال)?حضور|حالات الحضور|ذاتي للحضور|في الدورة|في الدورات|\S+ في الدورة))"
)


def _entries():
    with CATALOGUE.open("rb") as handle:
        catalogue = pofile.read_po(handle)
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for string in strings:
            if string:
                yield msgid, string


def test_the_catalogue_uses_none_of_the_words_the_glossary_rules_out():
    problems = [
        f"{msgid!r}: {string!r} ({why})"
        for msgid, string in _entries()
        for word, why in BANNED.items()
        if word in string
    ]
    assert problems == []


def test_registration_words_appear_only_in_their_fixed_compounds():
    problems = [
        f"{msgid!r}: {string!r}" for msgid, string in _entries() if BARE_REGISTRATION.search(string)
    ]
    assert problems == []


def test_arabic_text_in_the_catalogue_uses_the_arabic_comma():
    # "email,status,note" (a CSV header, no space) is not a comma in a sentence.
    problems = [
        f"{msgid!r}: {string!r}"
        for msgid, string in _entries()
        if ARABIC.search(string) and re.search(r",\s", string)
    ]
    assert problems == []


def test_lists_are_joined_with_the_comma_of_the_language():
    with translation.override("ar"):
        assert join_list(["PDF", "DOCX", "PNG"]) == "PDF، DOCX، PNG"
    with translation.override("en"):
        assert join_list(["PDF", "DOCX"]) == "PDF, DOCX"


@pytest.mark.parametrize(
    ("msgid", "arabic"),
    [
        ("MFA", "المصادقة الثنائية"),
        ("Two-Factor Authentication", "المصادقة الثنائية"),
        ("Sign Up", "إنشاء حساب"),
        ("Signup", "إنشاء حساب"),
        ("Email address", "البريد الإلكتروني"),
    ],
)
def test_the_project_catalogue_overrides_the_libraries_arabic(msgid, arabic):
    with translation.override("ar"):
        assert gettext(msgid) == arabic


def test_the_sign_up_page_says_create_an_account(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    assert "إنشاء حساب" in html
    assert "الاشتراك" not in html


def test_the_two_factor_page_says_two_factor_authentication(login, trainee):
    html = login(trainee).get(reverse("mfa_index")).content.decode()

    assert "المصادقة الثنائية" in html
    assert "توثيق ذو عاملين" not in html


def test_the_admin_names_every_section_in_arabic_and_none_twice(login, staff):
    html = login(staff).get(reverse("admin:index")).content.decode()

    assert "وزارة الخارجية" not in html and "Authenticator" not in html
    assert "وسائل المصادقة الثنائية" in html
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert "الأشخاص" in sections and "الحسابات" in sections
    assert len(sections) == len(set(sections)), sections

"""The Arabic-first shell: language, direction, switching, error pages, bad requests."""

import pytest
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_arabic_is_the_default_and_pages_are_rtl(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
def test_english_is_available_and_ltr(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_is_remembered_in_cookie_and_profile(login, trainee):
    client = login(trainee)
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    assert response.cookies["lang"].value == "en"
    trainee.refresh_from_db()
    assert trainee.preferred_language == "en"
    assert 'lang="en" dir="ltr"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_profile_language_applies_on_a_new_device_without_cookie(client):
    user = User.objects.create_user(
        "en@example.org", "x-long-password-1", full_name="سارة", preferred_language="en"
    )
    client.force_login(user)
    assert 'lang="en" dir="ltr"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_code_is_a_clear_400(client):
    response = client.post(reverse("core:set_language"), {"language": "xx"})
    assert response.status_code == 400
    assert "lang" not in response.cookies


@pytest.mark.django_db
def test_switch_refuses_to_redirect_off_site(client):
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_missing_csrf_token_is_a_403_page_in_arabic_and_changes_nothing(trainee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "تغيير", "governorate": "basra"}
    )
    assert response.status_code == 403
    assert 'dir="rtl"' in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.governorate == "najaf"


@pytest.mark.django_db
def test_oversized_request_is_a_400_and_changes_nothing(login, trainee, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = login(trainee).post(
        reverse("accounts:profile"), {"full_name": "ن" * 5000, "governorate": "basra"}
    )
    assert response.status_code == 400
    trainee.refresh_from_db()
    assert trainee.governorate == "najaf"


@pytest.mark.django_db
def test_404_page_is_in_the_layout_language(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_every_static_asset_is_local():
    """No page may reference a CDN or external font: scan the templates for absolute URLs."""
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for marker in ("http://", "https://", "//fonts.", "cdn"):
            if marker in text:
                offenders.append(f"{path}: {marker}")
    assert not offenders


def test_dates_are_day_first_with_iraqi_month_names():
    import datetime

    from django.utils import formats, translation

    day = datetime.datetime(2026, 11, 29, 17, 5, tzinfo=datetime.UTC)
    with translation.override("ar"):
        assert formats.date_format(day, "DATE_FORMAT") == "29 تشرين الثاني 2026"
        assert formats.date_format(day, "SHORT_DATETIME_FORMAT") == "29/11/2026 17:05"
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "29 November 2026"


def test_arabic_plural_forms_follow_the_count():
    from django.utils import translation
    from django.utils.translation import ngettext

    def inactive(n):
        return ngettext("No activity for %(days)s day.", "No activity for %(days)s days.", n) % {
            "days": n
        }

    with translation.override("ar"):
        assert inactive(5) == "لا نشاط منذ 5 أيام."
        assert inactive(15) == "لا نشاط منذ 15 يومًا."
    with translation.override("en"):
        assert inactive(1) == "No activity for 1 day."

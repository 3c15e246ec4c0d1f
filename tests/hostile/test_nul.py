"""A NUL character in a path or a query parameter answers 400 in the user's language, never a
database error: for anonymous visitors, signed-in pages and the API alike."""

import pytest

URLS = [
    "/calendar/%00.ics",
    "/api/v1/submissions/?status=%00",
    "/api/v1/people/?q=a%00b",
    "/api/v1/cohorts/?cohort=%00",
    "/cohorts/?q=%00",
    "/courses/reviews/?status=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_nul_in_path_or_query_is_refused_for_anonymous_visitors(client, url):
    response = client.get(url)
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_nul_is_refused_for_a_manager_with_a_message_in_arabic(login, manager, url):
    client = login(manager)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid"
        text = response.json()["error"]["message"]
    else:
        text = response.content.decode()
    assert "محرف غير مسموح" in text


@pytest.mark.django_db
def test_api_error_follows_the_language_of_the_request(api_login, manager):
    client = api_login(manager)
    response = client.get("/api/v1/people/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The address contains")


@pytest.mark.django_db
def test_a_clean_query_still_reaches_the_page(login, manager):
    assert login(manager).get("/api/v1/people/?q=%D8%B9%D9%84%D9%8A").status_code == 200

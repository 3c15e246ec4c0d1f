"""`{% fixed %}` parts are rendered once per language and reused: the page is the same as when
rendered afresh, each language gets its own, the part reads nothing of the request, and two
parts of one template never share an entry."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.templatetags import fixed


@pytest.fixture(autouse=True)
def fresh():
    fixed.forget()
    yield
    fixed.forget()


def english(client):
    client.cookies["lang"] = "en"
    return client


def test_the_visitors_home_is_the_same_reused_as_rendered_afresh_in_each_language(client, db):
    arabic_first = client.get(reverse("core:home")).content.decode()
    english_first = english(client).get(reverse("core:home")).content.decode()
    client.cookies["lang"] = "ar"
    arabic_again = client.get(reverse("core:home")).content.decode()
    english_again = english(client).get(reverse("core:home")).content.decode()

    assert "برنامج" in arabic_first and "Youth Leadership Programme" in english_first
    assert "Youth Leadership Programme" not in arabic_again
    assert reverse("cohorts:list") in arabic_again and reverse("cohorts:list") in english_again
    # Reused parts: the same HTML apart from the per-request CSRF tokens.
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert strip(arabic_again) == strip(arabic_first)
    assert strip(english_again) == strip(english_first)


def test_a_fixed_part_reads_nothing_of_the_request_and_two_parts_stay_apart():
    page = engines["django"].from_string(
        "{% load fixed %}{% fixed %}[{{ secret }}]{% endfixed %}"
        "{% fixed label=label %}<{{ label }}>{% endfixed %}"
    )
    request = RequestFactory().get("/")
    with translation.override("ar"):
        first = page.render({"secret": "s3cret", "label": "one"}, request)
        second = page.render({"secret": "other", "label": "two"}, request)

    assert first == "[]<one>"
    assert second == first  # the constant handed over is read once


NAV = {
    "trainee": ["courses:mine", "cohorts:mine", "mentoring:my_mentor", "certificates:mine"],
    "mentor": ["courses:mine", "proposals:queue", "mentoring:my_mentees"],
    "manager": ["courses:manage", "cohorts:manage", "accounts:people"],
}
NOT_IN_NAV = {
    "trainee": ["courses:manage", "accounts:people", "mentoring:my_mentees", "admin:index"],
    "mentor": ["courses:manage", "mentoring:my_mentor", "accounts:people"],
    "manager": ["courses:mine", "mentoring:my_mentor", "admin:index"],
}


def nav_of(html: str) -> str:
    return html.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("role", ["trainee", "mentor", "manager"])
def test_each_role_gets_its_own_navigation_in_each_language(login, role, request):
    person = request.getfixturevalue(role)
    client = login(person)
    for _ in range(2):  # rendered, then reused
        arabic = nav_of(client.get(reverse("accounts:profile")).content.decode())
        english_nav = nav_of(english(client).get(reverse("accounts:profile")).content.decode())
        client.cookies["lang"] = "ar"
        for name in NAV[role]:
            assert f'href="{reverse(name)}"' in arabic and f'href="{reverse(name)}"' in english_nav
        for name in NOT_IN_NAV[role]:
            assert f'href="{reverse(name)}"' not in arabic
        assert "الرئيسية" in arabic and "Home" in english_nav


def test_a_role_change_shows_in_the_navigation_on_the_next_request(login, trainee):
    client = login(trainee)
    assert f'href="{reverse("accounts:people")}"' not in client.get("/profile/").content.decode()
    trainee.role = trainee.Role.MANAGER
    trainee.save(update_fields=["role"])
    assert f'href="{reverse("accounts:people")}"' in client.get("/profile/").content.decode()


def test_the_shell_follows_a_setting_changed_at_run_time(client, db, settings):
    before = client.get(reverse("core:home")).content.decode()
    assert 'href="/static/css/app.' in before or 'href="/static/css/app.css"' in before
    settings.STATIC_URL = "/elsewhere/"
    after = client.get(reverse("core:home")).content.decode()
    assert 'href="/elsewhere/css/app.' in after
    assert "/static/css/app." not in after


def test_no_fixed_part_holds_a_block():
    """A fixed part is not walked for `{% block %}`s (it could not vary by page anyway), so no
    template may put one inside it: every block of every template is found without it."""
    names = [
        str(path.relative_to(root))
        for root in (Path(d) for d in settings.TEMPLATES[0]["DIRS"])
        for path in root.rglob("*.html")
        if "{% fixed" in path.read_text(encoding="utf-8")
    ]
    assert "base.html" in names
    for name in names:
        nodelist = get_template(name).template.nodelist
        walked = len(nodelist.get_nodes_by_type(BlockNode))
        fixed.FixedNode.child_nodelists = ("nodelist",)
        try:
            everything = len(nodelist.get_nodes_by_type(BlockNode))
        finally:
            fixed.FixedNode.child_nodelists = ()
        assert walked == everything > 0, name

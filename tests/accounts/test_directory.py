"""The people directory (accounts.directory): its rows built in Python are the markup the template
engine renders from the same rows, in both languages and with hostile names; the page and the
API list exactly the people the viewer may see, filtered, as the ORM and the serializer would."""

import pytest
from django.db.models import Q
from django.template import engines
from django.urls import reverse
from django.utils import translation

from accounts.api import PersonSerializer
from accounts.directory import rows_html
from accounts.models import User
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, StaffFactory, TraineeFactory

# The rows as the directory's template wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n %}"
    '{% translate "Name" as l_name %}{% translate "Governorate" as l_governorate %}'
    '{% translate "Role" as l_role %}'
    '{% for person in rows %}<tr><td data-label="{{ l_name }}"><a href="{{ person.url }}">'
    "{{ person.name }}</a>{% if person.name_latin %}<br>"
    '<small lang="en" dir="ltr">{{ person.name_latin }}</small>{% endif %}</td>'
    '<td data-label="{{ l_governorate }}">{{ person.governorate }}</td>'
    '<td data-label="{{ l_role }}">{{ person.role }}</td></tr>'
    '{% empty %}<tr><td colspan="3">{% translate "Nobody matches these filters." %}</td></tr>'
    "{% endfor %}"
)

ROWS = [
    {
        "id": 7,
        "name": "زينب علي",
        "name_latin": "Zainab Ali",
        "governorate": "البصرة",
        "role": "متدربة",
        "url": "/people/7/",
    },
    {
        "id": 12345,
        "name": 'Adam <b>"Early"</b> & co',
        "name_latin": "<script>alert('x')</script>",
        "governorate": "",
        "role": "Program manager",
        "url": '/people/12345/?a=1&b="2"',
    },
    {"id": 3, "name": "حسين", "name_latin": "", "governorate": "A & B", "role": "x", "url": "/"},
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(language):
    with translation.override(language):
        template = engines["django"].from_string(TEMPLATE)
        assert str(rows_html(ROWS)) == template.render({"rows": ROWS})
        assert str(rows_html([])) == template.render({"rows": []})


@pytest.fixture
def people(db):
    """A manager's cohort (two trainees, one of them in Basra), another manager's cohort, and
    the pool of people in no cohort."""
    manager, other = ManagerFactory(), ManagerFactory()
    ours = [
        TraineeFactory(full_name="بتول", governorate="basra", gender=User.Gender.FEMALE),
        TraineeFactory(full_name="أحمد", governorate="najaf", full_name_latin=""),
    ]
    theirs = TraineeFactory(full_name="تميم")
    cohort_with(manager=manager, trainees=ours)
    cohort_with(manager=other, trainees=[theirs])
    pool = TraineeFactory(full_name="ياسر", governorate="basra")
    return {"manager": manager, "other": other, "ours": ours, "theirs": theirs, "pool": pool}


def _expected(viewer, condition=None):
    return list(
        User.objects.visible_to(viewer)
        .filter(condition or Q())
        .order_by("full_name", "id")
        .values_list("id", flat=True)
    )


@pytest.mark.parametrize(
    "filters, condition",
    [
        ({}, Q()),
        ({"role": "trainee"}, Q(role="trainee")),
        ({"governorate": "basra"}, Q(governorate="basra")),
        ({"role": "trainee", "governorate": "basra"}, Q(role="trainee", governorate="basra")),
        ({"q": "ياس"}, Q(full_name__icontains="ياس")),
        ({"role": "emperor", "governorate": "atlantis"}, Q()),
    ],
)
def test_the_page_lists_exactly_whom_the_viewer_may_see(people, login, filters, condition):
    for viewer in (people["manager"], people["other"], StaffFactory()):
        response = login(viewer).get(reverse("accounts:people"), filters)
        listed = [row["id"] for row in response.context["page"]]
        assert listed == _expected(viewer, condition)
    ours = [
        row["id"]
        for row in login(people["manager"]).get(reverse("accounts:people")).context["page"]
    ]
    assert people["theirs"].pk not in ours and people["pool"].pk in ours
    assert {person.pk for person in people["ours"]} <= set(ours)


def test_the_labels_are_in_the_pages_language_a_womans_role_in_the_feminine(people, login):
    client = login(people["manager"])
    batool = people["ours"][0].pk
    arabic = {row["id"]: row for row in client.get(reverse("accounts:people")).context["page"]}
    assert (arabic[batool]["role"], arabic[batool]["governorate"]) == ("متدربة", "البصرة")
    client.cookies["lang"] = "en"
    english = {row["id"]: row for row in client.get(reverse("accounts:people")).context["page"]}
    assert (english[batool]["role"], english[batool]["governorate"]) == ("Trainee", "Basra")
    assert english[batool]["url"] == reverse("accounts:person", args=[batool])


def test_the_api_list_is_what_the_serializer_writes(people, api_login):
    for viewer in (people["manager"], people["other"], StaffFactory(), people["pool"]):
        answer = api_login(viewer).get("/api/v1/people/?page_size=100").json()
        expected = PersonSerializer(
            User.objects.visible_to(viewer).order_by("full_name", "id"), many=True
        ).data
        assert answer["results"] == expected and answer["count"] == len(expected)
    # Someone who is no manager sees only themselves.
    assert [p["id"] for p in answer["results"]] == [people["pool"].pk]


def test_the_api_list_pages_and_counts(people, api_login, django_assert_num_queries):
    TraineeFactory.create_batch(4)
    staff = StaffFactory()
    client = api_login(staff)
    client.get("/api/v1/people/?page_size=3")
    # The page and, past one page, its count: whatever the number of people.
    with django_assert_num_queries(2):
        first = client.get("/api/v1/people/?page_size=3").json()
    second = client.get("/api/v1/people/?page_size=3&page=2").json()
    everyone = _expected(staff)
    assert first["count"] == second["count"] == User.objects.count() == len(everyone)
    assert [p["id"] for p in first["results"] + second["results"]] == everyone[:6]

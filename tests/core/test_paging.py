"""core.paging.Paginator: Django's pages, one query fewer when the first page holds the list."""

import pytest
from django.core import paginator as django_paging
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.paging import Paginator, ShapedList
from notifications.models import Notification
from notifications.services import notify
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 3


def _people():
    return User.objects.order_by("pk")


@pytest.mark.parametrize(
    ("people", "queries", "pages"), [(0, 1, 1), (2, 1, 1), (3, 1, 1), (4, 2, 2)]
)
def test_the_first_page_counts_only_when_there_is_more(
    people, queries, pages, django_assert_num_queries
):
    made = [TraineeFactory().pk for _ in range(people)]
    with django_assert_num_queries(queries):
        page = Paginator(_people(), PER_PAGE).get_page(None)
        assert [p.pk for p in page] == made[:PER_PAGE]
        assert page.paginator.count == people
        assert page.paginator.num_pages == pages
        assert page.has_next() is (pages > 1)
        assert page.start_index() == (1 if people else 0)
        assert page.end_index() == min(people, PER_PAGE)


@pytest.mark.parametrize(
    "number",
    [None, "", "x", "1", 1, 1.0, "2", 2, "٢", "3", 0, -1, "9" * 30, 2.5, "1\x00", True],
)
@pytest.mark.parametrize("people", [0, 2, 7])
def test_every_page_number_gives_what_djangos_paginator_gives(number, people):
    for _ in range(people):
        TraineeFactory()
    ours = Paginator(_people(), PER_PAGE).get_page(number)
    django = django_paging.Paginator(_people(), PER_PAGE).get_page(number)
    assert ours.number == django.number
    assert list(ours) == list(django)
    assert ours.paginator.count == django.paginator.count
    assert ours.paginator.num_pages == django.paginator.num_pages


@pytest.mark.parametrize("people", [0, 2, 7])
@pytest.mark.parametrize("number", [1, 2, 3, 4, 0, "x"])
def test_page_raises_as_djangos(people, number):
    for _ in range(people):
        TraineeFactory()

    def outcome(kind, **options):
        try:
            return [p.pk for p in kind(_people(), PER_PAGE, **options).page(number)]
        except django_paging.InvalidPage as error:
            return type(error)

    for options in ({}, {"allow_empty_first_page": False}, {"orphans": 2}):
        assert outcome(Paginator, **options) == outcome(django_paging.Paginator, **options)


@pytest.mark.parametrize(("made", "counted"), [(2, False), (3, True)])
def test_the_api_lists_count_only_when_there_is_more_than_a_page(api_login, trainee, made, counted):
    for _ in range(made):
        notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    client = api_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/notifications/?page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == made and len(body["results"]) == 2
    assert (body["next"] is not None) is counted
    assert any("COUNT(" in q["sql"] for q in queries) is counted


def test_a_list_that_is_not_a_queryset_is_paged_as_django_does():
    class Pages:
        """A sequence whose slices are whole pages of its own size (as certificates' ByName)."""

        def __len__(self):
            return 5

        def __getitem__(self, part):
            start = part.start or 0
            return list(range(start, min(start + 2, 5)))

    page = Paginator(Pages(), 2).get_page(None)
    assert list(page) == [0, 1] and page.paginator.count == 5 and page.has_next()


def _roled(role, *, descending=False):
    return User.objects.filter(role=role).order_by("-pk" if descending else "pk")


@pytest.mark.parametrize("number", [None, "x", 1, "2", "٣", 3, 4, 0, -1, "9" * 30])
@pytest.mark.parametrize("people", [0, 2, 7])
def test_a_shaped_list_gives_what_djangos_paginator_gives(number, people):
    for _ in range(people):
        TraineeFactory()
    for descending in (False, True, False):
        shaped = ShapedList(_roled, User.Role.TRAINEE, descending=descending)
        ours = Paginator(shaped, PER_PAGE).get_page(number)
        expected = _roled(User.Role.TRAINEE, descending=descending)
        django = django_paging.Paginator(expected, PER_PAGE).get_page(number)
        assert ours.number == django.number
        assert [p.pk for p in ours] == [p.pk for p in django]
        assert ours.paginator.count == django.paginator.count
        assert ours.paginator.num_pages == django.paginator.num_pages
    # Another value, same stored SQL: the managers' list, not the trainees'.
    managers = Paginator(ShapedList(_roled, User.Role.MANAGER), PER_PAGE).get_page(number)
    assert list(managers) == []


@pytest.mark.parametrize(("people", "queries"), [(2, 1), (3, 1), (4, 2)])
def test_a_shaped_lists_first_page_counts_only_when_there_is_more(
    people, queries, django_assert_num_queries
):
    made = [TraineeFactory().pk for _ in range(people)]
    Paginator(ShapedList(_roled, User.Role.TRAINEE), PER_PAGE).get_page(1)  # compiled
    with django_assert_num_queries(queries):
        page = Paginator(ShapedList(_roled, User.Role.TRAINEE), PER_PAGE).get_page(1)
        assert [p.pk for p in page] == made[:PER_PAGE]
        assert page.paginator.count == people


@pytest.mark.parametrize("item", [0, slice(None, None, 2), slice(2, None), slice(-1, 3)])
def test_a_shaped_list_is_read_by_bounded_slices(item):
    with pytest.raises(TypeError):
        ShapedList(_roled, User.Role.TRAINEE)[item]


def _distinct_roles(role):
    return User.objects.filter(role=role).values("role").distinct().order_by("role")


def _per_role(role):
    return User.objects.filter(role=role).values("role").annotate(n=Count("pk")).order_by("role")


def _with_exists(role):
    mine = Notification.objects.filter(recipient=OuterRef("pk"))
    return User.objects.filter(role=role).annotate(told=Exists(mine)).order_by("pk")


@pytest.mark.parametrize("build", [_roled, _with_exists, _distinct_roles, _per_role])
@pytest.mark.parametrize("people", [0, 1, 5])
def test_a_shaped_lists_count_is_the_querysets(build, people):
    """Counted as stored SQL when the builder's rows are plain rows, by the ORM when they are
    grouped or distinct (where one row of the count would not be the rows' number)."""
    for n in range(people):
        person = TraineeFactory()
        if n % 2:
            notify(recipient=person, kind="accounts.role_changed", params={"role": "mentor"})
    for role in (User.Role.TRAINEE, User.Role.MANAGER, User.Role.TRAINEE):
        assert ShapedList(build, role).count() == build(role).count()


def test_a_plain_shaped_lists_count_is_one_stored_query(django_assert_num_queries):
    for _ in range(4):
        TraineeFactory()
    ShapedList(_roled, User.Role.TRAINEE).count()  # compiled
    with CaptureQueriesContext(connection) as captured:
        assert ShapedList(_roled, User.Role.TRAINEE).count() == 4
        assert ShapedList(_roled, User.Role.MANAGER).count() == 0
    assert len(captured) == 2
    assert all('COUNT(*) AS "n"' in q["sql"] for q in captured.captured_queries)

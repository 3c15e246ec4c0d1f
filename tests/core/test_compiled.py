"""Querysets compiled once and run with new values (core.compiled.Shape): the same rows as the
ORM for every kind of result, one query a run, the builder called only to compile, and builders
that do not follow the rules refused rather than answering with someone else's rows."""

import datetime
import zoneinfo

import pytest
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.compiled import Shape, ShapeError
from notifications.models import Notification
from tests.factories import ManagerFactory, TraineeFactory
from tests.model_values import column_values

pytestmark = pytest.mark.django_db


def _inbox(recipient_id, *, unread_only=False):
    rows = Notification.objects.filter(recipient_id=recipient_id)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("recipient").order_by("-id")


@pytest.fixture
def people():
    first, second = TraineeFactory(full_name="زينب"), TraineeFactory(full_name="علي")
    for person, count in ((first, 3), (second, 2)):
        for number in range(count):
            Notification.objects.create(recipient=person, kind=f"k{number}", url=f"/{number}/")
    Notification.objects.filter(recipient=first, kind="k0").update(read_at="2026-05-01T09:00Z")
    return first, second


@pytest.mark.parametrize("unread_only", [False, True])
def test_model_rows_are_the_orms_for_each_value(people, unread_only):
    shape = Shape(_inbox)
    for person in (*people, *people):
        expected = list(_inbox(person.pk, unread_only=unread_only))
        with CaptureQueriesContext(connection) as queries:
            rows = shape.list(person.pk, unread_only=unread_only)
        assert len(queries) == 1
        assert [column_values(row) for row in rows] == [column_values(row) for row in expected]
        # select_related: the recipient came with the row, no query to read it.
        with CaptureQueriesContext(connection) as queries:
            assert [column_values(row.recipient) for row in rows] == [
                column_values(row.recipient) for row in expected
            ]
        assert len(queries) == 0
        assert all(row._state.adding is False and row._state.db == "default" for row in rows)
    assert [len(shape.list(p.pk)) for p in people] == [3, 2]
    assert [len(shape.list(p.pk, unread_only=True)) for p in people] == [2, 2]


def test_annotations_values_and_flat_lists(people):
    first, second = people
    counted = Shape(
        lambda name: (
            User.objects.filter(full_name=name)
            .annotate(
                notes=Count("notifications"),
                unread=Exists(
                    Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
                ),
            )
            .values("id", "notes", "unread")
        )
    )
    assert counted.list("زينب") == [{"id": first.pk, "notes": 3, "unread": True}]
    assert counted.list("علي") == [{"id": second.pk, "notes": 2, "unread": True}]
    assert counted.list("nobody") == []
    kinds = Shape(
        lambda person_id: (
            Notification.objects.filter(recipient_id=person_id)
            .order_by("kind")
            .values_list("kind", flat=True)
        )
    )
    assert kinds.list(first.pk) == ["k0", "k1", "k2"]
    assert kinds.list(second.pk) == ["k0", "k1"]
    pairs = Shape(
        lambda person_id, kind: Notification.objects.filter(
            recipient_id=person_id, kind=kind
        ).values_list("recipient_id", "url")
    )
    assert pairs.list(second.pk, "k1") == [(second.pk, "/1/")]
    assert pairs.first(first.pk, "k9") is None


def test_the_builder_runs_only_to_compile(people):
    calls = []

    def build(person_id, *, unread_only=False):
        calls.append((person_id, unread_only))
        return _inbox(person_id, unread_only=unread_only)

    shape = Shape(build)
    for _ in range(3):
        for person in people:
            shape.list(person.pk)
    assert len(calls) == 2  # two probes, then the stored SQL
    shape.list(people[0].pk, unread_only=True)
    assert len(calls) == 4  # a new key compiles once more
    assert people[0].pk not in [person_id for person_id, _ in calls]


def test_a_value_used_other_than_as_given_is_refused(people):
    shifted = Shape(lambda person_id: Notification.objects.filter(recipient_id=person_id + 1))
    with pytest.raises(ShapeError):
        shifted.list(people[0].pk)
    contains = Shape(lambda text: User.objects.filter(full_name__icontains=text))
    with pytest.raises(ShapeError):
        contains.list("زي")


def test_a_value_that_changes_the_sql_is_refused(people):
    branching = Shape(
        lambda person_id: Notification.objects.filter(
            Q(recipient_id=person_id) if person_id % 2 else Q(kind="k0")
        )
    )
    with pytest.raises(ShapeError):
        branching.list(people[0].pk)
    sliced = Shape(lambda count: Notification.objects.order_by("id")[:count])
    with pytest.raises(ShapeError):
        sliced.list(2)


def test_dates_and_moments_are_values(people):
    first, _second = people
    Notification.objects.filter(recipient=first, kind="k1").update(
        created_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )
    before = Shape(
        lambda person_id, moment: Notification.objects.filter(
            recipient_id=person_id, created_at__lt=moment
        ).values_list("kind", flat=True)
    )
    on_day = Shape(
        lambda day: Notification.objects.filter(created_at__date=day).values_list("kind", flat=True)
    )
    baghdad = zoneinfo.ZoneInfo("Asia/Baghdad")
    for moment in (
        datetime.datetime(2026, 3, 1, 12, 0, 1, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 15, 0, 0, tzinfo=baghdad),  # the same instant, to the second
        datetime.datetime(2026, 3, 1, 11, 59, tzinfo=datetime.UTC),
    ):
        expected = list(
            Notification.objects.filter(recipient_id=first.pk, created_at__lt=moment).values_list(
                "kind", flat=True
            )
        )
        assert before.list(first.pk, moment) == expected
    assert before.list(first.pk, datetime.datetime(2026, 3, 1, 12, 0, 1, tzinfo=datetime.UTC)) == [
        "k1"
    ]
    assert on_day.list(datetime.date(2026, 3, 1)) == ["k1"]
    assert on_day.list(datetime.date(2026, 3, 2)) == []
    shifted = Shape(
        lambda moment: Notification.objects.filter(
            created_at__gte=moment - datetime.timedelta(days=30)
        )
    )
    with pytest.raises(ShapeError):
        shifted.list(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))


@pytest.mark.parametrize("value", [None, True, 1.5, [1, 2], ManagerFactory.build])
def test_values_are_ints_or_strings(value):
    shape = Shape(lambda person_id: Notification.objects.filter(recipient_id=person_id))
    with pytest.raises(TypeError):
        shape.list(value)


def test_prefetching_is_refused(people):
    shape = Shape(
        lambda person_id: User.objects.filter(pk=person_id).prefetch_related("notifications")
    )
    with pytest.raises(ShapeError):
        shape.list(people[0].pk)


def test_each_connection_compiles_its_own(people):
    shape = Shape(_inbox)
    shape.list(people[0].pk)
    wrapper = connections["default"]
    stored = wrapper.__dict__["_core_compiled_shapes"]
    assert any(key[0] is shape for key in stored)
    del wrapper.__dict__["_core_compiled_shapes"]
    assert len(shape.list(people[1].pk)) == 2  # compiled again on the "new" connection

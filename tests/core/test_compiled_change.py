"""core.compiled.Change: an UPDATE compiled once per connection changes the rows, and as many,
that `queryset.update()` changes for the same values, with moments and expressions; what it
cannot store as one statement (slices, order, several tables' updates) is refused."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce, Greatest
from django.test.utils import CaptureQueriesContext

from core.compiled import Change, ShapeError
from notifications.models import Notification
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def people():
    first, second = TraineeFactory(), TraineeFactory()
    for person, count in ((first, 3), (second, 2)):
        for number in range(count):
            Notification.objects.create(recipient=person, kind=f"k{number}", url=f"/{number}/")
    Notification.objects.filter(kind="k1").update(created_at=MARCH)
    return first, second


def _read(person_id, moment):
    rows = Notification.objects.filter(recipient_id=person_id, created_at__lt=moment)
    return rows, {"read_at": moment}


def _latest(person_id, moment):
    value = Value(moment, output_field=DateTimeField())
    rows = Notification.objects.filter(recipient_id=person_id)
    return rows, {"read_at": Greatest(Coalesce(F("read_at"), value), value)}


def _state():
    return sorted(Notification.objects.values_list("pk", "read_at"))


def _both(build, values):
    """Run the Change and the ORM's update on the same values from the same state: the counts
    and the rows after each must be equal."""
    change = Change(build)
    saved = _state()
    for value in values:
        rows, changes = build(*value)
        expected_count = rows.update(**changes)
        expected = _state()
        Notification.objects.bulk_update(
            [Notification(pk=pk, read_at=read_at) for pk, read_at in saved], ["read_at"]
        )
        with CaptureQueriesContext(connection) as queries:
            assert change.run(*value) == expected_count
        assert len(queries) == 1
        assert _state() == expected
        saved = expected


def test_rows_changed_are_the_orms(people):
    first, second = people
    baghdad = zoneinfo.ZoneInfo("Asia/Baghdad")
    _both(
        _read,
        [
            (first.pk, MARCH + datetime.timedelta(seconds=1)),
            (second.pk, datetime.datetime(2026, 3, 1, 15, tzinfo=baghdad)),  # MARCH: not before
            (first.pk, MARCH - datetime.timedelta(days=1)),
            (second.pk, datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)),
            (0, MARCH),
        ],
    )


def test_expressions_of_the_values(people):
    first, second = people
    later = MARCH + datetime.timedelta(days=2)
    _both(_latest, [(first.pk, later), (first.pk, MARCH), (second.pk, MARCH), (first.pk, later)])
    assert set(Notification.objects.filter(recipient=first).values_list("read_at", flat=True)) == {
        later
    }


def test_the_builder_runs_only_to_compile(people):
    calls = []

    def build(person_id, moment):
        calls.append(person_id)
        return _read(person_id, moment)

    change = Change(build)
    for person in (*people, *people):
        change.run(person.pk, MARCH)
    assert len(calls) == 2  # the two probes


def test_what_is_not_one_statement_is_refused(people):
    sliced = Change(lambda pk: (Notification.objects.filter(pk=pk)[:1], {"kind": "x"}))
    ordered = Change(lambda pk: (Notification.objects.filter(pk=pk).order_by("id"), {"kind": "x"}))
    for change in (sliced, ordered):
        with pytest.raises(ShapeError):
            change.run(people[0].pk)
    with pytest.raises(TypeError):
        Change(_read).list(people[0].pk, MARCH)
    assert not Notification.objects.filter(kind="x").exists()

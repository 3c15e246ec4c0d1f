"""SQL composed once per connection and key, run with new values (core.compiled.Stored): the
same rows as composing afresh for every value and time, the composer called only on the first use
of a key, and composers whose SQL does not follow the values refused (composed every time)."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.compiled import ShapeError, Stored
from notifications.models import Notification
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


@dataclass
class Query:
    sql: str
    params: tuple


def _recent(moment, person_id, *, kind="k"):
    """The ids of a person's notifications of `kind` made in the 14 days before `moment`."""
    rows = (
        Notification.objects.filter(
            recipient_id=person_id,
            kind=kind,
            created_at__gte=moment - datetime.timedelta(days=14),
            created_at__lte=moment,
        )
        .order_by("pk")
        .values_list("pk")
    )
    return Query(*rows.query.sql_with_params())


def _run(query: Query, params) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(query.sql, params)
        return [row[0] for row in cursor.fetchall()]


class Counted:
    def __init__(self, compose):
        self.compose, self.calls = compose, 0

    def __call__(self, *values):
        self.calls += 1
        return self.compose(*values)


@pytest.fixture
def notes():
    """Two people's notifications, one a day for 30 days before NOW."""
    people = TraineeFactory(), TraineeFactory()
    made = {person.pk: [] for person in people}
    for person in people:
        for day in range(30):
            note = Notification.objects.create(recipient=person, kind="k", url="/")
            moment = NOW - datetime.timedelta(days=day, hours=1)
            Notification.objects.filter(pk=note.pk).update(created_at=moment)
            made[person.pk].append((moment, note.pk))
    return people, made


def _expected(made, person_id, moment) -> list[int]:
    since = moment - datetime.timedelta(days=14)
    return sorted(pk for when, pk in made[person_id] if since <= when <= moment)


@override_settings(STORED_SQL_CHECK=False)
def test_rows_follow_the_values_and_the_time_composed_once(notes):
    people, made = notes
    stored, compose = Stored(), Counted(_recent)
    moments = [NOW, NOW - datetime.timedelta(days=3, minutes=7), NOW + datetime.timedelta(days=9)]
    for moment in moments:
        for person in people:
            query, params = stored.get(("recent", "k"), compose, moment, person.pk)
            assert _run(query, params) == _expected(made, person.pk, moment)
            assert _run(query, params) == _run(*((q := _recent(moment, person.pk)), q.params))
    # Twice for the first use (with the values and with others, to find them), never again.
    assert compose.calls == 2
    assert len({len(_expected(made, people[0].pk, moment)) for moment in moments}) > 1


@override_settings(STORED_SQL_CHECK=False)
def test_each_key_is_composed_apart(notes):
    people, made = notes
    stored = Stored()
    compose_k = Counted(_recent)
    compose_other = Counted(lambda moment, person_id: _recent(moment, person_id, kind="other"))
    query, params = stored.get("k", compose_k, NOW, people[0].pk)
    assert _run(query, params) == _expected(made, people[0].pk, NOW)
    query, params = stored.get("other", compose_other, NOW, people[0].pk)
    assert _run(query, params) == []
    assert (compose_k.calls, compose_other.calls) == (2, 2)


@override_settings(STORED_SQL_CHECK=False)
def test_oldest_key_is_let_go_past_the_size(notes):
    people, _made = notes
    stored, compose = Stored(maxsize=2), Counted(_recent)
    for key in ("a", "b", "c", "a"):
        stored.get(key, compose, NOW, people[0].pk)
    assert compose.calls == 8  # "a" composed again after "c" pushed it out


def _transformed(moment, person_id):
    """A value that reaches the SQL changed (the next person's id): not a value as given."""
    return _recent(moment, person_id + 1)


def _branching(moment, person_id):
    """SQL that changes with a value."""
    return _recent(moment, person_id, kind="k" if person_id % 2 else "x")


def _date_of(moment, person_id):
    """A date worked out from the time (not a date-time as the value gives it)."""
    rows = Notification.objects.filter(
        recipient_id=person_id, created_at__date__gte=moment.date() - datetime.timedelta(days=2)
    ).values_list("pk")
    return Query(*rows.query.sql_with_params())


@override_settings(STORED_SQL_CHECK=False)
def test_sql_that_does_not_follow_the_values_is_composed_every_time(notes):
    people, _made = notes
    compose = _transformed
    stored, counted = Stored(), Counted(compose)
    for person in (*people, *people):
        query, params = stored.get("key", counted, NOW, person.pk)
        fresh = compose(NOW, person.pk)
        assert (query.sql, params) == (fresh.sql, tuple(fresh.params))
    assert counted.calls == 8  # twice each time: nothing was stored


@override_settings(STORED_SQL_CHECK=False)
def test_a_date_from_the_time_is_the_keys_business(notes):
    """The date the SQL holds stays as the first use worked it out: the key names the day."""
    people, _made = notes
    stored, counted = Stored(), Counted(_date_of)
    stored.get(("day", NOW.date()), counted, NOW, people[0].pk)
    query, params = stored.get(("day", NOW.date()), counted, NOW + datetime.timedelta(hours=1), 7)
    assert counted.calls == 2
    fresh = _date_of(NOW + datetime.timedelta(hours=1), 7)
    assert (query.sql, params) == (fresh.sql, tuple(fresh.params))


@override_settings(STORED_SQL_CHECK=True)
def test_the_check_finds_sql_that_branches_on_a_value(notes):
    """What the two compositions cannot see (the SQL of the values given and of the others
    happen to agree) the test suite's check does, on the first value that branches."""
    odd, even = sorted(notes[0], key=lambda person: person.pk % 2 == 0)
    stored = Stored()
    stored.get("key", _branching, NOW, odd.pk)  # the other values are odd too: stored
    with pytest.raises(ShapeError):
        stored.get("key", _branching, NOW, even.pk)


@override_settings(STORED_SQL_CHECK=True)
def test_the_check_finds_a_key_that_misses_something(notes):
    people, _made = notes
    stored = Stored()
    kinds = iter(["k", "k", "k", "other"])  # the first use composes twice

    def compose(moment, person_id):
        return _recent(moment, person_id, kind=next(kinds))

    stored.get("same key", compose, NOW, people[0].pk)
    stored.get("same key", compose, NOW, people[0].pk)  # composed afresh: equal
    with pytest.raises(ShapeError):
        stored.get("same key", compose, NOW, people[0].pk)


def test_values_are_ints_strings_or_date_times(notes):
    with pytest.raises(TypeError):
        Stored().get("key", _recent, NOW, None)
    with pytest.raises(TypeError):
        Stored().get("key", _recent, timezone.now(), True)

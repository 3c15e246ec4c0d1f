"""Querysets built and compiled once, then run with new values: `Shape`.

Building a queryset (filters, annotations, subqueries) and compiling it to SQL is, on most of
our pages, more work than PostgreSQL's answer: the same few queries are put together from
scratch on every request, only to come out as the same SQL text with other ids in it. A `Shape`
builds its queryset once per database connection and *shape* (keyword arguments that change the
SQL itself, such as a role), compiles it, and afterwards runs the stored SQL with the request's
values, turning the rows into models (or dicts, tuples) exactly as the ORM does, with the
compiler of that first build.

    _MY_COURSES = Shape(lambda user_id, *, manager: Course.objects.for_person(user_id, manager))
    courses = _MY_COURSES.list(user.pk, manager=user.can_manage())

Rules for a builder (checked where they can be, else a test of each shape shows them):

- Positional arguments are *values* (ints, strings, dates or date-times; never None or
  booleans) that may only reach the SQL as parameters of lookups (`filter(user_id=user_id)`),
  as written (a date or date-time as the backend stores it for its column: "now" is a value). Anything
  else that changes the SQL (a role, a language, a list's length, an `if`) is a keyword
  argument, part of the key.
- Nothing else may change its SQL either: no clock, no setting, no translation read inside
  (pass them as keyword arguments).
- No `prefetch_related` (it runs after the rows are read; use its own shape).

How a value is found in the SQL: the builder runs twice with two sets of unlikely values, both
are compiled, and the SQL must be the same text; each parameter that differs must be one of the
values, as given. Anything else (a value transformed, the SQL changing with a value) raises
`ShapeError`, so a builder that does not follow the rules fails in its first test rather than
giving someone else's rows."""

from __future__ import annotations

import copy
import datetime
import itertools
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import QuerySet, sql
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE

_ATTRIBUTE = "_core_compiled_shapes"
_INT_A, _INT_B = 1_900_000_011, 1_400_000_256  # odd and even, apart


class ShapeError(ValueError):
    """A builder whose SQL does not depend on its values the way a shape needs."""


def _sentinels(values: tuple, base: int) -> tuple:
    out = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | str | datetime.date):
            raise TypeError(
                f"A shape's values are ints, strings, dates or date-times; argument {index} is "
                f"{type(value).__name__}."
            )
        if isinstance(value, int):
            out.append(base + index)
        elif isinstance(value, str):
            out.append(f"\ue000{base}:{index}\ue001")
        elif isinstance(value, datetime.datetime):  # same awareness and zone as the value
            moment = datetime.datetime(2000, 1, 1, tzinfo=value.tzinfo)
            out.append(moment + datetime.timedelta(days=base % 20_000, seconds=index))
        else:
            out.append(datetime.date(2000, 1, 1) + datetime.timedelta(days=base % 20_000 + index))
    return tuple(out)


def _adapters(connection) -> tuple:
    """How a value may reach the parameters: as given, or as the backend adapts a date or a
    date-time for its column (SQLite: text in UTC)."""
    ops = connection.ops
    return (
        None,
        lambda value: (
            ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.datetime)
            else ops.adapt_datefield_value(value)
            if isinstance(value, datetime.date)
            else value
        ),
    )


class _ReplayQuery:
    """The built query, answering `get_compiler` with the compiler that replays the SQL."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class _Compiled:
    def __init__(self, queryset: QuerySet, compiler, sql: str, params: tuple, slots: tuple):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots  # see _slots

    def run(self, values: tuple) -> list:
        sql, bound = self.sql, _bind(self.params, self.slots, values)
        compiler = copy.copy(self.compiler)
        compiler.as_sql = lambda *args, **kwargs: (sql, bound)
        queryset = self.queryset
        replay = QuerySet.__new__(type(queryset))
        replay.__dict__.update(queryset.__dict__)
        replay._query = _ReplayQuery(queryset.query, compiler)
        return list(
            queryset._iterable_class(
                replay, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE
            )
        )


def _compile(queryset: QuerySet, connection):
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        # e.g. a value out of the range of a small integer column: the ORM would answer "no
        # rows" without asking, for the probe's values only.
        raise ShapeError("The query has no SQL for the probe's values.") from None
    return compiler, sql, tuple(params)


def _slots(sql_a, params_a, sql_b, params_b, values_a, values_b, ways) -> tuple:
    """(position in params, position in values, way or None) of every parameter that depends
    on the values, from the SQL of two builds with two sets of values. `ways(param, value)`
    lists how a parameter may follow a value: None as given, or a function of the value (the
    backend's adapter, a shift); it follows when that gives the parameter of both builds."""
    if sql_a != sql_b or len(params_a) != len(params_b):
        raise ShapeError("The SQL changes with the values: make what changes it part of the key.")
    slots = []
    for position, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if type(a) is type(b) and a == b:
            continue
        matches = []
        for index, (value_a, value_b) in enumerate(zip(values_a, values_b, strict=True)):
            for way in ways(a, value_a):
                given_a = value_a if way is None else way(value_a)
                given_b = value_b if way is None else way(value_b)
                if type(a) is type(given_a) and a == given_a and b == given_b:
                    matches.append((position, index, way))
                    break
        if len(matches) != 1:
            raise ShapeError(f"Parameter {position} depends on a value but is not one as given.")
        slots.append(matches[0])
    return tuple(slots)


def _bind(params: tuple, slots: tuple, values: tuple) -> tuple:
    """The parameters of stored SQL for these values (see _slots)."""
    bound = list(params)
    for position, index, way in slots:
        bound[position] = values[index] if way is None else way(values[index])
    return tuple(bound)


class Shape:
    """A queryset builder whose SQL is built and compiled once per connection and key."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._alias: str | None = None  # the database its queryset reads, known once built

    def _compiled(self, values: tuple, key: dict[str, Hashable]):
        entry_key = (self, tuple(sorted(key.items())))
        if self._alias is not None:
            shapes = connections[self._alias].__dict__.get(_ATTRIBUTE)
            compiled = shapes.get(entry_key) if shapes else None
            if compiled is not None:
                return compiled
        values_a, values_b = _sentinels(values, _INT_A), _sentinels(values, _INT_B)
        probe = self._probe(self.build(*values_a, **key))
        other = self._probe(self.build(*values_b, **key))
        self._alias = probe.db
        connection = connections[self._alias]
        compiler, sql_a, params_a = _compile(probe, connection)
        _compiler_b, sql_b, params_b = _compile(other, connection)
        adapters = _adapters(connection)
        slots = _slots(
            sql_a, params_a, sql_b, params_b, values_a, values_b, lambda param, value: adapters
        )
        compiled = self._stored(probe, compiler, sql_a, params_a, slots)
        connection.__dict__.setdefault(_ATTRIBUTE, {})[entry_key] = compiled
        return compiled

    def _probe(self, queryset: QuerySet) -> QuerySet:
        """What is compiled of a build (a queryset whose query compiles to the SQL run)."""
        if queryset._prefetch_related_lookups:
            raise ShapeError("A shape cannot prefetch: give the related rows a shape of their own.")
        return queryset

    _stored = _Compiled

    def list(self, *values: Any, **key: Hashable) -> list:
        """The rows of the builder's queryset for these values, as `list(queryset)` gives."""
        return self._compiled(values, key).run(values)

    def first(self, *values: Any, **key: Hashable):
        """The first row or None (the builder orders and slices, e.g. `[:1]`)."""
        rows = self.list(*values, **key)
        return rows[0] if rows else None


class _UpdateProbe:
    """An UPDATE as QuerySet.update() builds it, for Shape's compiling (`db`, `query`)."""

    def __init__(self, queryset: QuerySet, changes: dict):
        if queryset.query.is_sliced or queryset.query.combinator:
            raise ShapeError("An update cannot be sliced or combined.")
        self.db = queryset._db or router.db_for_write(queryset.model, **queryset._hints)
        query = queryset.query.chain(sql.UpdateQuery)
        query.add_update_values(changes)
        if query.order_by or query.related_updates:
            raise ShapeError("An update of a shape is unordered and of one table.")
        query.clear_select_clause()
        self.query = query
        if (
            query.count_active_tables() > 1
            and not connections[self.db].features.update_can_self_select
        ):
            # The backend reads the rows first (a query of its own): not one stored statement.
            raise ShapeError("This database cannot update from a query of the same table.")


class _StoredUpdate:
    def __init__(self, probe, compiler, sql: str, params: tuple, slots: tuple):
        self.alias, self.sql, self.params, self.slots = probe.db, sql, params, slots

    def run(self, values: tuple) -> int:
        with (
            transaction.mark_for_rollback_on_error(using=self.alias),
            connections[self.alias].cursor() as cursor,
        ):
            cursor.execute(self.sql, _bind(self.params, self.slots, values))
            return cursor.rowcount


class Change(Shape):
    """An UPDATE built and compiled once per connection and key, as a Shape's query is: the
    builder returns `(queryset, {field: value or expression})` under the same rules, and
    `run(*values)` executes the stored SQL, returning the number of rows changed, as
    `queryset.update(**changes)` does (no signals, no save()). Unordered, of one table."""

    def _probe(self, built) -> _UpdateProbe:
        queryset, changes = built
        return _UpdateProbe(queryset, changes)

    _stored = _StoredUpdate

    def run(self, *values: Any, **key: Hashable) -> int:
        return self._compiled(values, key).run(values)

    def list(self, *values, **key):
        raise TypeError("A Change is run, not listed.")

    first = list


def attach_related(obj, name: str, rows: list, *, back: str | None = None) -> None:
    """Give `obj` the rows of its relation `name` as `prefetch_related(name)` leaves them, for
    rows read by a shape (which cannot prefetch): `getattr(obj, name).all()` answers from them
    without a query, and each row holds `obj` as its `back` relation."""
    if back:
        for row in rows:
            setattr(row, back, obj)
    related = getattr(obj, name).get_queryset()  # not evaluated: the manager's own queryset
    related._result_cache = rows
    related._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


_STORES = itertools.count()  # each Stored its own attribute of the connection


class Stored:
    """SQL that a function composes (an object with `sql` and `params`, e.g. a query built from
    querysets and compiled by hand), stored per database connection and *key* and run
    afterwards with new values, when composing it costs more than the database's answer.

        PAGE = Stored()
        composed, params = PAGE.get(key, build, now, user_id)

    `key` must hold everything that changes the SQL text or a parameter other than the values
    (the caller lists it: ids, lists, a date the SQL is worked out for). The values (positional)
    may reach the parameters as given (ints, strings), and a date-time also shifted by a
    constant (`now - 14 days`), as the backend adapts it. On the first call for a key the
    function runs twice, with the values given and with others (a date-time a second later,
    other ints and strings); both SQL texts must be equal and every parameter that differs must
    be one of the values, or a date-time value shifted by the same constant in both. Otherwise
    nothing is stored and the function runs on every call (correct, not faster). With the
    setting STORED_SQL_CHECK (the test suite's) every later call composes afresh too and the
    stored SQL must equal it, so that a key missing something fails a test."""

    def __init__(self, maxsize: int = 64):
        self.maxsize = maxsize
        self._attribute = f"_core_stored_{next(_STORES)}"

    def _entries(self, alias: str) -> dict:
        return connections[alias].__dict__.setdefault(self._attribute, {})

    def get(self, key: Hashable, build: Callable[..., Any], *values: Any, using: str = "default"):
        """(the composed object, its parameters for these values)."""
        entries = self._entries(using)
        stored = entries.get(key)
        if stored is not None:
            composed, slots = stored
            params = _bind(tuple(composed.params), slots, values)
            if getattr(settings, "STORED_SQL_CHECK", False):
                fresh = build(*values)
                if fresh.sql != composed.sql or tuple(fresh.params) != params:
                    raise ShapeError(
                        "Stored SQL differs from the SQL composed afresh: the key misses something."
                    )
            return composed, params
        composed = build(*values)
        other_values = _others(values)
        other = build(*other_values)
        connection = connections[using]
        try:
            slots = _slots(
                composed.sql,
                tuple(composed.params),
                other.sql,
                tuple(other.params),
                values,
                other_values,
                lambda param, value: _shifts(param, value, connection),
            )
        except ShapeError:
            return composed, tuple(composed.params)
        if len(entries) >= self.maxsize:
            entries.pop(next(iter(entries)))  # the oldest
        entries[key] = (composed, slots)
        return composed, tuple(composed.params)


def _others(values: tuple) -> tuple:
    out = []
    for index, value in enumerate(values):
        if isinstance(value, datetime.datetime):
            out.append(value + datetime.timedelta(seconds=1))
        elif isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(
                f"A stored query's values are ints, strings or date-times; argument {index} is "
                f"{type(value).__name__}."
            )
        elif isinstance(value, int):
            out.append(_INT_B + index)
        else:
            out.append(f"\ue000{_INT_B}:{index}\ue001")
    return tuple(out)


def _moment(param, connection) -> datetime.datetime | None:
    """A parameter as a date-time, when it is one (SQLite's are text in UTC)."""
    if isinstance(param, datetime.datetime):
        return param
    if isinstance(param, str) and connection.vendor == "sqlite":
        try:
            moment = datetime.datetime.fromisoformat(param)
        except ValueError:
            return None
        return moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment
    return None


def _shifts(param, value, connection) -> tuple:
    """How a parameter may follow a value of a stored query (see _slots): as given, or for a
    date-time value, shifted by the constant that takes it to the parameter and adapted as the
    backend does."""
    if not isinstance(value, datetime.datetime):
        return (None,)
    moment = _moment(param, connection)
    if moment is None:
        return ()
    shift = moment - value
    adapt = connection.ops.adapt_datetimefield_value
    return (lambda given: adapt(given + shift),)

"""The cohort dashboard's figures as the database works them out (cohorts.dashboard): every
trainee's completion, attendance, last activity, overdue work, flags and the higher apps'
at-risk reasons as expressions over their tally row, written into the query with the time of
the request; the sort, the page and the whole selection's figures in one query. Python then
builds the rows of the page shown only (decision 002, "The page"). Both the page query and that
of the marks the counters cannot answer alone (marks()) are composed once per connection and
what they are built from (core.compiled.Stored), and run with the time of the request and the
trainee's id."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Greatest, Lower, NullIf
from django.db.models.lookups import GreaterThan, LessThan

from core.compiled import Stored

from . import dashboard_extensions as ext
from . import shapes
from .models import Attendance

INACTIVE_AFTER = datetime.timedelta(days=14)
# Before anyone's last activity: the sort key of those without any.
NEVER = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
BUCKETS = ((0, 24), (25, 49), (50, 74), (75, 99), (100, 100))
# The marks a trainee's figures count: attended (present, late) and excused.
COUNTED = ("present", "late", "excused")


class _JsonInt(Func):
    """The whole number stored under `key` of a JSON object column, or NULL. Django's key
    transforms read a key that looks like a number as an array index, hence this."""

    output_field = IntegerField()

    def __init__(self, column: str, key):
        super().__init__(F(column))
        self.key = str(key)

    def as_sql(self, compiler, connection, **extra):  # SQLite
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"CAST(JSON_EXTRACT({sql}, %s) AS INTEGER)", (*params, f'$."{self.key}"')

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"(({sql}) ->> %s::text)::integer", (*params, self.key)


class _JsonHas(Func):
    """Whether a JSON list column holds `value` (false for NULL)."""

    output_field = BooleanField()

    def __init__(self, column: str, value: int):
        super().__init__(F(column))
        self.value = int(value)

    def as_sql(self, compiler, connection, **extra):  # SQLite
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return (
            # The SQL is the compiled column; the value is a parameter.
            f"EXISTS (SELECT 1 FROM JSON_EACH({sql}) AS held WHERE held.value = %s)",  # noqa: S608
            (*params, self.value),
        )

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"COALESCE(({sql}) @> %s::jsonb, false)", (*params, f"[{self.value}]")


def course_percent(course_id: int):
    """The trainee's % of a course as their tally holds it (0 without a snapshot)."""
    return Coalesce(_JsonInt("tally__course_percents", course_id), Value(0))


def one_if(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _per_person(counts: dict[int, int]):
    """{user id: n} as an expression over the trainee's row (0 for anyone else)."""
    if not counts:
        return Value(0)
    by_n = defaultdict(list)
    for user_id, n in counts.items():
        by_n[n].append(user_id)
    return Case(
        *(When(user_id__in=sorted(ids), then=Value(n)) for n, ids in sorted(by_n.items())),
        default=Value(0),
        output_field=IntegerField(),
    )


def _condition(reason, cohort, now, trainee_id):
    if trainee_id is not None and reason.condition_of_one is not None:
        return reason.condition_of_one(cohort, now, trainee_id)
    return reason.condition(cohort, now)


def _tally(cohort, *, through_person: bool) -> FilteredRelation:
    """The trainee's tally in this cohort: joined through their person row, whose columns the
    dashboard reads too, or through the cohort (one row), for figures that read nothing of the
    person (a join of every trainee's person row costs a hash of every account)."""
    if through_person:
        return FilteredRelation(
            "user__attendance_tallies", condition=Q(user__attendance_tallies__cohort=cohort)
        )
    return FilteredRelation(
        "cohort__attendance_tallies", condition=Q(cohort__attendance_tallies__user=F("user"))
    )


def tally_figures(cohort, trainees, plan, held, early, *, through_person=False):
    """The trainees listed, each with the figures read off their tally in this cohort alone, as
    annotations: d_completion, d_attended, d_counted, d_attendance (None when no session counts)
    and d_overdue; the counters and the expected sessions (d_<status>, d_expected) they come
    from. Nothing of the person or of the time of the request (figures() adds those)."""
    zero = Value(0)
    figures = trainees.annotate(tally=_tally(cohort, through_person=through_person))
    # Marks at held sessions: the counters less those of sessions not held yet.
    marks = {
        f"d_{status}": Coalesce(F(f"tally__{status}"), zero) - _per_person(early.get(status, {}))
        for status in COUNTED
    }
    # Only sessions held since the trainee joined are expected (a place filled from the waitlist
    # mid-way does not start with absences): the held sessions starting at or after joining.
    starts = [s["starts_at"] for s in held]
    expected = Case(
        *(
            When(joined_at__lte=start, then=Value(len(starts) - i))
            for i, start in enumerate(starts)
        ),
        default=zero,
        output_field=IntegerField(),
    )

    percent = course_percent
    measured = plan.measured_ids
    completion = (
        ExpressionWrapper(
            sum((percent(c) for c in measured[1:]), percent(measured[0])) / Value(len(measured)),
            output_field=IntegerField(),
        )
        if measured
        else zero
    )
    # Courses past their due date and not complete; assignments past their deadline and not
    # handed in.
    overdue = [one_if(LessThan(percent(c), 100)) for c in plan.late_ids] + [
        one_if(~_JsonHas("tally__handed_in", lesson_id)) for lesson_id in plan.overdue_assignments
    ]
    figures = figures.annotate(
        **marks,
        d_expected=expected,
        d_completion=completion,
        d_overdue=sum(overdue[1:], overdue[0]) if overdue else zero,
    ).annotate(d_attended=F("d_present") + F("d_late"))
    # An excused session is not counted; an unmarked one counts as absent.
    return figures.annotate(
        d_counted=Greatest(F("d_expected") - F("d_excused"), F("d_attended")),
    ).annotate(
        d_attendance=Case(
            When(d_counted__lte=0, then=Value(None)),
            default=F("d_attended") * 100 / F("d_counted"),
            output_field=IntegerField(),
        ),
    )


def name_key(person: str = "user__"):
    """The sort key of a person's name (`person`: the path to them): the name, else the e-mail
    address, lower case, in the order of the letters' numbers (as in Python) on every database;
    never NULL."""
    key = Lower(
        Coalesce(
            NullIf(F(f"{person}full_name"), Value("")),
            F(f"{person}email"),
            output_field=CharField(),
        )
    )
    if connection.vendor == "postgresql":
        key = Collate(key, "C")
    return key


def figures(cohort, trainees, plan, held, early, registered, now, trainee_id=None):
    """The trainees listed, each with their figures worked out by the database from their tally
    in this cohort (one row per trainee, no other table but the person's and the reasons'
    subqueries), as annotations: those of tally_figures(), d_last_activity, flag_<code> (1 or
    0) and d_risk (their sum); `trainee_id`: the one trainee listed, when the list is narrowed
    to one. Nothing is read yet: the summary, the page and the exports each read what they
    need."""
    zero = Value(0)
    figures = tally_figures(cohort, trainees, plan, held, early, through_person=True)
    moments = ("user__last_login", "tally__last_attended_at", "tally__course_activity_at")
    figures = figures.annotate(
        # The latest of the three; Greatest on SQLite is NULL when any part is.
        d_last_activity=Greatest(
            *(Coalesce(*moments[i:], *moments[:i]) for i in range(len(moments))),
            output_field=DateTimeField(),
        ),
    ).annotate(d_since=Coalesce(F("d_last_activity"), F("joined_at")))
    flags = {
        "flag_attendance": one_if(LessThan(F("d_attendance"), cohort.min_attendance_percent)),
        "flag_inactive": one_if(LessThan(F("d_since"), now - INACTIVE_AFTER)),
        "flag_overdue": one_if(GreaterThan(F("d_overdue"), 0)),
        **{
            f"flag_{reason.key}": one_if(_condition(reason, cohort, now, trainee_id))
            for reason in registered
        },
    }
    figures = figures.annotate(**flags)
    # The sort keys: none is NULL, so that every database orders them alike.
    return figures.annotate(
        d_risk=sum((F(flag) for flag in flags), zero),
        d_name=name_key(),
        d_attendance_key=Coalesce(F("d_attendance"), Value(-1)),
        d_activity_key=Coalesce(F("d_last_activity"), Value(NEVER)),
    )


def flag_condition(flag: str) -> Q:
    """The rows `flag` selects: "at_risk" (any flag) or one flag's code."""
    if flag == "at_risk":
        return Q(d_risk__gt=0)
    if flag in ext.FLAG_LABELS:
        return Q(**{f"flag_{flag}": 1})
    return Q(pk__isnull=True)  # nothing


# What a row shows but no figure, sort or filter reads: read for the page's rows only, from the
# person's row and their tally, rather than carried through the whole selection's sort and
# aggregates ({name in the figures: name from the person}).
SHOWN_ONLY = {
    "user__full_name": "full_name",
    "user__full_name_latin": "full_name_latin",
    "user__email": "email",
    "user__governorate": "governorate",
    "tally__course_percents": "tally__course_percents",
}


@dataclass
class Composed:
    """The page query of compose(): its SQL with the figures' parameters before the page's
    limit and offset (`split`) and the details' after, and what reads its rows."""

    sql: str
    params: tuple
    split: int
    columns: list
    compiler: object
    details_compiler: object
    shown: list
    aggregates: list


def compose(
    cohort, selected, keys: list[str], registered, names: list[str], *, sums: list[str] = ()
) -> Composed:
    """The query of page(): the rows of a page in the order of `keys`, each with the figures of
    `names`, and the figures above the table as aggregates over every row selected. The
    trainees' figures are worked out once per row in a materialized common table expression,
    which the sort and the aggregates (worked out once, also materialized, and joined to each of
    the page's rows) both read; the attendance flag is read off the attendance % there (as
    flag_attendance in figures() does), not worked out twice. The columns only shown
    (SHOWN_ONLY) are read for the page's rows alone, joined by person after the sort, so that
    the rows the sort and the aggregates go through stay narrow (at 5,000 trainees this and the
    aggregates read once, instead of as window aggregates over every row, took the query from
    about 14 to 10 ms). `sums` names figures among `names` whose total over every row selected
    the summary carries as sum_<name>."""
    codes = ["inactive", "overdue", *(reason.key for reason in registered)]
    shown = [name for name in names if name in SHOWN_ONLY]
    inner = selected.order_by().values(
        *dict.fromkeys(
            [
                *(name for name in names if name != "flag_attendance" and name not in shown),
                "user_id",
                "d_completion",
                "d_attendance",
                "d_last_activity",
                "d_name",
                *(f"flag_{code}" for code in codes),
            ]
        )
    )
    query = inner.query
    # The subquery's columns in the order they are selected (as the ORM's values() reads them).
    columns = list(query.selected or [])
    compiler = query.get_compiler(using=inner.db)
    sql, params = compiler.as_sql()
    # The shown-only columns of the page's trainees, joined to its rows by person.
    person = selected.model._meta.get_field("user").related_model
    details = (
        person._default_manager.annotate(
            tally=FilteredRelation(
                "attendance_tallies", condition=Q(attendance_tallies__cohort=cohort)
            )
        )
        .order_by()
        .values("pk", *(SHOWN_ONLY[name] for name in shown))
    )
    details_compiler = details.query.get_compiler(using=details.db)
    details_sql, details_params = details_compiler.as_sql()
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    required = int(cohort.min_attendance_percent)
    codes = ["attendance", *codes]

    def flags_of(table: str) -> list[str]:
        return [
            f"(CASE WHEN {table}.d_attendance < {required} THEN 1 ELSE 0 END)",
            *(f"{table}.{quote(f'flag_{code}')}" for code in codes[1:]),
        ]

    def sql_keys(table: str) -> dict[str, list[str]]:
        """The sort keys of sort_keys() over the subquery's columns (the risk is the flags'
        sum)."""
        return {
            "d_risk": [f"({' + '.join(flags_of(table))})"],
            "d_completion": [f"{table}.d_completion"],
            "d_attendance_key": [f"COALESCE({table}.d_attendance, -1)"],
            # No activity first, as the earliest.
            "d_activity_key": [
                f"({table}.d_last_activity IS NOT NULL)",
                f"{table}.d_last_activity",
            ],
            "d_name": [f'{table}.d_name COLLATE "C"' if postgres else f"{table}.d_name"],
            "user_id": [f"{table}.user_id"],
        }

    def order_by(table: str) -> str:
        found = sql_keys(table)
        return ", ".join(
            f"{column} {'DESC' if key.startswith('-') else 'ASC'}"
            for key in keys
            for column in found[key.lstrip("-")]
        )

    def count_if(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    flags = flags_of("f")
    aggregates = {
        "count": "COUNT(*)",
        "at_risk": count_if(f"{sql_keys('f')['d_risk'][0]} > 0"),
        "completion_sum": "SUM(f.d_completion)",
        "attendance_sum": "SUM(f.d_attendance)",
        "attendance_n": "COUNT(f.d_attendance)",
        **{
            f"bucket_{low}": count_if(f"f.d_completion BETWEEN {low} AND {high}")
            for low, high in BUCKETS
        },
        **{f"n_{code}": count_if(f"{flag} = 1") for code, flag in zip(codes, flags, strict=True)},
        **{f"sum_{name}": f"SUM(f.{quote(name)})" for name in sums},
    }
    summary_sql = ", ".join(
        f"{expression} AS {quote(f'summary_{key}')}" for key, expression in aggregates.items()
    )
    query_sql = (
        # No user text: the figures' SQL, quoted names and numbers.
        f"WITH f AS MATERIALIZED ({sql}), "  # noqa: S608
        f"s AS MATERIALIZED (SELECT {summary_sql} FROM f) "
        f"SELECT p.*, d.*, s.* FROM ("
        f"SELECT f.*, {flags[0]} AS {quote('flag_attendance')} FROM f "
        f"ORDER BY {order_by('f')} LIMIT %s OFFSET %s) p "
        f"INNER JOIN ({details_sql}) d ON d.{quote('pk')} = p.user_id "
        f"CROSS JOIN s "
        f"ORDER BY {order_by('p')}"
    )
    return Composed(
        sql=query_sql,
        params=(*params, *details_params),
        split=len(params),
        columns=columns,
        compiler=compiler,
        details_compiler=details_compiler,
        shown=shown,
        aggregates=list(aggregates),
    )


def page(
    composed: Composed, params: tuple, start: int, size: int | None
) -> tuple[list[dict], dict]:
    """One query: the rows of a page of compose()'s query (`size` from `start`; None: every
    row) with its parameters, and the summary. The rows' values go through the fields' own
    converters, as the ORM's would."""
    # Every row: no limit (-1 is SQLite's, which has no LIMIT ALL).
    limit = size if size is not None else (None if connection.vendor == "postgresql" else -1)
    split = composed.split
    with connection.cursor() as cursor:
        cursor.execute(composed.sql, (*params[:split], limit, start, *params[split:]))
        found = cursor.fetchall()
    summary = dict.fromkeys(composed.aggregates, 0)
    if not found:
        return [], summary
    width = len(composed.columns)
    shown = composed.shown
    details_columns = ["pk", *shown]  # as details reads them, named as in the figures
    detail_start = width + 1
    detail_end = detail_start + len(details_columns)
    summary.update(
        zip(composed.aggregates, (int(v or 0) for v in found[0][detail_end:]), strict=True)
    )
    values = composed.compiler.results_iter(results=[[entry[:width] for entry in found]])
    detail_values = composed.details_compiler.results_iter(
        results=[[entry[detail_start:detail_end] for entry in found]]
    )
    entries = []
    for entry, value, detail in zip(found, values, detail_values, strict=True):
        row = dict(zip(composed.columns, value, strict=True))
        row.update(zip(shown, detail[1:], strict=True))  # the person's id aside
        row["flag_attendance"] = entry[width]
        entries.append(row)
    return entries, summary


# The query of marks(), composed once per connection and key (core.compiled.Stored).
_MARKS_QUERY = Stored()


@dataclass
class _SqlOf:
    sql: str
    params: tuple


def marks(
    cohort, sessions, held, members, narrowed, filter_key, *, per_session=True
) -> tuple[dict, dict]:
    """One query (two without a filter) for what the counters cannot answer alone:
    - a trainee's counters hold the marks of sessions not held yet too (excuses approved in
      advance, check-ins in the quarter hour before the start), which are taken out:
      {status: {user id: marks}};
    - per held session, without a filter: the session's counter less the marks of people who
      are not active trainees (withdrawn, or other roles); with one (`members(*narrowed)`, the
      trainees listed, `filter_key` naming the filter): the marks of those trainees:
      {session id: {status: marks}}.
    The query is stored (_MARKS_QUERY) under the sessions and the filter, run with the
    trainee's id when narrowed to one. `per_session` False reads the first part alone (one
    query, the second dict empty)."""
    held_ids = [s["id"] for s in held]
    upcoming = [s["id"] for s in sessions if s["id"] not in set(held_ids)]
    # The few people who are not active trainees any more are fetched first, so that their
    # marks are read through the person index rather than by scanning every mark.
    others = (
        ()  # no one's: the union leaves that part out
        if not per_session
        else None
        if filter_key
        else tuple(shapes.NOT_ACTIVE_TRAINEES.list(cohort.pk))
    )

    def build(*ids):
        counted = others if others is not None else members(*ids).values("user_id")
        marks = (
            Attendance.objects.filter(session_id__in=upcoming, status__in=COUNTED)
            .values("session_id", "status")
            .annotate(who=F("user_id"), n=Count("id"))
            .order_by()
            .union(
                Attendance.objects.filter(session_id__in=held_ids, user_id__in=counted)
                .values("session_id", "status")
                .annotate(who=Value(None, output_field=IntegerField()), n=Count("id"))
                .order_by(),
                all=True,
            )
            .values_list("session_id", "status", "who", "n")
        )
        return _SqlOf(*marks.query.sql_with_params())

    early: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_session: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not upcoming and not held_ids:
        return early, by_session
    key = (cohort.pk, tuple(upcoming), tuple(held_ids), others, filter_key, bool(narrowed))
    try:
        composed, params = _MARKS_QUERY.get(key, build, *narrowed)
    except EmptyResultSet:  # no one's marks to read (as the ORM, without asking)
        return early, by_session
    with connection.cursor() as cursor:
        cursor.execute(composed.sql, params)
        found = cursor.fetchall()
    for session_id, status, who, n in found:
        if who is None:
            by_session[session_id][status] += n
        else:
            early[status][who] += n
    return early, by_session


def sort_keys(sort: str) -> list[str]:
    """The ORDER BY of a sort of SORT_CHOICES (see SORTS), as annotations of figures(): the sort's
    figure, then the name, the person last; all reversed for "-"."""
    first = {
        "name": [],
        "completion": ["d_completion"],
        "attendance": ["d_attendance_key"],
        "activity": ["d_activity_key"],
        "risk": ["-d_risk"],  # the most flags first
    }[sort.lstrip("-")]
    keys = [*first, "d_name", "user_id"]
    if sort.startswith("-"):
        keys = [key[1:] if key.startswith("-") else f"-{key}" for key in keys]
    return keys

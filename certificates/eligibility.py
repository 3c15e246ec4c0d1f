"""Who may have a certificate: the one eligibility rule, over the cohort dashboard's figures
(`cohorts.dashboard.cohort_dashboard`: curriculum course percentages from the course snapshots,
attendance % with the dashboard's rule on which sessions count) and the cohort's completion
policy; it holds no copy of those rules.

The rule is written twice on purpose, over the same figures: in Python, where it explains what
is missing for the rows a page shows (`eligibility_of_rows`), and as an expression the database
works out for every trainee (`figures`), so that a page of a cohort of thousands counts who is
eligible without building every row. tests/certificates/test_eligibility_sql.py checks that the
two agree."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from cohorts.dashboard import cohort_dashboard, tally_figures
from cohorts.dashboard_figures import course_percent, name_key, one_if
from cohorts.models import Cohort, Membership
from cohorts.shapes import active_trainee_count
from core.compiled import Shape, Stored
from proposals.models import Proposal, TeamMember

from .models import Certificate, display_code

APPROVED_INITIATIVE = (
    Proposal.Status.APPROVED,
    Proposal.Status.IN_IMPLEMENTATION,
    Proposal.Status.COMPLETED,
)


@dataclass
class Eligibility:
    user_id: int
    name: str
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    attendance_percent: int | None = None
    completion_percent: int = 0

    @property
    def explanation(self) -> str:
        return _("; ").join(self.reasons)


@dataclass
class Requirements:
    """What the cohort's completion policy asks, read once."""

    courses: dict[int, str]  # {required course id: its title}
    min_attendance_percent: int
    # The trainees with an approved initiative; None when the policy requires none.
    with_initiative: set[int] | None


def _with_initiative(cohort: Cohort, user_ids=None) -> set[int]:
    """Trainees of the cohort (of `user_ids` when given) who lead, or are accepted members of,
    an approved initiative."""
    approved = Proposal.objects.filter(cohort=cohort, status__in=APPROVED_INITIATIVE)
    members = TeamMember.objects.filter(proposal__in=approved, status=TeamMember.Status.ACCEPTED)
    if user_ids is not None:
        approved = approved.filter(lead_id__in=user_ids)
        members = members.filter(user_id__in=user_ids)
    leads = set(approved.values_list("lead_id", flat=True))
    return leads | set(members.values_list("user_id", flat=True))


def requirements(cohort: Cohort, user_ids=None) -> Requirements:
    """What the cohort's completion policy requires (`Cohort.completion_policy`), with the
    required courses' names (one query, none while the dashboard hands its curriculum over) and,
    when it requires an approved initiative, who has one (of `user_ids` when given; two
    queries)."""
    entries = cohort.curriculum_entries()
    return Requirements(
        # In the curriculum's order.
        courses={course_id: title for course_id, required, title in entries if required},
        min_attendance_percent=cohort.min_attendance_percent,
        with_initiative=(
            _with_initiative(cohort, user_ids) if cohort.requires_approved_initiative else None
        ),
    )


def eligibility_of_rows(cohort: Cohort, rows, needs: Requirements | None = None) -> dict:
    """The one eligibility rule, over dashboard rows (`cohorts.dashboard.TraineeRow`, their
    figures worked out already): {user id: Eligibility}, in four queries at most (see
    requirements), none when `needs` is given."""
    if needs is None:
        needs = requirements(cohort, [row.user_id for row in rows])
    required = needs.min_attendance_percent
    # Each text translated once, not once per row.
    course_text = _("course “%(course)s” %(percent)s %% complete")
    attendance_text = _("attendance %(percent)s %% of %(required)s %% required")
    no_initiative = _("no approved initiative")
    out = {}
    for row in rows:
        reasons = []
        for course_id, title in needs.courses.items():
            percent = row.course_percents.get(course_id, 0)
            if percent < 100:
                reasons.append(course_text % {"course": title, "percent": percent})
        if row.attendance_percent is not None and row.attendance_percent < required:
            reasons.append(
                attendance_text % {"percent": row.attendance_percent, "required": required}
            )
        if needs.with_initiative is not None and row.user_id not in needs.with_initiative:
            reasons.append(no_initiative)
        out[row.user_id] = Eligibility(
            user_id=row.user_id,
            name=row.name,
            eligible=not reasons,
            reasons=reasons,
            attendance_percent=row.attendance_percent,
            completion_percent=row.completion_percent,
        )
    return out


def figures(cohort: Cohort, needs: Requirements) -> dict:
    """The rule of eligibility_of_rows as the database works it out for every trainee, as
    cohort_dashboard's `extra` figures: `cert_issued` 1 when the trainee holds a current
    certificate (valid or revoked), `cert_ready` 1 when they hold none and are eligible."""
    eligible = Q(d_attendance__isnull=True) | Q(d_attendance__gte=needs.min_attendance_percent)
    for course_id in needs.courses:
        eligible &= Q(GreaterThanOrEqual(course_percent(course_id), 100))
    if needs.with_initiative is not None:
        # An empty list selects no one (the database is not asked about an empty IN).
        eligible &= Q(user_id__in=sorted(needs.with_initiative))
    issued = Exists(
        Certificate.objects.current().filter(cohort=cohort, trainee_id=OuterRef("user_id"))
    )
    return {"cert_issued": one_if(issued), "cert_ready": one_if(eligible & ~Q(issued))}


def _figures_key(needs: Requirements) -> tuple:
    """Everything figures() builds its expressions from, besides the cohort."""
    initiative = needs.with_initiative
    return (
        "certificates",
        tuple(needs.courses),
        needs.min_attendance_percent,
        None if initiative is None else tuple(sorted(initiative)),
    )


def eligibility_for_cohort(
    cohort: Cohort, *, now=None, user_id: int | None = None
) -> dict[int, Eligibility]:
    """{user id: Eligibility} of every active trainee of the cohort, in a constant number of
    queries (the dashboard's, plus those of eligibility_of_rows)."""
    # Without the columns and reasons of other apps: eligibility reads none of them.
    rows = cohort_dashboard(cohort, now=now, user_id=user_id, page=None, extensions=False).rows
    return eligibility_of_rows(cohort, rows)


def eligibility(cohort: Cohort, trainee, *, now=None) -> Eligibility:
    # The dashboard's search narrows its rows to this person (figures computed the same way).
    found = eligibility_for_cohort(cohort, now=now, user_id=trainee.pk).get(trainee.pk)
    if found is None:
        return Eligibility(
            user_id=trainee.pk,
            name=str(trainee),
            eligible=False,
            reasons=[_("not an active trainee of this cohort")],
        )
    return found


@dataclass(frozen=True)
class Held:
    """A trainee's current certificate (valid or revoked), as ByName reads it for a page."""

    pk: int
    status: str
    code: str

    @property
    def display_code(self) -> str:
        return display_code(self.code)


@dataclass
class _Figures:
    """What eligibility_of_rows reads of a trainee's dashboard row."""

    user_id: int
    name: str
    course_percents: dict[int, int]
    attendance_percent: int | None
    completion_percent: int


@dataclass
class _Page:
    """ByName's query: its SQL, its parameters before the page's limit and offset (`split`)
    and after; the columns of the figures and the compiler that converts their values."""

    sql: str
    params: tuple
    split: int
    columns: list
    compiler: object


def _compose_page(cohort: Cohort, trainees, needs: Requirements) -> _Page:
    """One query for a page of the cohort's trainees by name, each with their figures, name
    and current certificate (id, status, code), and the whole cohort's count, issued and ready
    (figures()). Every trainee's figures are read off their tally alone
    (cohorts.dashboard.tally_figures: no join of every person); the names from each person's
    row by its key, for the sort and for the page's rows, rather than a hash of every
    account."""
    people = Membership._meta.get_field("user").related_model
    name = people._default_manager.filter(pk=OuterRef("user_id")).order_by()
    inner = (
        trainees.annotate(**figures(cohort, needs))
        .annotate(d_name=Subquery(name.values(key=name_key(""))[:1]))
        .order_by()
        .values(
            "user_id",
            "d_name",
            "d_completion",
            "d_attendance",
            "tally__course_percents",
            "cert_issued",
            "cert_ready",
        )
    )
    compiler = inner.query.get_compiler(using=inner.db)
    sql, params = compiler.as_sql()
    # The page's names, by each row's person (`p`, the page in the SQL below).
    shown = (
        people._default_manager.filter(pk=RawSQL("p.user_id", ()))
        .order_by()
        .values(
            shown=Coalesce(NullIf(F("full_name"), Value("")), F("email"), output_field=CharField())
        )[:1]
    )
    shown_sql, shown_params = shown.query.sql_with_params()
    held_sql, held_params = (
        Certificate.objects.current()
        .filter(cohort=cohort)
        .order_by()
        .values("trainee_id", "pk", "status", "code")
        .query.sql_with_params()
    )
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    return _Page(
        # No user text: the figures' SQL, quoted names and numbers.
        sql=(
            f"WITH f AS MATERIALIZED ({sql}), "  # noqa: S608
            "s AS MATERIALIZED (SELECT COUNT(*) AS n, SUM(f.cert_issued) AS issued,"
            " SUM(f.cert_ready) AS ready FROM f) "
            f"SELECT p.*, ({shown_sql}) AS name, c.*, s.n, s.issued, s.ready FROM s LEFT JOIN ("
            f"SELECT f.* FROM f ORDER BY f.d_name{collate}, f.user_id LIMIT %s OFFSET %s"
            f") p ON 1 = 1 LEFT JOIN ({held_sql}) c ON c.trainee_id = p.user_id"
            f" ORDER BY p.d_name{collate}, p.user_id"
        ),
        params=(*params, *shown_params, *held_params),
        split=len(params) + len(shown_params),
        columns=list(inner.query.selected or []),
        compiler=compiler,
    )


def _page_start(page, page_size: int) -> int | None:
    """Where the page numbered `page` (a request's text) starts, or None when it is not a
    plain page number within any cohort (the paginator then decides which page to show)."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return None
    start = (number - 1) * page_size
    return start if 0 <= start < MAX_TRAINEES else None


# More trainees than any cohort holds: a page starting past it is not read with the count.
MAX_TRAINEES = 1_000_000


# The query of ByName, composed once per connection and what it is built from
# (core.compiled.Stored: the cohort, its curriculum, sessions held and policy).
_PAGES = Stored()


class ByName:
    """Every active trainee's eligibility in the order of their names, read a page at a time:
    a sequence that Django's and the API's paginators slice. Its length is one count query; a
    slice is one query for its rows with the figures above: `issued`, `ready` (eligible, none
    issued yet) and `missing` over the whole cohort, known once a page has been read (and the
    three queries of what the trainees' figures are built from, see
    cohorts.dashboard.tally_figures), with the current certificates of the page's trainees
    (`held`)."""

    def __init__(self, cohort: Cohort, page_size: int, *, now=None, page=None):
        self.cohort, self.page_size, self.now = cohort, page_size, now
        self._count = None
        self.issued = self.ready = self.missing = 0
        # {user id: Held} of the trainees of the page read last who hold a current certificate.
        self.held: dict[int, Held] = {}
        # The page number asked for (the request's text, or None): read with the count, which
        # then costs no query of its own when the paginator slices that page.
        self._hint = _page_start(page, page_size)
        self._read: tuple[int, int, list] | None = None  # (start, size, verdicts) last read

    def __len__(self) -> int:
        if self._count is None:
            if self._hint is None:
                self._count = active_trainee_count(self.cohort.pk)
            else:
                self[self._hint : self._hint + self.page_size]
        return self._count

    def __getitem__(self, part: slice) -> list[Eligibility]:
        if not isinstance(part, slice):
            raise TypeError("ByName is read a page at a time")
        start = part.start or 0
        size = self.page_size if part.stop is None else max(0, part.stop - start)
        if self._read is not None and self._read[0] == start and size <= self._read[1]:
            return self._read[2][:size]  # the page read with the count (the last may be short)
        verdicts = self._page(start, size)
        self._read = (start, size, verdicts)
        return verdicts

    def _page(self, start: int, size: int) -> list[Eligibility]:
        basis = tally_figures(self.cohort, now=self.now)
        with self.cohort.handing_curriculum(basis.curriculum):
            needs = requirements(self.cohort)
        composed, params = _PAGES.get(
            (basis.key, _figures_key(needs)),
            lambda: _compose_page(self.cohort, basis.trainees(), needs),
        )
        split = composed.split
        with connection.cursor() as cursor:
            cursor.execute(composed.sql, (*params[:split], size, start, *params[split:]))
            found = cursor.fetchall()
        width = len(composed.columns)
        # Every row ends with the name, the certificate and the whole cohort's figures (past
        # the last page, one row with the figures alone).
        self._count, self.issued, self.ready = (int(v or 0) for v in found[0][width + 5 :])
        self.missing = self._count - self.issued - self.ready
        rows, self.held = [], {}
        values = composed.compiler.results_iter(results=[[e[:width] for e in found]])
        for entry, value in zip(found, values, strict=True):
            row = dict(zip(composed.columns, value, strict=True))
            if row["user_id"] is None:
                continue
            percents = row["tally__course_percents"] or {}
            rows.append(
                _Figures(
                    user_id=row["user_id"],
                    name=entry[width],
                    course_percents={int(c): p for c, p in percents.items()},
                    attendance_percent=row["d_attendance"],
                    completion_percent=row["d_completion"],
                )
            )
            if entry[width + 2] is not None:
                self.held[row["user_id"]] = Held(*entry[width + 2 : width + 5])
        verdicts = eligibility_of_rows(self.cohort, rows, needs)
        return [verdicts[row.user_id] for row in rows]


def _held_by(cohort_id, *user_ids, count):
    """(trainee, status) of the current certificates of these people (`count` of them)."""
    return (
        Certificate.objects.current()
        .filter(cohort_id=cohort_id, trainee_id__in=user_ids)
        .order_by()  # read into a dict: without the joins of the default order
        .values_list("trainee_id", "status")
    )


# Compiled once per number of people (core.compiled.Shape).
_HELD_BY = Shape(_held_by)


def certificate_column(cohort: Cohort, rows, now) -> dict[int, str]:
    """The cohort dashboard's "Certificate" column (cohorts.dashboard.register_column), for the
    rows given: issued (or revoked) when a current certificate exists, else eligible, else what
    is missing. The issued certificates in one query, plus eligibility_of_rows."""
    ids = [row.user_id for row in rows]
    held = dict(_HELD_BY.list(cohort.pk, *ids, count=len(ids))) if ids else {}
    pending = [row for row in rows if row.user_id not in held]
    found = eligibility_of_rows(cohort, pending) if pending else {}
    answer = {}
    for row in rows:
        if row.user_id in held:
            answer[row.user_id] = (
                _("Issued") if held[row.user_id] == Certificate.Status.VALID else _("Revoked")
            )
        elif found[row.user_id].eligible:
            answer[row.user_id] = _("Eligible")
        else:
            answer[row.user_id] = _("Missing: %(what)s") % {"what": found[row.user_id].explanation}
    return answer

"""The dashboard's extension points: the flags of at-risk trainees, and the columns, at-risk reasons
and trainee-page viewers that apps above cohorts register (cohorts.dashboard reads them)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

FLAG_LABELS = {
    "attendance": gettext_lazy("Attendance below policy"),
    "inactive": gettext_lazy("Inactive"),
    "overdue": gettext_lazy("Overdue work"),
}
FLAG_CHOICES = ["at_risk", *FLAG_LABELS]


# --- Columns, at-risk reasons and viewers of higher apps ----------------------------------------
# The one place where an app above cohorts plugs into the dashboard, its page, API and exports,
# and into the per-trainee page, without cohorts importing it. Register from that app's
# AppConfig.ready(). Every lookup is `fn(cohort, rows, now) -> {user id: text}` over the
# TraineeRow objects given (their figures are worked out already) and runs a constant number of
# queries whatever the number of rows; a trainee missing from the answer gets nothing.
# - a column (mentoring: each trainee's mentor and last meeting; proposals: the initiative's
#   status; certificates: issued, eligible or missing what) is looked up for the rows on show
#   (a page, or every row for an export); its text fills the cell;
# - an at-risk reason (mentoring: no meeting for 30 days; proposals: no proposal close to the
#   deadline) has a condition, `fn(cohort, now) -> Q or boolean expression` over the cohort's
#   trainee memberships (the trainee is `user_id`; OuterRef("user_id") inside a subquery), which
#   the database applies to every trainee of the cohort, since the at-risk filter, count and
#   sort read it; its lookup is asked only about the rows on show that the condition flags, and
#   its text is the reason's message (the reason's label when it has none for a row).


@dataclass(frozen=True)
class Extension:
    key: str
    label: object  # lazy text: the column's heading or the reason's label
    lookup: Callable
    reason: bool = False
    condition: Callable | None = None  # an at-risk reason's: see above
    # The same condition for one trainee, `fn(cohort, now, trainee_id)`, where the whole
    # cohort's is costly for a page about one (a reason's own choice; else `condition`).
    condition_of_one: Callable | None = None


_extensions: dict[str, Extension] = {}
# Who besides the cohort's managers and staff may open a trainee's page:
# `fn(viewer, cohort, trainee_id) -> bool` (mentoring: the trainee's active mentor there).
_trainee_viewers: list[Callable] = []


def register_column(key: str, label, lookup: Callable) -> Callable:
    """Show a column `key` headed `label`; registering the same key again replaces it."""
    _extensions[key] = Extension(key, label, lookup)
    return lookup


def register_reason(
    code: str, label, lookup: Callable, condition: Callable, condition_of_one=None
) -> Callable:
    """Add an at-risk reason `code` (a flag with its label, filter and count): `condition`
    decides who is flagged, `lookup` words it for the rows shown; `condition_of_one`, when
    given, decides it for one trainee (the figures of one person's page)."""
    _extensions[code] = Extension(
        code,
        label,
        lookup,
        reason=True,
        condition=condition,
        condition_of_one=condition_of_one,
    )
    FLAG_LABELS[code] = label
    if code not in FLAG_CHOICES:
        FLAG_CHOICES.append(code)
    return lookup


def register_trainee_viewer(fn: Callable) -> Callable:
    if fn not in _trainee_viewers:
        _trainee_viewers.append(fn)
    return fn


def columns() -> list[Extension]:
    return [e for e in _extensions.values() if not e.reason]


def reasons() -> list[Extension]:
    return [e for e in _extensions.values() if e.reason]


def flag_choices() -> list[tuple[str, object]]:
    """The "at risk" filter's choices: every flag, the registered reasons included."""
    return [("at_risk", gettext_lazy("Any risk")), *FLAG_LABELS.items()]


def may_view_trainee(viewer, cohort, trainee_id: int) -> bool:
    """A mentor of the trainee (through a registered viewer); managers are checked by the view."""
    return any(fn(viewer, cohort, trainee_id) for fn in _trainee_viewers)


@dataclass
class Flag:
    code: str
    message: str

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])


def fill_columns(cohort, ordered: list, now=None) -> None:
    """Fill the registered columns of higher apps into these rows (see register_column)."""
    registered = columns()
    if not ordered or not registered:
        return
    now = now or timezone.now()
    for column in registered:
        values = column.lookup(cohort, ordered, now) or {}
        for row in ordered:
            if row.user_id in values:
                row.columns[column.key] = str(values[row.user_id])

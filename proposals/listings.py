"""The proposal lists a manager reads page by page (a cohort's list, the API's list) as compiled
shapes (core.compiled): the rows of a page and the count the pager needs are each built and
compiled once per connection and kind of filter, then run with the request's ids. The rows are
the columns shown, as plain values, each with its budget total summed for it alone; a filter's
presence is a keyword of the shape, its value a value."""

from django.db.models import Count, Value

from cohorts.models import is_staff, signed_in
from core.compiled import Shape

from .models import Proposal


class Listing:
    """A list of proposals read through two shapes: `base(*values, **key)` the filtered,
    ordered proposals; `columns(queryset)` the rows as shown. Calling it gives the list of
    these values, which the paginator slices (one query a page) and counts (one query, only
    past one page) as it does a queryset (core.paging: `sliced_in_sql`)."""

    def __init__(self, base, columns):
        self.rows = Shape(
            lambda *values, _start, _stop, **key: columns(base(*values, **key))[_start:_stop]
        )
        self.count = Shape(lambda *values, **key: counted(base(*values, **key)))

    def __call__(self, *values, **key) -> "Listed":
        return Listed(self, values, key)


class Listed:
    sliced_in_sql = True

    def __init__(self, listing: Listing, values: tuple, key: dict):
        self.listing, self.values, self.key = listing, values, key

    def count(self) -> int:
        return self.listing.count.first(*self.values, **self.key) or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if start == stop:
            return []
        return self.listing.rows.list(*self.values, _start=start, _stop=stop, **self.key)


def counted(queryset):
    """`queryset.count()` as a query of its own: one row, the number of rows (0 for none)."""
    return (
        queryset.order_by()
        .values(everything=Value(1))
        .annotate(n=Count("*"))
        .values_list("n", flat=True)
    )


def _newest_first(queryset):
    return queryset.order_by("-updated_at", "-id")


# --- A cohort's proposals for its managers (views.review.manage) --------------------------------


def _of_cohort(cohort_id, status, *, by_status):
    proposals = Proposal.objects.filter(cohort=cohort_id)
    if by_status:
        proposals = proposals.filter(status=status)
    return _newest_first(proposals)


def _manage_columns(proposals):
    return proposals.with_budget_total().values(
        "id", "title", "status", "lead__full_name", "budget_total_iqd"
    )


_OF_COHORT = Listing(_of_cohort, _manage_columns)


def cohort_rows(cohort_id: int, status: str) -> Listed:
    """The cohort's proposals, newest first, of one status when `status` is one (any other
    text: all of them), as rows of id, title, status, lead__full_name and budget_total_iqd."""
    by_status = status in Proposal.Status.values
    return _OF_COHORT(cohort_id, status if by_status else "-", by_status=by_status)


# --- The API's list (api.views.ProposalViewSet.list) --------------------------------------------


def _visible(user_id, cohort_id, status, *, staff, by_cohort, by_status):
    proposals = Proposal.objects.visible_to_person(user_id, staff=staff)
    if by_cohort:
        proposals = proposals.filter(cohort=cohort_id)
    if by_status:
        proposals = proposals.filter(status=status)
    return _newest_first(proposals)


def _api_columns(proposals):
    return proposals.with_budget_total().values(*API_COLUMNS)


# The list's fields (api.serializers.ProposalListSerializer), the relations as their ids.
API_COLUMNS = "id", "cohort", "lead", "title", "status", "version", "budget_total_iqd", "updated_at"
_VISIBLE = Listing(_visible, _api_columns)


def visible_rows(user, cohort_id: int | None, status: str | None) -> Listed | list:
    """The proposals `Proposal.objects.visible_to(user)` shows, newest first, of one cohort
    and one status when given (a status that is none: all), as rows of API_COLUMNS."""
    if not signed_in(user):
        return []
    by_cohort, by_status = cohort_id is not None, status in Proposal.Status.values
    return _VISIBLE(
        user.pk,
        cohort_id if by_cohort else 0,
        status if by_status else "-",
        staff=is_staff(user),
        by_cohort=by_cohort,
        by_status=by_status,
    )

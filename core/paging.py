"""Django's paginator, without the count query when the first page holds the whole list.

Django counts the rows (one query) before it reads a page (a second one). Most lists a person
opens here are short — a trainee's courses, their notifications, a mentor's queue — and are
read at their first page, so this paginator reads that page with one row more than it shows:
when the extra row is not there, the list ends on this page and its count is the rows read,
so the count query is not run. When it is there, the count is run as before (the pager needs
the number of pages) and the rows already read are the page. Any other page, or a paginator
with orphans, or a list that is not a queryset (whose slices may not hold exactly the rows
asked for, and whose length is often free), is Django's own.

Every list page and API list uses it (the views import it from here, and core.api.Pagination
hands it to REST framework).

`ShapedList(build, *values, **key)` hands it a list whose pages run as stored SQL
(core.compiled): each page is the builder's queryset sliced, a shape keyed by the slice's
bounds; the count, needed only past one page, is stored SQL too (`counted`: the builder's rows
counted in one row) unless the builder's queryset groups, is distinct or combines queries, where
the ORM counts it as before.
Another list may be paged so too by saying that its slices are read in SQL (`sliced_in_sql`)."""

from collections.abc import Callable

from django.core import paginator
from django.db.models import Count, QuerySet, Value

from core.compiled import Shape

_SLICED: dict[Callable, Shape] = {}
_COUNTED: dict[Callable, Shape] = {}
_PLAIN: dict[tuple, bool] = {}


def counted(queryset: QuerySet) -> QuerySet:
    """`queryset.count()` as a queryset of its own, for a shape: one row, the number of rows
    (no row at all when there are none). Only for a queryset that neither groups, nor is
    distinct, nor combines queries (`_plain`)."""
    return (
        queryset.order_by()
        .values(everything=Value(1))
        .annotate(n=Count("*"))
        .values_list("n", flat=True)
    )


def _plain(queryset: QuerySet) -> bool:
    query = queryset.query
    return not (query.distinct or query.group_by is not None or query.combinator or query.is_sliced)


def _sliced(build: Callable) -> Shape:
    shape = _SLICED.get(build)
    if shape is None:
        shape = Shape(lambda *values, _start, _stop, **key: build(*values, **key)[_start:_stop])
        _SLICED[build] = shape
    return shape


class ShapedList:
    """A list read page by page through a shape: `build(*values, **key)` returns the ordered
    queryset (see core.compiled for what a builder may do). Any list whose slices hold exactly
    the rows asked for, each read in one query, may say so as this one does (`sliced_in_sql`)
    to be paged like a queryset."""

    sliced_in_sql = True

    def __init__(self, build: Callable[..., QuerySet], *values, **key):
        self.build = build
        self.values = values
        self.key = key

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("A shaped list is read by slices of rows.")
        start, stop = item.start or 0, item.stop
        if start < 0 or stop is None or stop < start:
            raise TypeError("A shaped list is read by bounded slices.")
        if start == stop:
            return []  # (the ORM has no SQL for an empty slice)
        return _sliced(self.build).list(*self.values, _start=start, _stop=stop, **self.key)

    def count(self) -> int:
        # Whether the builder's queryset can be counted by `counted` is a matter of its SQL,
        # that is of the builder and its key: asked once.
        plain_key = (self.build, tuple(sorted(self.key.items())))
        plain = _PLAIN.get(plain_key)
        if plain is None:
            plain = _PLAIN[plain_key] = _plain(self.build(*self.values, **self.key))
        if not plain:
            return self.build(*self.values, **self.key).count()
        shape = _COUNTED.get(self.build)
        if shape is None:
            build = self.build
            shape = _COUNTED[build] = Shape(lambda *v, **k: counted(build(*v, **k)))
        return shape.first(*self.values, **self.key) or 0


class Paginator(paginator.Paginator):
    def page(self, number):
        if (
            number != 1
            or self.orphans
            or "count" in self.__dict__
            or not (
                isinstance(self.object_list, QuerySet)
                or getattr(self.object_list, "sliced_in_sql", False)
            )
        ):
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            if not rows and not self.allow_empty_first_page:
                raise paginator.EmptyPage(self.error_messages["no_results"])
            self.__dict__["count"] = len(rows)  # the whole list is on this page
            return self._get_page(rows, 1, self)
        self.validate_number(1)  # more than a page: counted, as Django would
        return self._get_page(rows[: self.per_page], 1, self)

    def get_page(self, number):
        """Django's, but the first page (asked for, or given for what is not a page number) is
        read by `page` before anything is counted."""
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = True
        return self.page(1) if first else super().get_page(number)

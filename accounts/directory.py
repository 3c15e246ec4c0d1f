"""The people directory (the managers' page and the API's list) read a page at a time as compiled
shapes (core.compiled): the rows of a page and the count the pager needs are each built and
compiled once per connection and kind of viewer and filter, then run with the viewer's id and
the filters' values, instead of putting the access rules together and compiling them anew on
every request.

The rules (`User.objects.visible_to`, with the scopes cohorts registers in accounts.access) are
built for a stand-in of the viewer: an unsaved person with the viewer's id and what the rules
read of a person besides it (`person_key`), which is the shapes' key together with the
registered rules. A search (`q`, contained in a name or address: a pattern made of the text) is
not a value a shape takes as given: a list searched is read through the ORM, as before.

The page's rows are HTML built in Python: fifty rows of a link, a condition and two labels went
through the template engine cell by cell, most of what the page cost to render. The markup is
the one tests/accounts/test_directory.py renders with the template engine and compares."""

from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.compiled import Shape
from core.markup import esc as escape
from core.paging import counted

from . import access
from .models import FEMININE_ROLES, User

# The columns of a row: the page's (its labels are worked out from them) and the API's (the
# fields of its serializer, as it writes them).
PAGE_COLUMNS = ("id", "full_name", "full_name_latin", "governorate", "gender", "role")
API_COLUMNS = ("id", "email", "full_name", "full_name_latin", "role", "governorate", "is_active")


def person_key(user) -> dict:
    """What the access rules read of a person besides the id (accounts.access, and
    courses.access for progress): their role, staff flags and whether they are active."""
    return {
        "role": user.role,
        "staff": bool(user.is_staff),
        "superuser": bool(user.is_superuser),
        "active": bool(user.is_active),
    }


def stand_in(user_id: int, *, role: str, staff: bool, superuser: bool, active: bool) -> User:
    """The person of this id as the rules see them (`person_key`), unsaved: a rule's SQL built
    for it is that of every person of the kind, with their id."""
    return User(pk=user_id, role=role, is_staff=staff, is_superuser=superuser, is_active=active)


def filtered(queryset, values, present: dict[str, bool]):
    """`queryset` filtered on each field `present` says is there, equal to the next of
    `values` in that order: a shape's filters, whose presence is its key and values its
    values."""
    values = iter(values)
    for field, there in present.items():
        if there:
            queryset = queryset.filter(**{field: next(values)})
    return queryset


def _people(user_id, *values, by_role, by_governorate, rules, **person):
    """The people the viewer may see, with the role and governorate given (`values`, in this
    order, for the filters the key says are there)."""
    people = User.objects.visible_to(stand_in(user_id, **person))
    return filtered(people, values, {"role": by_role, "governorate": by_governorate})


def _page(*values, _start, _stop, columns, **key):
    return _people(*values, **key).order_by("full_name", "id").values_list(*columns)[_start:_stop]


_PAGE = Shape(_page)
_COUNT = Shape(lambda *values, **key: counted(_people(*values, **key)))


class People:
    """The people a viewer may see, filtered, in name order, as rows of `columns`: a list the
    paginator counts (one query, past one page) and slices (one query a page) as it does a
    queryset (core.paging: `sliced_in_sql`)."""

    sliced_in_sql = True

    def __init__(self, viewer, columns: tuple, *, role: str = "", governorate: str = "", q=""):
        self.columns, self.q = columns, q
        self.active = viewer.is_authenticated and viewer.is_active
        self.values = [viewer.pk]
        if role:
            self.values.append(role)
        if governorate:
            self.values.append(governorate)
        self.key = {
            **(person_key(viewer) if self.active else {}),
            "by_role": bool(role),
            "by_governorate": bool(governorate),
            "rules": access.manager_scopes(),
        }

    def _searched(self):
        q = self.q
        return _people(*self.values, **self.key).filter(
            Q(full_name__icontains=q) | Q(full_name_latin__icontains=q) | Q(email__icontains=q)
        )

    def count(self) -> int:
        if not self.active:
            return 0
        if self.q:
            return self._searched().count()
        return _COUNT.first(*self.values, **self.key) or 0

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if not self.active or start == stop:
            return []
        if self.q:
            searched = self._searched().order_by("full_name", "id")
            return list(searched.values_list(*self.columns)[start:stop])
        return _PAGE.list(*self.values, _start=start, _stop=stop, columns=self.columns, **self.key)


def choice_labels(choices) -> dict[str, str]:
    """Choice labels translated once for the request. A lazy label rendered in a loop, or
    get_FOO_display() (which hashes every choice on each call), pays for the lookup on every row."""
    return {value: str(label) for value, label in choices}


def page_rows(values, roles: dict, governorates: dict) -> list[dict]:
    """The page's rows (PAGE_COLUMNS) as plain values: the labels in the page's language (a
    woman's role in the feminine), the link to each person's page one reverse() for the page."""
    people_url = reverse("accounts:people")
    feminine = {role: str(label) for role, label in FEMININE_ROLES.items()}
    return [
        {
            "id": pk,
            "name": name,
            "name_latin": latin,
            "governorate": governorates.get(governorate, governorate),
            "role": (
                feminine[role]
                if gender == User.Gender.FEMALE and role in feminine
                else roles.get(role, role)
            ),
            "url": f"{people_url}{pk}/",
        }
        for pk, name, latin, governorate, gender, role in values
    ]


def only_row(message: str, columns: int) -> SafeString:
    """The row of a table that lists nothing: a message of the catalogue across its `columns`,
    written as `{% translate %}` writes it (as the catalogue has it, not escaped)."""
    return mark_safe(f'<tr><td colspan="{int(columns)}">{message}</td></tr>')  # noqa: S308


def rows_html(rows: list[dict]) -> SafeString:
    """<tr> rows of the directory, from `page_rows`; a row saying so when nobody is listed."""
    if not rows:
        return only_row(_("Nobody matches these filters."), 3)
    l_name = escape(_("Name"))
    l_governorate = escape(_("Governorate"))
    l_role = escape(_("Role"))
    parts = []
    for row in rows:
        latin = (
            f'<br><small lang="en" dir="ltr">{escape(row["name_latin"])}</small>'
            if row["name_latin"]
            else ""
        )
        parts.append(
            f'<tr><td data-label="{l_name}"><a href="{escape(row["url"])}">'
            f"{escape(row['name'])}</a>{latin}</td>"
            f'<td data-label="{l_governorate}">{escape(row["governorate"])}</td>'
            f'<td data-label="{l_role}">{escape(row["role"])}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

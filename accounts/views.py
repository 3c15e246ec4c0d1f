"""Pages about people: one's own profile, and the people directory for program managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.paging import Paginator

from . import services
from .forms import ProfileForm, RoleForm
from .models import FEMININE_ROLES, Governorate, User


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            services.update_profile(user=request.user, data=form.cleaned_data)
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
        # The instance was modified by the failed form; reload so the page shows saved data.
        request.user.refresh_from_db()
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200
    )


def _require_manager(user):
    if not user.can_manage():
        raise PermissionDenied


def choice_labels(choices) -> dict[str, str]:
    """Choice labels translated once for the request. A lazy label rendered in a loop, or
    get_FOO_display() (which hashes every choice on each call), pays for the lookup on every row."""
    return {value: str(label) for value, label in choices}


@login_required
def people(request):
    _require_manager(request.user)
    qs = User.objects.visible_to(request.user).only(
        "id", "full_name", "full_name_latin", "email", "role", "governorate", "gender", "is_active"
    )
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    governorate = request.GET.get("governorate", "")
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q) | Q(full_name_latin__icontains=q) | Q(email__icontains=q)
        )
    if role in User.Role.values:
        qs = qs.filter(role=role)
    if governorate in Governorate.values:
        qs = qs.filter(governorate=governorate)
    page = Paginator(qs.order_by("full_name", "id"), 50).get_page(request.GET.get("page"))
    roles = choice_labels(User.Role.choices)
    governorates = choice_labels(Governorate.choices)
    # A list from here on: iterating the Page itself goes through __getitem__ once per row.
    page.object_list = list(page.object_list)
    for person in page.object_list:
        person.role_label = (
            str(FEMININE_ROLES[person.role])
            if person.gender == User.Gender.FEMALE and person.role in FEMININE_ROLES
            else roles.get(person.role, person.role)
        )
        person.governorate_label = governorates.get(person.governorate, person.governorate)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "governorate": governorate,
            "roles": roles.items(),
            "governorates": governorates.items(),
        },
    )


@login_required
def person_detail(request, pk):
    """One person, with the form that changes their role (one form here instead of one per row
    of the directory)."""
    _require_manager(request.user)
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    return _render_person(request, person, RoleForm(initial={"role": person.role}))


def _render_person(request, person, form, status=200):
    return render(request, "accounts/person.html", {"person": person, "form": form}, status=status)


@login_required
@require_POST
def set_role(request, pk):
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render_person(request, person, form, status=400)
    services.set_role(actor=request.user, user=person, role=form.cleaned_data["role"])
    messages.success(request, _("Role of %(name)s updated.") % {"name": person.full_name})
    return redirect("accounts:people")

"""Pages about people: one's own profile, and the people directory for program managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.paging import Paginator

from . import directory, services
from .forms import ProfileForm, RoleForm
from .models import Governorate, User


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


@login_required
def people(request):
    _require_manager(request.user)
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    governorate = request.GET.get("governorate", "")
    # Unknown values are ignored: the page shows everyone rather than an error.
    listed = directory.People(
        request.user,
        directory.PAGE_COLUMNS,
        q=q,
        role=role if role in User.Role.values else "",
        governorate=governorate if governorate in Governorate.values else "",
    )
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    roles = directory.choice_labels(User.Role.choices)
    governorates = directory.choice_labels(Governorate.choices)
    page.object_list = rows = directory.page_rows(page.object_list, roles, governorates)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "rows_html": directory.rows_html(rows),
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

"""Pages about people: one's own profile, and the people directory for program managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ProfileForm
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
    qs = User.objects.visible_to(request.user).only(
        "id", "full_name", "full_name_latin", "email", "role", "governorate", "is_active"
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
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "governorate": governorate,
            "roles": User.Role.choices,
            "governorates": Governorate.choices,
        },
    )


@login_required
@require_POST
def set_role(request, pk):
    _require_manager(request.user)
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    role = request.POST.get("role", "")
    if role not in User.Role.values:
        messages.error(request, _("Choose a valid role."))
        return redirect("accounts:people")
    services.set_role(actor=request.user, user=person, role=role)
    messages.success(request, _("Role of %(name)s updated.") % {"name": person.full_name})
    return redirect("accounts:people")

"""What the proposal pages share: the one way to reach a proposal, and the refused-action page."""

from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Proposal

PAGE_SIZE = 50


def visible_proposal(request, pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("cohort", "lead"), pk=pk
    )


def problem(request, message, *, back, status=409):
    return render(
        request, "proposals/problem.html", {"message": message, "back": back}, status=status
    )


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default

"""The proposals API: proposals visible to the caller, their transitions and reviews, the
transition actions and the decision, and a reviewer's review. Errors come from core.api."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ERRORS, call_service, id_param

from .. import listings, services
from ..models import Proposal, Review, ReviewAssignment
from . import serializers as s

ACTION_SERVICES = {
    "submit": services.submit_proposal,
    "resubmit": services.resubmit_proposal,
    "withdraw": services.withdraw_proposal,
    "start_review": services.start_review,
    "request_changes": services.request_changes,
    "start_implementation": services.start_implementation,
    "complete": services.complete_proposal,
}


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals visible to the caller (team, assigned reviewers, mentors, cohort managers)."""

    def get_serializer_class(self):
        return s.ProposalListSerializer if self.action == "list" else s.ProposalSerializer

    def get_queryset(self):
        # One proposal and its actions; the list is read as stored SQL (`list`).
        qs = Proposal.objects.visible_to(self.request.user).order_by("-updated_at", "-id")
        return qs.prefetch_related("budget_lines", "milestones")

    def list(self, request, *args, **kwargs):
        # The list's columns as plain rows, a page read and counted by compiled shapes
        # (proposals.listings), answered as ProposalListSerializer writes them.
        rows = listings.visible_rows(
            request.user, id_param(request, "cohort"), request.query_params.get("status")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.list_items(page))

    @extend_schema(responses=s.TransitionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        proposal = self.get_object()
        return Response(s.TransitionSerializer(proposal.transitions.all(), many=True).data)

    @extend_schema(
        request=s.TransitionInputSerializer,
        responses={200: s.ProposalSerializer, **{k: ERRORS[k] for k in (400, 403, 404, 409)}},
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None):
        proposal = self.get_object()
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            ACTION_SERVICES[data.validated_data["action"]],
            actor=request.user,
            proposal=proposal,
            comment=data.validated_data["comment"],
        )
        return Response(s.ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses={200: s.ProposalSerializer, **{k: ERRORS[k] for k in (400, 403, 404, 409)}},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        proposal = self.get_object()
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.decide_proposal, actor=request.user, proposal=proposal, **data.validated_data
        )
        return Response(s.ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(responses=s.ReviewSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reviews(self, request, pk=None):
        """Submitted reviews: for managers and reviewers; for the team once decided."""
        proposal = self.get_object()
        is_manager = services.can_manage(request.user, proposal.cohort)
        # Hidden from everyone who does not run the cohort (the team, and past members of it).
        hide = not is_manager and services.rubric_for(proposal.cohort).hide_reviewer_names
        reviews = (
            Review.objects.visible_to(request.user)
            .submitted()
            .filter(assignment__proposal=proposal)
            .select_related("assignment")
            .prefetch_related("scores__criterion")
        )
        for review in reviews:
            review.weighted_score = review.weighted_score()
        return Response(s.ReviewSerializer(reviews, many=True, context={"hide_names": hide}).data)


class ReviewAssignmentViewSet(viewsets.GenericViewSet):
    """A reviewer submits the review of a proposal assigned to them."""

    queryset = ReviewAssignment.objects.none()
    serializer_class = s.ReviewInputSerializer

    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={200: s.ReviewSerializer, **{k: ERRORS[k] for k in (400, 403, 404, 409)}},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        assignment = get_object_or_404(
            ReviewAssignment.objects.visible_to(request.user).select_related("proposal__cohort"),
            pk=pk,
        )
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = call_service(
            services.submit_review,
            actor=request.user,
            assignment=assignment,
            scores=data.validated_data["scores"],
            comments=data.validated_data["comments"],
        )
        review.weighted_score = review.weighted_score()
        return Response(s.ReviewSerializer(review).data)

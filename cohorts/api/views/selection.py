"""Applications (the managers' decisions, one or many; the applicant's withdrawal) and
memberships."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import call_service, errors, id_param

from ... import services
from ...models import Application, Cohort, Membership
from .. import serializers as s
from .common import managed_ids

# --- Applications ---------------------------------------------------------------------------------


# An applicant reads their own application without the manager's fields (applicant, note).
APPLICATION_VIEW = PolymorphicProxySerializer(
    component_name="ApplicationView",
    serializers=[s.ManagerApplicationSerializer, s.ApplicationSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    list=extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="ApplicationView",
                serializers=[s.ManagerApplicationSerializer, s.ApplicationSerializer],
                resource_type_field_name=None,
                many=True,
            )
        }
    ),
    retrieve=extend_schema(responses={200: APPLICATION_VIEW}),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications: an applicant sees only their own; managers those to the cohorts they
    manage (filter with ?cohort= and ?status=)."""

    serializer_class = s.ManagerApplicationSerializer

    def get_queryset(self):
        queryset = (
            Application.objects.visible_to(self.request.user)
            .select_related("cohort", "applicant")
            .order_by("cohort_id", "submitted_at", "id")
        )
        cohort = id_param(self.request, "cohort")
        if cohort is not None:
            queryset = queryset.filter(cohort_id=cohort)
        wanted = self.request.query_params.get("status")
        if wanted in Application.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    def _out(self, application):
        return _application_data(application, managed_ids(self.request.user))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        managed = managed_ids(request.user)
        return self.get_paginated_response([_application_data(a, managed) for a in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._out(self.get_object()))

    @extend_schema(
        request=s.DecisionSerializer,
        responses={200: s.ManagerApplicationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Shortlist, accept, waitlist or reject (managers of the cohort). Accepting a full cohort
        answers 409 cohort_full, or waitlists with overflow=waitlist."""
        application = self.get_object()
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = call_service(
            services.decide_application,
            actor=request.user,
            application=application,
            **serializer.validated_data,
        )
        return Response(self._out(result.application))

    @extend_schema(
        request=s.BulkDecisionSerializer,
        responses={200: s.BulkResultSerializer, **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-decide")
    def bulk_decide(self, request):
        """One decision for many applications of one cohort (submission order)."""
        serializer = s.BulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=data["cohort"])
        result = call_service(
            services.bulk_decide,
            actor=request.user,
            cohort=cohort,
            application_ids=data["ids"],
            decision=data["decision"],
            overflow=data["overflow"],
        )
        return Response(
            {"counts": result.counts, "failed": {str(k): v for k, v in result.failed.items()}}
        )

    @extend_schema(request=None, responses={200: s.ApplicationSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The applicant withdraws (leaving the cohort if already accepted)."""
        application = self.get_object()
        application = call_service(
            services.withdraw_application, user=request.user, application=application
        )
        return Response(self._out(application))


def _application_data(application, managed: set[int]) -> dict:
    if application.cohort_id in managed:
        return s.ManagerApplicationSerializer(application).data
    return s.ApplicationSerializer(application).data


# --- Memberships ----------------------------------------------------------------------------------


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own memberships, and those of the cohorts they manage."""

    serializer_class = s.MembershipSerializer

    def get_queryset(self):
        queryset = (
            Membership.objects.visible_to(self.request.user)
            .select_related("user", "cohort")
            .order_by("cohort_id", "role", "user__full_name", "id")
        )
        cohort = id_param(self.request, "cohort")
        if cohort is not None:
            queryset = queryset.filter(cohort_id=cohort)
        return queryset

    @extend_schema(
        request=s.WithdrawSerializer,
        responses={200: s.MembershipSerializer, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Leave the cohort (or, for its managers, remove the member). A trainee's place goes to
        the first person on the waitlist."""
        membership = self.get_object()
        serializer = s.WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = call_service(
            services.withdraw_membership,
            actor=request.user,
            membership=membership,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(s.MembershipSerializer(result.membership).data)

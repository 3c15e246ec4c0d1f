"""Certificates API: the same access paths as the pages (visible_to for reading, the cohort's
managers for issuing, revoking and bulk runs), errors through core.api.call_service."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Membership, access_key
from cohorts.shapes import managed_cohort
from core.api import ModelSerializer, call_service, id_param, paged_list
from core.paging import ShapedList

from . import bulk, services
from .eligibility import ByName
from .models import BulkIssueRun, Certificate


class CertificateSerializer(ModelSerializer):
    display_code = serializers.CharField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id", "cohort", "trainee", "version", "status", "code", "display_code", "name_ar",
            "name_latin", "programme_ar", "programme_en", "cohort_name_ar", "cohort_name_en",
            "starts_on", "ends_on", "issued_on", "sha256", "revoked_at", "revocation_reason",
            "superseded_by",
        ]  # fmt: skip


class EligibilitySerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    attendance_percent = serializers.IntegerField(allow_null=True)
    completion_percent = serializers.IntegerField()


class EligibilityPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EligibilitySerializer(many=True)


class RunSerializer(ModelSerializer):
    class Meta:
        model = BulkIssueRun
        fields = ["id", "cohort", "status", "total", "done", "failed", "failures", "percent"]


class CohortInput(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class IssueInput(CohortInput):
    trainee = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


COHORT = OpenApiParameter("cohort", int, required=True)
PAGING = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def _listed(user_id, **key):
    """The API's list: what `visible_to` shows, newest first."""
    return Certificate.objects.visible_to_person(user_id, **key).order_by("-id")


def _listed_of(user_id, cohort_id, **key):
    return _listed(user_id, **key).filter(cohort=cohort_id)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return Certificate.objects.visible_to(self.request.user).order_by("-id")

    def list(self, request, *args, **kwargs):
        # Read as stored SQL (core.compiled), paged as the queryset would be.
        cohort, user = id_param(request, "cohort"), request.user
        if not getattr(user, "is_authenticated", False):
            rows = []
        elif cohort is None:
            rows = ShapedList(_listed, user.pk, **access_key(user))
        else:
            rows = ShapedList(_listed_of, user.pk, cohort, **access_key(user))
        return paged_list(self, rows)

    def _cohort(self, cohort_id):
        # Cohort.objects.managed_by(user), read as stored SQL.
        cohort = managed_cohort(self.request.user, cohort_id)
        if cohort is None:
            raise Http404
        return cohort

    @extend_schema(parameters=[COHORT, *PAGING], responses=EligibilityPageSerializer)
    @action(detail=False, methods=["get"])
    def eligibility(self, request):
        """Every active trainee's eligibility, by name, a page at a time (25, `page_size` up to
        100): a cohort of 1,000 in one answer weighed 200 KB."""
        cohort = id_param(request, "cohort")
        if cohort is None:
            raise serializers.ValidationError({"cohort": ["This field is required."]})
        # By name, then person; a page read as a page (the paginator slices ByName).
        verdicts = ByName(
            self._cohort(cohort),
            self.paginator.get_page_size(request),
            page=request.query_params.get(self.paginator.page_query_param) or 1,
        )
        page = self.paginate_queryset(verdicts)
        return self.get_paginated_response(EligibilitySerializer(page, many=True).data)

    @extend_schema(request=IssueInput, responses=CertificateSerializer)
    @action(detail=False, methods=["post"])
    def issue(self, request):
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        cohort = self._cohort(data.validated_data["cohort"])
        member = get_object_or_404(
            Membership.objects.active().trainees().select_related("user"),
            cohort=cohort,
            user_id=data.validated_data["trainee"],
        )
        cert = call_service(
            services.issue_certificate, cohort=cohort, trainee=member.user, actor=request.user
        )
        return Response(CertificateSerializer(cert).data, status=201)

    @extend_schema(request=CohortInput, responses=RunSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = CohortInput(data=request.data)
        data.is_valid(raise_exception=True)
        cohort = self._cohort(data.validated_data["cohort"])
        run = call_service(bulk.start_bulk_issue, cohort=cohort, actor=request.user)
        return Response(RunSerializer(run).data, status=202)

    @extend_schema(parameters=[COHORT], responses=RunSerializer)
    @action(detail=False, methods=["get"], url_path="bulk-progress")
    def bulk_progress(self, request):
        cohort = id_param(request, "cohort")
        if cohort is None:
            raise serializers.ValidationError({"cohort": ["This field is required."]})
        run = get_object_or_404(BulkIssueRun.objects.filter(cohort=self._cohort(cohort))[:1])
        return Response(RunSerializer(run).data)

    def _managed(self, pk):
        return get_object_or_404(Certificate.objects.managed_by(self.request.user), pk=pk)

    @extend_schema(request=ReasonInput, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        cert = self._managed(pk)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        cert = call_service(
            services.revoke_certificate,
            certificate=cert,
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(CertificateSerializer(cert).data)

    @extend_schema(request=None, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None):
        cert = call_service(
            services.reissue_certificate, certificate=self._managed(pk), actor=request.user
        )
        return Response(CertificateSerializer(cert).data, status=201)

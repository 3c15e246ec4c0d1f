"""Cohorts: the list and "my cohorts", creating and editing, status moves, applying, the
application form, curriculum, members, the dashboard with its exports, announcements."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from core.api import call_service, errors, paged_list
from courses.models import Course

from ... import dashboard as dash
from ... import exports, services
from ...models import Announcement, Application, Cohort, Membership
from .. import serializers as s
from .common import require_manager


class CohortViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cohorts visible to the caller: their own, the recruiting ones (to apply), and for staff all.
    Program managers create cohorts; a cohort's managers edit and run it."""

    serializer_class = s.CohortSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        return (
            Cohort.objects.visible_to(user)
            .annotate(
                trainee_count=Count(
                    "memberships",
                    filter=Q(
                        memberships__status=Membership.Status.ACTIVE,
                        memberships__role=Membership.Role.TRAINEE,
                    ),
                ),
                my_role=Subquery(
                    Membership.objects.active()
                    .filter(cohort=OuterRef("pk"), user=user)
                    .values("role")[:1]
                ),
            )
            .order_by("-starts_on", "id")
        )

    def _annotated(self, cohort):
        return self.get_queryset().get(pk=cohort.pk)

    @extend_schema(responses={201: s.CohortSerializer, **errors(400, 403)})
    def create(self, request, *args, **kwargs):
        if not request.user.can_manage():
            raise exceptions.PermissionDenied(_("Only program managers can create cohorts."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cohort = call_service(
            services.create_cohort, actor=request.user, **serializer.validated_data
        )
        return Response(
            self.get_serializer(self._annotated(cohort)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: s.CohortSerializer, **errors(400, 403, 404)})
    def partial_update(self, request, *args, **kwargs):
        cohort = self.get_object()
        require_manager(request.user, cohort)
        serializer = self.get_serializer(cohort, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        call_service(
            services.update_cohort, actor=request.user, cohort=cohort, **serializer.validated_data
        )
        return Response(self.get_serializer(self._annotated(cohort)).data)

    @extend_schema(responses=s.CohortSerializer(many=True))
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """The cohorts where the caller holds an active membership, with their role."""
        queryset = self.get_queryset().filter(
            pk__in=Cohort.objects.of_member(request.user).values("pk")
        )
        return paged_list(self, queryset)

    @extend_schema(
        request=s.CohortStatusSerializer,
        responses={200: s.CohortSerializer, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        cohort = self.get_object()
        serializer = s.CohortStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(
            services.change_cohort_status,
            actor=request.user,
            cohort=cohort,
            status=serializer.validated_data["status"],
        )
        return Response(self.get_serializer(self._annotated(cohort)).data)

    # --- the application form ---

    @extend_schema(
        request=s.ApplySerializer,
        responses={201: s.ApplicationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Apply to a recruiting cohort (once; trainees only)."""
        cohort = self.get_object()
        serializer = s.ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = call_service(
            services.apply_to_cohort,
            applicant=request.user,
            cohort=cohort,
            **serializer.validated_data,
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ApplicationSerializer, **errors(404)})
    @action(detail=True, methods=["get"], url_path="my-application")
    def my_application(self, request, pk=None):
        """The caller's own application to this cohort and its status."""
        cohort = self.get_object()
        application = get_object_or_404(
            Application.objects.select_related("cohort"), cohort=cohort, applicant=request.user
        )
        return Response(s.ApplicationSerializer(application).data)

    @extend_schema(methods=["get"], responses={200: s.QuestionSerializer(many=True), **errors(404)})
    @extend_schema(
        methods=["post"],
        request=s.QuestionsSerializer,
        responses={200: s.QuestionSerializer(many=True), **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def questions(self, request, pk=None):
        """The cohort's own application questions; managers replace them with POST."""
        cohort = self.get_object()
        if request.method == "POST":
            serializer = s.QuestionsSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            call_service(
                services.set_application_questions,
                actor=request.user,
                cohort=cohort,
                questions=serializer.validated_data["questions"],
            )
        return Response(s.QuestionSerializer(cohort.application_questions.all(), many=True).data)

    # --- curriculum and members ---

    @extend_schema(methods=["get"], responses={200: s.CurriculumItemSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        request=s.CurriculumSerializer,
        responses={200: s.CurriculumItemSerializer(many=True), **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def curriculum(self, request, pk=None):
        """The ordered courses with due dates; managers replace the list with POST."""
        cohort = self.get_object()
        if request.method == "POST":
            require_manager(request.user, cohort)
            serializer = s.CurriculumSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            items = serializer.validated_data["items"]
            visible = set(
                Course.objects.visible_to(request.user)
                .filter(pk__in=[i["course"].pk for i in items])
                .values_list("pk", flat=True)
            )
            if any(i["course"].pk not in visible for i in items):
                raise exceptions.ValidationError({"items": [_("Unknown course.")]})
            call_service(services.set_curriculum, actor=request.user, cohort=cohort, items=items)
        items = cohort.curriculum.select_related("course").order_by("position")
        return Response(s.CurriculumItemSerializer(items, many=True).data)

    @extend_schema(
        methods=["get"], responses={200: s.MembershipSerializer(many=True), **errors(403, 404)}
    )
    @extend_schema(
        methods=["post"],
        request=s.AddMemberSerializer,
        responses={201: s.MembershipSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """The cohort's memberships (managers only); POST adds a person with a role."""
        cohort = self.get_object()
        require_manager(request.user, cohort)
        if request.method == "POST":
            serializer = s.AddMemberSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            # Only people the manager may see: an id from another manager's cohort is unknown.
            person = (
                User.objects.visible_to(request.user)
                .filter(pk=serializer.validated_data["user"], is_active=True)
                .first()
            )
            if person is None:
                raise exceptions.ValidationError({"user": [_("Unknown person.")]})
            membership = call_service(
                services.add_member,
                actor=request.user,
                cohort=cohort,
                user=person,
                role=serializer.validated_data["role"],
            )
            return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
        memberships = (
            Membership.objects.filter(cohort=cohort)
            .select_related("user", "cohort")
            .order_by("role", "user__full_name", "id")
        )
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(s.MembershipSerializer(page, many=True).data)

    # --- dashboard ---

    def _dashboard(self, request, cohort, *, paged=True):
        query = s.DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = dict(query.validated_data)
        if not paged:
            options["page"] = None
        return dash.cohort_dashboard(cohort, **options)

    @extend_schema(
        parameters=[s.DashboardQuerySerializer],
        responses={200: s.DashboardSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        """One row per active trainee with completion %, attendance %, last activity and at-risk
        flags with reasons; aggregates for the charts. Managers of the cohort only."""
        cohort = self.get_object()
        require_manager(request.user, cohort)
        return Response(s.DashboardSerializer(self._dashboard(request, cohort)).data)

    @extend_schema(
        parameters=[
            s.DashboardQuerySerializer,
            OpenApiParameter(
                "file", str, enum=["csv", "xlsx"], description="csv (default) or xlsx"
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get"], url_path="dashboard/export")
    def dashboard_export(self, request, pk=None):
        """Exactly the rows the same filters select, in the same order (every page), as CSV
        (streamed) or XLSX."""
        cohort = self.get_object()
        require_manager(request.user, cohort)
        board = self._dashboard(request, cohort, paged=False)
        return exports.dashboard_response(board, xlsx=request.query_params.get("file") == "xlsx")

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY, **errors(403, 404)})
    @action(detail=True, methods=["get"], url_path="applications/export")
    def applications_export(self, request, pk=None):
        """Every application to the cohort as CSV (streamed), for the selection committee."""
        cohort = self.get_object()
        require_manager(request.user, cohort)
        applications = (
            Application.objects.filter(cohort=cohort)
            .select_related("applicant")
            .order_by("submitted_at", "id")
        )
        return exports.applications_response(cohort, applications)

    # --- announcements ---

    @extend_schema(methods=["get"], responses={200: s.AnnouncementSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        request=s.AnnouncementSerializer,
        responses={201: s.AnnouncementSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def announcements(self, request, pk=None):
        """Announcements to all members; managers post (sent in-app and by e-mail)."""
        cohort = self.get_object()
        if request.method == "POST":
            serializer = s.AnnouncementSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            announcement = call_service(
                services.post_announcement,
                actor=request.user,
                cohort=cohort,
                **serializer.validated_data,
            )
            return Response(
                s.AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED
            )
        announcements = Announcement.objects.visible_to(request.user).filter(cohort=cohort)
        page = self.paginate_queryset(announcements)
        return self.get_paginated_response(s.AnnouncementSerializer(page, many=True).data)

"""Viewsets of the cohorts API: cohorts (and "my cohorts"), the application form and the managers'
decisions, memberships, sessions with roll call, self check-in, excuses and sign-in sheet import,
attendance, announcements, the manager's dashboard with its exports, and the personal calendar
address. Every object comes through a `visible_to(user)` queryset (404 out of scope); an action
the person may not take on a visible object answers 403; a state that forbids it 409."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api import call_service
from courses.models import Course

from .. import dashboard as dash
from .. import exports, services
from ..models import (
    Announcement,
    Application,
    Attendance,
    Cohort,
    ExcuseRequest,
    Membership,
    Session,
)
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(description="Invalid input (error body with field messages)."),
    403: OpenApiResponse(description="Visible to you, but not yours to act on."),
    404: OpenApiResponse(description="Not found, or not visible to you."),
    409: OpenApiResponse(description="The current state forbids it (error code says why)."),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _require_manager(user, cohort):
    if not services.can_manage_cohort(user, cohort):
        raise exceptions.PermissionDenied(_("Only this cohort's managers can do this."))


def _managed_ids(user) -> set[int]:
    return set(Cohort.objects.managed_by(user).values_list("pk", flat=True))


def _flag(request, name: str) -> bool:
    return str(request.query_params.get(name, "")).lower() in ("1", "true", "yes")


# --- Cohorts --------------------------------------------------------------------------------------


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

    @extend_schema(responses={201: s.CohortSerializer, **_errors(400, 403)})
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

    @extend_schema(responses={200: s.CohortSerializer, **_errors(400, 403, 404)})
    def partial_update(self, request, *args, **kwargs):
        cohort = self.get_object()
        _require_manager(request.user, cohort)
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
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=s.CohortStatusSerializer,
        responses={200: s.CohortSerializer, **_errors(403, 404, 409)},
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
        responses={201: s.ApplicationSerializer, **_errors(400, 403, 404, 409)},
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

    @extend_schema(responses={200: s.ApplicationSerializer, **_errors(404)})
    @action(detail=True, methods=["get"], url_path="my-application")
    def my_application(self, request, pk=None):
        """The caller's own application to this cohort and its status."""
        cohort = self.get_object()
        application = get_object_or_404(
            Application.objects.select_related("cohort"), cohort=cohort, applicant=request.user
        )
        return Response(s.ApplicationSerializer(application).data)

    @extend_schema(
        methods=["get"], responses={200: s.QuestionSerializer(many=True), **_errors(404)}
    )
    @extend_schema(
        methods=["post"],
        request=s.QuestionsSerializer,
        responses={200: s.QuestionSerializer(many=True), **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
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
        responses={200: s.CurriculumItemSerializer(many=True), **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def curriculum(self, request, pk=None):
        """The ordered courses with due dates; managers replace the list with POST."""
        cohort = self.get_object()
        if request.method == "POST":
            _require_manager(request.user, cohort)
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
        methods=["get"], responses={200: s.MembershipSerializer(many=True), **_errors(403, 404)}
    )
    @extend_schema(
        methods=["post"],
        request=s.AddMemberSerializer,
        responses={201: s.MembershipSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """The cohort's memberships (managers only); POST adds a person with a role."""
        cohort = self.get_object()
        _require_manager(request.user, cohort)
        if request.method == "POST":
            serializer = s.AddMemberSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            person = User.objects.filter(
                pk=serializer.validated_data["user"], is_active=True
            ).first()
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
            options.pop("page", None)
        return dash.cohort_dashboard(cohort, **options)

    @extend_schema(
        parameters=[s.DashboardQuerySerializer],
        responses={200: s.DashboardSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        """One row per active trainee with completion %, attendance %, last activity and at-risk
        flags with reasons; aggregates for the charts. Managers of the cohort only."""
        cohort = self.get_object()
        _require_manager(request.user, cohort)
        return Response(s.DashboardSerializer(self._dashboard(request, cohort)).data)

    @extend_schema(
        parameters=[
            s.DashboardQuerySerializer,
            OpenApiParameter(
                "file", str, enum=["csv", "xlsx"], description="csv (default) or xlsx"
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get"], url_path="dashboard/export")
    def dashboard_export(self, request, pk=None):
        """Exactly the rows the same filters select, in the same order (every page), as CSV
        (streamed) or XLSX."""
        cohort = self.get_object()
        _require_manager(request.user, cohort)
        board = self._dashboard(request, cohort, paged=False)
        return exports.dashboard_response(board, xlsx=request.query_params.get("file") == "xlsx")

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY, **_errors(403, 404)})
    @action(detail=True, methods=["get"], url_path="applications/export")
    def applications_export(self, request, pk=None):
        """Every application to the cohort as CSV (streamed), for the selection committee."""
        cohort = self.get_object()
        _require_manager(request.user, cohort)
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
        responses={201: s.AnnouncementSerializer, **_errors(400, 403, 404)},
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


# --- Applications ---------------------------------------------------------------------------------


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
        cohort = self.request.query_params.get("cohort")
        if cohort and cohort.isdigit():
            queryset = queryset.filter(cohort_id=int(cohort))
        wanted = self.request.query_params.get("status")
        if wanted in Application.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    def _out(self, application):
        return _application_data(application, _managed_ids(self.request.user))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        managed = _managed_ids(request.user)
        return self.get_paginated_response([_application_data(a, managed) for a in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._out(self.get_object()))

    @extend_schema(
        request=s.DecisionSerializer,
        responses={200: s.ManagerApplicationSerializer, **_errors(400, 403, 404, 409)},
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
        responses={200: s.BulkResultSerializer, **_errors(400, 403, 404)},
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

    @extend_schema(request=None, responses={200: s.ApplicationSerializer, **_errors(403, 404, 409)})
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
        cohort = self.request.query_params.get("cohort")
        if cohort and cohort.isdigit():
            queryset = queryset.filter(cohort_id=int(cohort))
        return queryset

    @extend_schema(
        request=s.WithdrawSerializer,
        responses={200: s.MembershipSerializer, **_errors(403, 404, 409)},
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


# --- Sessions and attendance ----------------------------------------------------------------------


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions: managers see their cohorts' sessions, a facilitator the sessions they
    facilitate, trainees and mentors those of their cohorts (?cohort=, ?upcoming=1). The check-in
    code is shown only to those who take attendance."""

    serializer_class = s.SessionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = (
            Session.objects.visible_to(self.request.user)
            .select_related("cohort")
            .order_by("starts_at", "id")
        )
        cohort = self.request.query_params.get("cohort")
        if cohort and cohort.isdigit():
            queryset = queryset.filter(cohort_id=int(cohort))
        if _flag(self.request, "upcoming"):
            queryset = queryset.filter(ends_at__gt=timezone.now())
        return queryset

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.SessionUpdateSerializer
        return s.SessionSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated:
            context["attendance_takers"] = (user.pk, _managed_ids(user))
        return context

    @extend_schema(responses={201: s.SessionSerializer, **_errors(400, 403)})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cohort = data.pop("cohort")
        if not Cohort.objects.visible_to(request.user).filter(pk=cohort.pk).exists():
            raise exceptions.ValidationError({"cohort": [_("Unknown cohort.")]})
        session = call_service(services.create_session, actor=request.user, cohort=cohort, **data)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.SessionSerializer, **_errors(400, 403, 404)})
    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        call_service(
            services.update_session,
            actor=request.user,
            session=session,
            **serializer.validated_data,
        )
        return Response(s.SessionSerializer(session, context=self.get_serializer_context()).data)

    @extend_schema(
        request=s.SeriesSerializer,
        responses={201: s.SessionSerializer(many=True), **_errors(400, 403)},
    )
    @action(detail=False, methods=["post"])
    def series(self, request):
        """Generate weekly sessions on chosen weekdays between two dates (Fridays skipped by
        default), at the same Baghdad times."""
        serializer = s.SeriesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cohort = Cohort.objects.visible_to(request.user).filter(pk=data.pop("cohort")).first()
        if cohort is None:
            raise exceptions.ValidationError({"cohort": [_("Unknown cohort.")]})
        facilitator_id = data.pop("facilitator", None)
        if facilitator_id is not None:
            data["facilitator"] = User.objects.filter(pk=facilitator_id).first()
            if data["facilitator"] is None:
                raise exceptions.ValidationError({"facilitator": [_("Unknown person.")]})
        sessions = call_service(services.generate_series, actor=request.user, cohort=cohort, **data)
        return Response(
            s.SessionSerializer(sessions, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.CheckInSerializer,
        responses={200: s.AttendanceSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """A trainee checks in with the code shown in the room, during the session window only."""
        session = self.get_object()
        serializer = s.CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance = call_service(
            services.check_in,
            user=request.user,
            session=session,
            code=serializer.validated_data["code"],
        )
        return Response(s.AttendanceSerializer(attendance).data)

    @extend_schema(
        methods=["get"], responses={200: s.RosterRowSerializer(many=True), **_errors(403, 404)}
    )
    @extend_schema(
        methods=["post"],
        request=s.MarksSerializer,
        responses={200: s.AttendanceSerializer(many=True), **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """The roll call (facilitator and managers): GET the cohort's trainees with their marks,
        POST marks for one or many."""
        session = self.get_object()
        if not services.can_take_attendance(request.user, session):
            raise exceptions.PermissionDenied(
                _("Only the facilitator or the cohort's managers take attendance.")
            )
        if request.method == "POST":
            serializer = s.MarksSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            marks = {m["user"]: m["status"] for m in serializer.validated_data["marks"]}
            result = call_service(
                services.mark_roll_call,
                actor=request.user,
                session=session,
                marks=marks,
                note=serializer.validated_data.get("note", ""),
            )
            return Response(s.AttendanceSerializer(result, many=True).data)
        rows = [
            {
                "user": row.user,
                "status": row.attendance.status if row.attendance else None,
                "source": row.attendance.source if row.attendance else None,
                "excuse_status": row.excuse.status if row.excuse else None,
                "excuse_reason": row.excuse.reason if row.excuse else None,
            }
            for row in services.session_roster(session)
        ]
        return Response(s.RosterRowSerializer(rows, many=True).data)

    @extend_schema(
        request=s.ExcuseRequestSerializer,
        responses={201: s.ExcuseRequestSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def excuse(self, request, pk=None):
        """A trainee asks to be excused, before the session starts."""
        session = self.get_object()
        serializer = s.ExcuseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        excuse = call_service(
            services.request_excuse,
            user=request.user,
            session=session,
            reason=serializer.validated_data["reason"],
        )
        return Response(s.ExcuseRequestSerializer(excuse).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": s.ImportSerializer, "application/json": s.ImportSerializer},
        responses={200: s.ImportReportSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_sheet(self, request, pk=None):
        """Import a sign-in sheet (CSV: email, status, note). dry_run=true (the default) reports
        row-level errors and writes nothing; dry_run=false writes only when every row is valid
        (400 with the row errors otherwise)."""
        session = self.get_object()
        if not services.can_take_attendance(request.user, session):
            raise exceptions.PermissionDenied(
                _("Only the facilitator or the cohort's managers take attendance.")
            )
        serializer = s.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data.get("file")
        if upload is not None and upload.size > services.MAX_IMPORT_BYTES:
            raise exceptions.ValidationError({"file": [_("The file is too large.")]})
        report = call_service(
            services.import_attendance_csv,
            actor=request.user,
            session=session,
            data=upload.read() if upload is not None else serializer.validated_data["text"],
            dry_run=serializer.validated_data["dry_run"],
        )
        return Response(s.ImportReportSerializer(report).data)

    @extend_schema(request=None, responses={200: s.SessionSerializer, **_errors(403, 404)})
    @action(detail=True, methods=["post"], url_path="rotate-code")
    def rotate_code(self, request, pk=None):
        """A new check-in code (the old one stops working)."""
        session = self.get_object()
        call_service(services.rotate_check_in_code, actor=request.user, session=session)
        return Response(s.SessionSerializer(session, context=self.get_serializer_context()).data)


class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Attendance marks: a trainee sees only their own, a facilitator those of their sessions,
    managers those of their cohorts (?session=, ?cohort=)."""

    serializer_class = s.AttendanceSerializer

    def get_queryset(self):
        queryset = (
            Attendance.objects.visible_to(self.request.user)
            .select_related("user")
            .order_by("session_id", "user__full_name", "id")
        )
        for param, lookup in (("session", "session_id"), ("cohort", "session__cohort_id")):
            value = self.request.query_params.get(param)
            if value and value.isdigit():
                queryset = queryset.filter(**{lookup: int(value)})
        return queryset


class ExcuseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Excuse requests: the trainee's own; those of the sessions a facilitator runs; those of the
    cohorts a manager runs (?session=, ?status=)."""

    serializer_class = s.ExcuseRequestSerializer

    def get_queryset(self):
        queryset = (
            ExcuseRequest.objects.visible_to(self.request.user)
            .select_related("user", "session__cohort")
            .order_by("session_id", "created_at", "id")
        )
        session = self.request.query_params.get("session")
        if session and session.isdigit():
            queryset = queryset.filter(session_id=int(session))
        wanted = self.request.query_params.get("status")
        if wanted in ExcuseRequest.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        request=s.ExcuseDecisionSerializer,
        responses={200: s.ExcuseRequestSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve (the trainee is marked excused) or decline; facilitator or managers."""
        excuse = self.get_object()
        serializer = s.ExcuseDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        excuse = call_service(
            services.decide_excuse,
            actor=request.user,
            excuse=excuse,
            approve=serializer.validated_data["approve"],
        )
        return Response(s.ExcuseRequestSerializer(excuse).data)


# --- Calendar -------------------------------------------------------------------------------------


class CalendarFeedView(APIView):
    """The caller's secret calendar address (iCal, all their sessions); POST makes a new one and
    the old address stops working."""

    parser_classes = [JSONParser]

    def _url(self, request, feed):
        return request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": feed.token}))

    @extend_schema(responses=s.CalendarFeedSerializer)
    def get(self, request):
        return Response({"url": self._url(request, services.calendar_feed_for(request.user))})

    @extend_schema(request=None, responses=s.CalendarFeedSerializer)
    def post(self, request):
        feed = services.rotate_calendar_token(user=request.user)
        return Response({"url": self._url(request, feed)})

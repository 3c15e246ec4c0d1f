"""Sessions with roll call, self check-in, excuses and sign-in sheet import; attendance and
excuse requests."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from core.api import call_service, errors, id_param

from ... import services
from ...models import Attendance, Cohort, ExcuseRequest, Session
from .. import serializers as s
from .common import facilitating_ids, flag, managed_ids


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions: managers see their cohorts' sessions, a facilitator the sessions they
    facilitate (while a member of the cohort), trainees and mentors those of their cohorts
    (?cohort=, ?upcoming=1). The check-in code is shown only to those who take attendance."""

    serializer_class = s.SessionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = (
            Session.objects.visible_to(self.request.user)
            .select_related("cohort")
            .order_by("starts_at", "id")
        )
        cohort = id_param(self.request, "cohort")
        if cohort is not None:
            queryset = queryset.filter(cohort_id=cohort)
        if flag(self.request, "upcoming"):
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
            context["attendance_takers"] = (user.pk, managed_ids(user), facilitating_ids(user))
        return context

    @extend_schema(responses={201: s.SessionSerializer, **errors(400, 403)})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cohort = data.pop("cohort")
        if not Cohort.objects.visible_to(request.user).filter(pk=cohort.pk).exists():
            raise exceptions.ValidationError({"cohort": [_("Unknown cohort.")]})
        session = call_service(services.create_session, actor=request.user, cohort=cohort, **data)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.SessionSerializer, **errors(400, 403, 404)})
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
        responses={201: s.SessionSerializer(many=True), **errors(400, 403)},
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
            data["facilitator"] = (
                User.objects.visible_to(request.user).filter(pk=facilitator_id).first()
            )
            if data["facilitator"] is None:
                raise exceptions.ValidationError({"facilitator": [_("Unknown person.")]})
        sessions = call_service(services.generate_series, actor=request.user, cohort=cohort, **data)
        return Response(
            s.SessionSerializer(sessions, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.CancelSessionSerializer,
        responses={200: s.CancelledSessionSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """A manager calls off a session that has not started; everyone expected there is told
        (a message nobody can turn off) and the session leaves the schedule."""
        session = self.get_object()
        serializer = s.CancelSessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        told = call_service(
            services.cancel_session,
            actor=request.user,
            session=session,
            reason=serializer.validated_data["reason"],
        )
        return Response({"told": told})

    @extend_schema(
        request=s.CheckInSerializer,
        responses={200: s.AttendanceSerializer, **errors(400, 403, 404, 409)},
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
        methods=["get"], responses={200: s.RosterRowSerializer(many=True), **errors(403, 404)}
    )
    @extend_schema(
        methods=["post"],
        request=s.MarksSerializer,
        responses={200: s.AttendanceSerializer(many=True), **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
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
        responses={201: s.ExcuseRequestSerializer, **errors(400, 403, 404, 409)},
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
        responses={200: s.ImportReportSerializer, **errors(400, 403, 404, 409)},
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

    @extend_schema(request=None, responses={200: s.SessionSerializer, **errors(403, 404)})
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
            value = id_param(self.request, param)
            if value is not None:
                queryset = queryset.filter(**{lookup: value})
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
        session = id_param(self.request, "session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        wanted = self.request.query_params.get("status")
        if wanted in ExcuseRequest.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        request=s.ExcuseDecisionSerializer,
        responses={200: s.ExcuseRequestSerializer, **errors(400, 403, 404, 409)},
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

"""Mentoring API: my mentor / my mentees (mentorships), their meetings and goals, and match
rounds for the cohorts' managers. Objects come from visible_to(); services do the work."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Cohort
from core.api import ModelSerializer, call_service, errors, id_param, paged_list

from . import services, shapes
from .explain import reasons_text, unmatched_text
from .models import Goal, MatchProposal, MatchRound, Meeting, Mentorship
from .vocabulary import Topic

# --- serializers ---------------------------------------------------------------------------------


class MentorshipSerializer(ModelSerializer):
    mentor_name = serializers.SerializerMethodField()
    trainee_name = serializers.SerializerMethodField()
    reasons_text = serializers.SerializerMethodField()
    # Plain strings (one of Mentorship.Fit or ""): the choice set is documented once, on `fit`.
    mentor_fit = serializers.CharField(read_only=True)
    trainee_fit = serializers.CharField(read_only=True)

    class Meta:
        model = Mentorship
        fields = [
            "id",
            "cohort",
            "mentor",
            "mentor_name",
            "trainee",
            "trainee_name",
            "status",
            "score",
            "reasons_text",
            "mentor_fit",
            "trainee_fit",
            "created_at",
            "accepted_at",
        ]
        read_only_fields = fields

    def get_reasons_text(self, obj) -> str:
        return reasons_text(obj.reasons)

    # The list reads both names as columns of its own query (mentoring.shapes, the list's
    # builder); one mentorship read alone gives them through its people.
    def get_mentor_name(self, obj) -> str:
        name = obj.__dict__.get("mentor_name")
        return obj.mentor.full_name if name is None else name

    def get_trainee_name(self, obj) -> str:
        name = obj.__dict__.get("trainee_name")
        return obj.trainee.full_name if name is None else name

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Each side's view of the fit is theirs and the managers': the mentor never reads the
        # trainee's, nor the trainee the mentor's (as on the mentorship's page). Without a
        # reader to tell, neither is shown.
        request = self.context.get("request")
        reader = getattr(getattr(request, "user", None), "pk", None)
        if reader is None or reader == instance.trainee_id:
            data["mentor_fit"] = ""
        if reader is None or reader == instance.mentor_id:
            data["trainee_fit"] = ""
        return data


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class FitSerializer(serializers.Serializer):
    fit = serializers.ChoiceField(choices=Mentorship.Fit.choices)


class MeetingSerializer(ModelSerializer):
    mentorship = serializers.IntegerField(source="mentorship_id", min_value=1, max_value=2**31 - 1)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices), required=False, max_length=30
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "mentorship",
            "date",
            "duration_minutes",
            "topics",
            "private_notes",
            "next_steps",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Private notes are the mentor's and the managers', never the trainee's.
        request = self.context.get("request")
        if request is not None and instance.mentorship.trainee_id == request.user.pk:
            data["private_notes"] = ""
        return data


class GoalSerializer(ModelSerializer):
    plain_output = True  # columns of the goal (core.api.ModelSerializer)
    mentorship = serializers.IntegerField(source="mentorship_id", min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Goal
        fields = ["id", "mentorship", "text", "progress", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class MatchProposalSerializer(ModelSerializer):
    reasons_text = serializers.SerializerMethodField()
    unmatched_text = serializers.SerializerMethodField()

    class Meta:
        model = MatchProposal
        fields = ["trainee", "mentor", "score", "pinned", "reasons_text", "unmatched_text"]
        read_only_fields = fields

    def get_reasons_text(self, obj) -> str:
        return reasons_text(obj.reasons)

    def get_unmatched_text(self, obj) -> str:
        return unmatched_text(obj.unmatched_reason)


# What every view of a round says about it, before its pairs or its counts.
ROUND_FIELDS = [
    "id",
    "cohort",
    "status",
    "weight_topics",
    "weight_governorate",
    "weight_availability",
    "weight_track",
    "computed_at",
    "published_at",
]


class MatchRoundSerializer(ModelSerializer):
    proposals = MatchProposalSerializer(many=True, read_only=True)

    class Meta:
        model = MatchRound
        fields = [*ROUND_FIELDS, "proposals"]
        read_only_fields = fields


class MatchRoundSummarySerializer(ModelSerializer):
    """A round in the list: its weights and how many trainees it matched and left unmatched;
    the pairs themselves are on the round's own endpoint (a 1,000-trainee cohort's would
    weigh hundreds of kilobytes per round in the list)."""

    matched = serializers.IntegerField(read_only=True)
    unmatched = serializers.IntegerField(read_only=True)

    class Meta:
        model = MatchRound
        fields = [*ROUND_FIELDS, "matched", "unmatched"]
        read_only_fields = fields


class RunRoundSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    topics = serializers.IntegerField(min_value=0, max_value=100, required=False)
    governorate = serializers.IntegerField(min_value=0, max_value=100, required=False)
    availability = serializers.IntegerField(min_value=0, max_value=100, required=False)
    track = serializers.IntegerField(min_value=0, max_value=100, required=False)


# --- viewsets ------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter(
            "as",
            str,
            enum=["mentor", "trainee"],
            description="mentor: my mentees; trainee: my mentor.",
        )
    ]
)
class MentorshipViewSet(viewsets.ReadOnlyModelViewSet):
    """Mentorships: a mentor's own mentees, a trainee's own mentor, those of the cohorts a
    manager runs. `?as=mentor` lists my mentees, `?as=trainee` my mentor."""

    serializer_class = MentorshipSerializer

    def get_queryset(self):
        # One mentorship and its actions; the list is read as stored SQL (`list`).
        return Mentorship.objects.visible_to(self.request.user).select_related("mentor", "trainee")

    def list(self, request, *args, **kwargs):
        return paged_list(
            self, shapes.mentorship_list(request.user, request.query_params.get("as"))
        )

    @extend_schema(request=None, responses={200: MentorshipSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        m = call_service(services.accept, actor=request.user, mentorship=self.get_object())
        return Response(MentorshipSerializer(m, context={"request": request}).data)

    @extend_schema(
        request=DeclineSerializer,
        responses={200: MentorshipSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        mentorship = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        m = call_service(
            services.decline,
            actor=request.user,
            mentorship=mentorship,
            reason=body.validated_data["reason"],
        )
        return Response(MentorshipSerializer(m, context={"request": request}).data)

    @extend_schema(
        request=FitSerializer, responses={200: MentorshipSerializer, **errors(400, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def fit(self, request, pk=None):
        mentorship = self.get_object()
        body = FitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        m = call_service(
            services.report_fit,
            actor=request.user,
            mentorship=mentorship,
            fit=body.validated_data["fit"],
        )
        return Response(MentorshipSerializer(m, context={"request": request}).data)


def _mentorship(request, pk) -> Mentorship:
    m = Mentorship.objects.visible_to(request.user).filter(pk=pk).first()
    if m is None:
        raise exceptions.ValidationError({"mentorship": [_("Unknown mentorship.")]})
    return m


MENTORSHIP_PARAM = OpenApiParameter("mentorship", int, description="Only this mentorship's.")


@extend_schema(parameters=[MENTORSHIP_PARAM])
class MeetingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Meetings of the mentorships visible to you; the mentor logs them."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        # What a meeting posted may belong to is checked by `_mentorship`; the list is read as
        # stored SQL (`list`).
        return Meeting.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        return paged_list(self, shapes.meeting_list(request.user, id_param(request, "mentorship")))

    @extend_schema(responses={201: MeetingSerializer, **errors(400, 403, 409)})
    def create(self, request, *args, **kwargs):
        body = MeetingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        mentorship = _mentorship(request, data.pop("mentorship_id"))
        meeting = call_service(
            services.log_meeting, actor=request.user, mentorship=mentorship, **data
        )
        out = MeetingSerializer(meeting, context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[MENTORSHIP_PARAM])
class GoalViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Goals of the mentorships visible to you; the mentor or the mentee sets them."""

    serializer_class = GoalSerializer

    def get_queryset(self):
        return Goal.objects.visible_to(self.request.user)  # the list: `list`, as stored SQL

    def list(self, request, *args, **kwargs):
        return paged_list(self, shapes.goal_list(request.user, id_param(request, "mentorship")))

    @extend_schema(responses={201: GoalSerializer, **errors(400, 403, 409)})
    def create(self, request, *args, **kwargs):
        body = GoalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mentorship = _mentorship(request, body.validated_data["mentorship_id"])
        goal = call_service(
            services.set_goal,
            actor=request.user,
            mentorship=mentorship,
            text=body.validated_data["text"],
            progress=body.validated_data.get("progress", 0),
        )
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("cohort", int, description="Only this cohort's.")])
class MatchRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Match rounds of the cohorts you manage: the list with how many were matched, each round
    with its proposed pairs and reasons."""

    serializer_class = MatchRoundSerializer

    def get_serializer_class(self):
        return MatchRoundSummarySerializer if self.action == "list" else MatchRoundSerializer

    def get_queryset(self):
        # One round and its actions; the list is read as stored SQL (`list`).
        queryset = (
            MatchRound.objects.visible_to(self.request.user)
            .order_by("-created_at", "-pk")
            .prefetch_related("proposals")
        )
        cohort = id_param(self.request, "cohort")
        if cohort is not None:
            queryset = queryset.filter(cohort_id=cohort)
        return queryset

    def list(self, request, *args, **kwargs):
        return paged_list(self, shapes.round_list(request.user, id_param(request, "cohort")))

    @extend_schema(
        request=RunRoundSerializer,
        responses={200: MatchRoundSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=False, methods=["post"])
    def run(self, request):
        """Compute (or re-compute with these weights) the cohort's draft round."""
        body = RunRoundSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        weights = dict(body.validated_data)
        cohort_id = weights.pop("cohort")
        cohort = Cohort.objects.managed_by(request.user).filter(pk=cohort_id).first()
        if cohort is None:
            raise exceptions.NotFound()
        round_ = call_service(
            services.run_match_round, actor=request.user, cohort=cohort, weights=weights
        )
        return Response(MatchRoundSerializer(self.get_queryset().get(pk=round_.pk)).data)

    @extend_schema(request=None, responses={200: MatchRoundSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        round_ = self.get_object()
        call_service(services.publish_match_round, actor=request.user, round=round_)
        return Response(MatchRoundSerializer(self.get_queryset().get(pk=round_.pk)).data)

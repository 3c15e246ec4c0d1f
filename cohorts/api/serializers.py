"""Serializers of the cohorts API: read shapes for cohorts, applications, memberships, sessions,
attendance, excuses, announcements and dashboard rows, and the input shapes of the actions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IdField, ModelSerializer

from .. import dashboard_extensions
from ..dashboard import FLAG_CHOICES, SORT_CHOICES
from ..models import (
    Announcement,
    Application,
    ApplicationQuestion,
    Attendance,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)

DECISION_CHOICES = [
    Application.Status.SHORTLISTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.REJECTED,
]


class CohortSerializer(ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    trainee_count = serializers.IntegerField(read_only=True)
    my_role = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Cohort
        fields = [
            "id", "name", "name_en", "display_name", "description", "description_en", "track",
            "governorate", "venue", "starts_on", "ends_on", "applications_close_on", "capacity",
            "status",
            "min_attendance_percent", "requires_approved_initiative", "trainee_count", "my_role",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "trainee_count", "my_role"]


class CohortStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Cohort.Status.choices)


class CurriculumItemSerializer(ModelSerializer):
    course_title = serializers.CharField(source="course.display_title", read_only=True)

    class Meta:
        model = CurriculumItem
        fields = ["course", "course_title", "position", "due_on", "required"]
        read_only_fields = ["position", "course_title"]


class CurriculumSerializer(serializers.Serializer):
    items = CurriculumItemSerializer(many=True)


class QuestionSerializer(ModelSerializer):
    display_text = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationQuestion
        fields = ["id", "position", "text", "text_en", "display_text", "required"]
        read_only_fields = ["id", "position", "display_text"]


class QuestionsSerializer(serializers.Serializer):
    questions = QuestionSerializer(many=True)


class ApplySerializer(serializers.Serializer):
    motivation = serializers.CharField(max_length=4000)
    civic_experience = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    availability = serializers.CharField(max_length=4000)
    consent = serializers.BooleanField(
        help_text="Consent to the programme's use of the applicant's data; must be true."
    )
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        required=False,
        help_text="Answers to the cohort's own questions, by question id.",
    )


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    full_name_latin = serializers.CharField()


class ApplicationSerializer(ModelSerializer):
    """What the applicant sees of their own application."""

    cohort_name = serializers.CharField(source="cohort.display_name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "cohort", "cohort_name", "status", "motivation", "civic_experience",
            "availability", "answers", "consented_at", "submitted_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class ManagerApplicationSerializer(ApplicationSerializer):
    """What the cohort's managers see: the applicant and the internal note too."""

    applicant = PersonRefSerializer(read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "applicant", "decision_note"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    overflow = serializers.ChoiceField(
        choices=["refuse", "waitlist"],
        default="refuse",
        help_text="When accepting into a full cohort: refuse (409 cohort_full) or waitlist.",
    )


class BulkDecisionSerializer(serializers.Serializer):
    cohort = IdField()
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=1000)
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    overflow = serializers.ChoiceField(choices=["refuse", "waitlist"], default="waitlist")


class BulkResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    failed = serializers.DictField(child=serializers.CharField())


class MembershipSerializer(ModelSerializer):
    user = PersonRefSerializer(read_only=True)
    cohort_name = serializers.CharField(source="cohort.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "cohort", "cohort_name", "user", "role", "status", "joined_at", "left_at"]
        read_only_fields = fields


class AddMemberSerializer(serializers.Serializer):
    user = IdField()
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SessionSerializer(ModelSerializer):
    place = serializers.CharField(read_only=True)
    check_in_code = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id", "cohort", "title", "title_en", "description", "format", "mode", "venue",
            "online_url", "facilitator", "starts_at", "ends_at", "place", "check_in_code",
        ]  # fmt: skip
        read_only_fields = ["id", "place", "check_in_code"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_check_in_code(self, session) -> str | None:
        """Only for the facilitator (while a member of the cohort) and the cohort's managers
        (they show it in the room)."""
        takers = self.context.get("attendance_takers")
        if takers is None:
            return None
        user_id, managed, facilitating = takers
        if session.cohort_id in managed or (
            session.facilitator_id == user_id and session.cohort_id in facilitating
        ):
            return session.check_in_code
        return None


class SessionUpdateSerializer(SessionSerializer):
    class Meta(SessionSerializer.Meta):
        read_only_fields = ["id", "cohort", "place", "check_in_code"]


class SeriesSerializer(serializers.Serializer):
    cohort = IdField()
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=Session.Format.choices, default="workshop")
    mode = serializers.ChoiceField(choices=Session.Mode.choices, default="in_person")
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    facilitator = IdField(required=False, allow_null=True)
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        help_text="Days of the week, Monday=0 … Sunday=6.",
    )
    start_time = serializers.TimeField(help_text="Baghdad time.")
    end_time = serializers.TimeField(help_text="Baghdad time.")
    skip_fridays = serializers.BooleanField(default=True)


class AttendanceSerializer(ModelSerializer):
    user = PersonRefSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "user", "status", "source", "marked_at", "note"]
        read_only_fields = fields


class RosterRowSerializer(serializers.Serializer):
    user = PersonRefSerializer()
    status = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    excuse_status = serializers.CharField(allow_null=True)
    excuse_reason = serializers.CharField(allow_null=True)


class MarkSerializer(serializers.Serializer):
    user = IdField()
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class MarksSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, min_length=1, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class CancelSessionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CancelledSessionSerializer(serializers.Serializer):
    told = serializers.IntegerField(help_text="How many people were told.")


class ExcuseRequestSerializer(ModelSerializer):
    user = PersonRefSerializer(read_only=True)

    class Meta:
        model = ExcuseRequest
        fields = ["id", "session", "user", "reason", "status", "created_at", "decided_at"]
        read_only_fields = ["id", "session", "user", "status", "created_at", "decided_at"]


class ExcuseDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="CSV with the columns email, status and optional note."
    )
    text = serializers.CharField(
        required=False, max_length=512 * 1024, help_text="The same CSV as text (instead of a file)."
    )
    dry_run = serializers.BooleanField(default=True)

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("text"):
            raise serializers.ValidationError({"file": [_("Send the sheet as a file or as text.")]})
        return attrs


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    previous_status = serializers.CharField()


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    valid = serializers.BooleanField()
    written = serializers.IntegerField()
    rows = ImportRowSerializer(many=True)
    errors = ImportErrorSerializer(many=True)


class AnnouncementSerializer(ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["id", "cohort", "title", "body", "created_at", "sent_at", "recipient_count"]
        read_only_fields = ["id", "cohort", "created_at", "sent_at", "recipient_count"]


class DashboardQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    flag = serializers.ChoiceField(choices=FLAG_CHOICES, required=False, allow_blank=True)
    governorate = serializers.CharField(required=False, allow_blank=True, max_length=20)
    sort = serializers.ChoiceField(choices=SORT_CHOICES, required=False, default="risk")
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Reasons registered by higher apps are known once every app is ready.
        self.fields["flag"].choices = dashboard_extensions.FLAG_CHOICES


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()


class DashboardRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    name_latin = serializers.CharField()
    email = serializers.CharField()
    completion_percent = serializers.IntegerField()
    attendance_percent = serializers.IntegerField(allow_null=True)
    sessions_attended = serializers.IntegerField()
    sessions_counted = serializers.IntegerField()
    last_activity = serializers.DateTimeField(allow_null=True)
    mentor = serializers.CharField()
    initiative = serializers.CharField()
    # Every column other apps add ({"mentor": ..., "initiative": ..., "certificate": ...}).
    columns = serializers.DictField(child=serializers.CharField())
    at_risk = serializers.BooleanField()
    flags = FlagSerializer(many=True)


class BucketSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SessionStatSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    starts_at = serializers.DateTimeField()
    present = serializers.IntegerField()
    late = serializers.IntegerField()
    excused = serializers.IntegerField()
    absent = serializers.IntegerField()
    unmarked = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    taken = serializers.BooleanField(help_text="False: the session ended without a roll call.")


class DashboardSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    sort = serializers.CharField()
    total_trainees = serializers.IntegerField()
    at_risk_count = serializers.IntegerField()
    average_completion = serializers.IntegerField(allow_null=True)
    average_attendance = serializers.IntegerField(allow_null=True)
    flag_counts = serializers.DictField(child=serializers.IntegerField())
    distribution = BucketSerializer(many=True)
    sessions = SessionStatSerializer(many=True)
    results = DashboardRowSerializer(many=True, source="rows")


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()

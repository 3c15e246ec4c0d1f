"""Mentor profiles, trainee intakes, match rounds (draft proposals, pins, forbids), mentorships,
their meetings and goals.

Access: one path per model, `Model.objects.visible_to(user)`. Nothing of a round is visible to
trainees or mentors before it is published; a mentor sees their own mentees only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Governorate, User
from cohorts.models import Cohort, Membership, is_staff, signed_in

from .vocabulary import SLOT_CHOICES, Language, Topic


class ChoiceList(models.JSONField):
    """A list of choice values (topics, languages, time slots), stored as JSON so that the same
    schema serves PostgreSQL and the embedded SQLite default; every item must be a known choice."""

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = [(value, label) for value, label in item_choices]
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _label in self.item_choices}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(_("Choose from the list."), code="invalid_choice")


def _managed_cohorts(user_id):
    """The cohorts a signed-in person who is not staff manages, by id (`managed_by_person`, the
    rule `Cohort.objects.managed_by` calls; the callers have checked both flags)."""
    return Cohort.objects.managed_by_person(user_id, signed_in=True, staff=False)


def topics_field(verbose):
    return ChoiceList(item_choices=Topic.choices, verbose_name=verbose)


def languages_field():
    return ChoiceList(item_choices=Language.choices, verbose_name=_("languages"))


def slots_field():
    return ChoiceList(item_choices=SLOT_CHOICES, verbose_name=_("availability"))


# A mentor takes mentees when they say so and their capacity is above 0; every other mentor is
# paused (capacity 0 means the same as not taking mentees). The one rule of the querysets, the
# annotations of the round and load pages, and `MentorProfile.is_paused`.
TAKING_MENTEES = Q(is_available=True, capacity__gt=0)


def taking_flag():
    """1 when the profile takes mentees, else 0, as an annotation (TAKING_MENTEES)."""
    return Case(When(TAKING_MENTEES, then=1), default=0, output_field=models.IntegerField())


def takes_mentees(is_available: bool, capacity: int) -> bool:
    """TAKING_MENTEES for values already read."""
    return bool(is_available) and capacity > 0


class MentorProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and program managers of any cohort see all mentor profiles (to run rounds);
        a mentor sees their own."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id; `staff` is `is_staff(user)`.
        Whether the person runs a cohort is part of the SQL (an EXISTS that does not depend on
        the row), not a query of its own, so compiled shapes build the rule from the id."""
        if staff:
            return self.all()
        return self.filter(Q(user=user_id) | Q(models.Exists(_managed_cohorts(user_id))))

    def taking_mentees(self):
        """Mentors a round may match: taking mentees, with a capacity above 0, active."""
        return self.filter(TAKING_MENTEES, user__is_active=True)

    def paused(self):
        """Mentors who asked for no mentees for now: not taking mentees, or capacity 0."""
        return self.exclude(TAKING_MENTEES)


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        verbose_name=_("mentor"),
    )
    topics = topics_field(_("expertise"))
    languages = languages_field()
    governorate = models.CharField(
        _("governorate"), max_length=20, choices=Governorate.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=10, choices=User.Gender.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_("How many mentees at once."),
    )
    availability = slots_field()
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    is_available = models.BooleanField(_("taking mentees"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0) & Q(capacity__lte=20),
                name="mentoring_capacity_range",
            )
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_paused(self) -> bool:
        """Capacity 0 means the same as not taking mentees: never matched, shown as paused."""
        return not takes_mentees(self.is_available, self.capacity)


class TraineeIntakeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        return self.filter(
            Q(membership__user=user) | Q(membership__cohort__in=Cohort.objects.managed_by(user))
        )


class TraineeIntake(models.Model):
    """What a trainee brings to matching, one per cohort membership."""

    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        related_name="mentoring_intake",
        verbose_name=_("membership"),
    )
    topics = topics_field(_("interests and goals"))
    languages = languages_field()
    governorate = models.CharField(
        _("governorate"), max_length=20, choices=Governorate.choices, blank=True
    )
    availability = slots_field()
    same_gender_preference = models.BooleanField(_("I prefer a mentor of my gender"), default=False)
    goals = models.TextField(_("what I hope to gain"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TraineeIntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("trainee intake")
        verbose_name_plural = _("trainee intakes")

    def __str__(self):
        return str(self.membership)


DEFAULT_WEIGHTS = {"topics": 10, "governorate": 10, "availability": 4, "track": 5}


class MatchRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds are a managers' tool: staff all, managers their cohorts', nobody else."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id (see Mentorship's)."""
        if staff:
            return self.all()
        return self.filter(cohort__in=_managed_cohorts(user_id))


class MatchRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="match_rounds", verbose_name=_("cohort")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    weight_topics = models.PositiveSmallIntegerField(
        _("weight: each shared topic"), default=10, validators=[MaxValueValidator(100)]
    )
    weight_governorate = models.PositiveSmallIntegerField(
        _("weight: same governorate"), default=10, validators=[MaxValueValidator(100)]
    )
    weight_availability = models.PositiveSmallIntegerField(
        _("weight: each overlapping slot"), default=4, validators=[MaxValueValidator(100)]
    )
    weight_track = models.PositiveSmallIntegerField(
        _("weight: mentor in the cohort's track"), default=5, validators=[MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = MatchRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("match round")
        verbose_name_plural = _("match rounds")
        ordering = ["-created_at"]
        constraints = [
            # At most one draft round per cohort at a time.
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(status="draft"),
                name="mentoring_one_draft_round_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(weight_topics__lte=100)
                & Q(weight_governorate__lte=100)
                & Q(weight_availability__lte=100)
                & Q(weight_track__lte=100),
                name="mentoring_round_weights_range",
            ),
        ]

    def __str__(self):
        return f"{self.cohort} #{self.pk}"

    @property
    def weights(self) -> dict:
        return {
            "topics": self.weight_topics,
            "governorate": self.weight_governorate,
            "availability": self.weight_availability,
            "track": self.weight_track,
        }


class _RoundPair(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, verbose_name=_("round"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("trainee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        abstract = True


class MatchPin(_RoundPair):
    """A pair the manager fixed: placed first, the rest is optimised around it."""

    class Meta:
        verbose_name = _("pinned pair")
        verbose_name_plural = _("pinned pairs")
        constraints = [
            # A trainee is pinned to one mentor at most.
            models.UniqueConstraint(
                fields=["round", "trainee"], name="mentoring_one_pin_per_trainee"
            )
        ]

    def __str__(self):
        return f"{self.trainee_id} → {self.mentor_id}"


class MatchForbid(_RoundPair):
    """A pair the manager ruled out."""

    class Meta:
        verbose_name = _("forbidden pair")
        verbose_name_plural = _("forbidden pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "trainee", "mentor"], name="mentoring_unique_forbid"
            )
        ]

    def __str__(self):
        return f"{self.trainee_id} ✕ {self.mentor_id}"


class MatchProposal(models.Model):
    """One row of a round's draft: a trainee, the proposed mentor (or none) and why."""

    round = models.ForeignKey(
        MatchRound, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("round")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("trainee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    score = models.IntegerField(_("score"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    # Machine-readable parts, rendered in the reader's language by mentoring.explain:
    # [{"kind": "topics", "points": 30, "items": ["elections", ...]}, ...]
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # {"code": "no_language", "language": "ku"} when no mentor was found.
    unmatched_reason = models.JSONField(_("why unmatched"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "trainee"], name="mentoring_one_proposal_per_trainee"
            ),
            models.CheckConstraint(
                condition=Q(mentor__isnull=False) | Q(unmatched_reason__isnull=False),
                name="mentoring_unmatched_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.trainee_id} → {self.mentor_id}"


class MentorshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A mentor their own mentorships, a trainee their own, cohort managers those of their
        cohorts, staff all. Only published rounds ever create mentorships."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id; `staff` is `is_staff(user)`.
        The one rule, which compiled shapes (core.compiled) build from the id and the flag."""
        if staff:
            return self.all()
        return self.filter(
            Q(mentor=user_id) | Q(trainee=user_id) | Q(cohort__in=_managed_cohorts(user_id))
        )

    def current(self):
        return self.filter(status__in=Mentorship.CURRENT)

    def in_force(self):
        """Active mentorships whose trainee still belongs to the cohort: what gives a mentor
        sight of the trainee's progress, pages and proposals. A trainee removed from the cohort
        (membership withdrawn) is no longer anyone's mentee there; a completed membership keeps
        its mentor."""
        still_member = Membership.objects.filter(
            cohort=models.OuterRef("cohort"),
            user=models.OuterRef("trainee"),
            role=Membership.Role.TRAINEE,
        ).exclude(status=Membership.Status.WITHDRAWN)
        return self.filter(status=Mentorship.Status.ACTIVE).filter(models.Exists(still_member))


class Mentorship(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the mentor")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    class Fit(models.TextChoices):
        GOOD = "good", _("Good fit")
        OK = "ok", _("Acceptable")
        POOR = "poor", _("Poor fit")

    CURRENT = (Status.PROPOSED, Status.ACTIVE)

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="mentorships", verbose_name=_("cohort")
    )
    round = models.ForeignKey(
        MatchRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
        verbose_name=_("round"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_trainee",
        verbose_name=_("trainee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    score = models.IntegerField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=1000, blank=True)
    mentor_fit = models.CharField(
        _("mentor's view of the fit"), max_length=5, choices=Fit.choices, blank=True
    )
    trainee_fit = models.CharField(
        _("trainee's view of the fit"), max_length=5, choices=Fit.choices, blank=True
    )
    needs_rematch = models.BooleanField(_("queued for re-matching"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "trainee"],
                condition=Q(status__in=["proposed", "active"]),
                name="mentoring_one_current_mentorship_per_trainee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("trainee")), name="mentoring_not_own_mentor"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"], name="mentoring_mentor_status")]

    def __str__(self):
        return f"{self.mentor} → {self.trainee}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(mentorship__in=Mentorship.objects.visible_to(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id (see Mentorship's)."""
        return self.filter(
            mentorship__in=Mentorship.objects.visible_to_person(user_id, staff=staff)
        )


class Meeting(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("mentorship")
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    topics = topics_field(_("topics"))
    # Visible to the mentor and the cohort's managers only, never to the trainee.
    private_notes = models.TextField(_("private notes"), max_length=4000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("logged"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=600),
                name="mentoring_meeting_duration_range",
            )
        ]
        # A pair's last meeting (the newest row of its mentorship) and whether it met since a
        # day, read per pair by the mentor load page's quiet pairs (mentoring.load_reads).
        indexes = [models.Index(fields=["mentorship", "date"], name="mentoring_meeting_last")]

    def __str__(self):
        return f"{self.mentorship_id} {self.date}"


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(mentorship__in=Mentorship.objects.visible_to(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id (see Mentorship's)."""
        return self.filter(
            mentorship__in=Mentorship.objects.visible_to_person(user_id, staff=staff)
        )


class Goal(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="goals", verbose_name=_("mentorship")
    )
    text = models.CharField(_("goal"), max_length=300)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="mentoring_goal_progress_range",
            )
        ]

    def __str__(self):
        return self.text

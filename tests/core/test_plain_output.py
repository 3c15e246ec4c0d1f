"""`plain_output` serializers (core.api.ModelSerializer) write what REST framework's own
to_representation writes, from fields built once per class: for people with every kind of value
(none, blank, Arabic, Kurdish, emoji, the largest birth year), in both languages; a serializer
with a field that is not plain is refused rather than written wrongly."""

import pytest
from django.utils import translation
from rest_framework import serializers

from accounts.api import MeSerializer
from accounts.models import User
from core.api import ModelSerializer
from mentoring.api import GoalSerializer
from mentoring.models import Goal, Mentorship
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _people():
    return [
        TraineeFactory(),
        TraineeFactory(
            full_name="هه‌ژار 🌟 <b>",
            full_name_latin='Hazhar "Q"',
            phone="+9647701234567",
            governorate="najaf",
            gender="male",
            birth_year=2009,
        ),
        ManagerFactory(full_name="زَيْنَب", full_name_latin="", phone="", birth_year=None),
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_me_is_written_as_rest_framework_writes_it(language):
    with translation.override(language):
        for person in _people():
            person = User.objects.get(pk=person.pk)
            serializer = MeSerializer(person)
            expected = serializers.ModelSerializer.to_representation(serializer, person)
            assert serializer.data == expected
            assert list(serializer.data) == list(expected)  # the same keys, in order


@pytest.mark.parametrize("language", ["ar", "en"])
def test_goals_are_written_as_rest_framework_writes_them(language):
    trainee, mentor, manager = TraineeFactory(), MentorFactory(), ManagerFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee])
    pair = Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=trainee, status=Mentorship.Status.ACTIVE
    )
    goals = [
        Goal.objects.create(mentorship=pair, text="هدف <b> & 🌟", progress=0),
        Goal.objects.create(mentorship=pair, text="x" * 300, progress=100),
    ]
    with translation.override(language):
        for goal in Goal.objects.filter(pk__in=[g.pk for g in goals]):
            serializer = GoalSerializer(goal)
            expected = serializers.ModelSerializer.to_representation(serializer, goal)
            assert serializer.data == expected and list(serializer.data) == list(expected)
        many = GoalSerializer(Goal.objects.order_by("pk"), many=True).data
        assert [dict(row) for row in many] == [
            serializers.ModelSerializer.to_representation(GoalSerializer(g), g)
            for g in Goal.objects.order_by("pk")
        ]


def test_a_field_that_is_not_plain_is_refused():
    class WithMethod(ModelSerializer):
        plain_output = True
        initials = serializers.SerializerMethodField()

        class Meta:
            model = User
            fields = ["id", "initials"]

        def get_initials(self, obj):
            return obj.full_name[:1]

    class ThroughRelation(ModelSerializer):
        plain_output = True
        email_again = serializers.CharField(source="mentor_profile.bio")

        class Meta:
            model = User
            fields = ["id", "email_again"]

    class FromProperty(ModelSerializer):
        plain_output = True
        name = serializers.CharField(source="display_name", read_only=True)

        class Meta:
            model = User
            fields = ["id", "name"]

    person = TraineeFactory()
    for serializer_class in (WithMethod, ThroughRelation, FromProperty):
        with pytest.raises(TypeError):
            serializer_class(person).data  # noqa: B018

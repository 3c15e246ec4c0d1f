"""The API's model serializers build their fields from the model once per class and language
(core.api.ModelSerializer): every one of them still gets exactly the fields REST framework would
build, in each language, and each serializer its own copies."""

import pytest
from django.utils import translation
from rest_framework import serializers

import accounts.api
import certificates.api
import cohorts.api.serializers
import courses.api.serializers
import mentoring.api
import notifications.api
import proposals.api.serializers
from core.api import ModelSerializer, _fresh

MODULES = [
    accounts.api,
    certificates.api,
    cohorts.api.serializers,
    courses.api.serializers,
    mentoring.api,
    notifications.api,
    proposals.api.serializers,
]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


SERIALIZERS = sorted(
    {cls for cls in _subclasses(ModelSerializer) if cls.__module__.split(".")[0] != "tests"},
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def test_every_model_serializer_of_the_api_uses_the_kept_fields():
    plain = [
        f"{module.__name__}.{name}"
        for module in MODULES
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, serializers.ModelSerializer)
        and value.__module__ == module.__name__
        and not issubclass(value, ModelSerializer)
    ]
    assert plain == []
    assert len(SERIALIZERS) >= 25


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "serializer_class", SERIALIZERS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}"
)
def test_the_fields_are_those_rest_framework_builds(serializer_class, language):
    with translation.override(language):
        for _ in range(2):  # built, then kept
            kept = serializer_class().get_fields()
            built = serializers.ModelSerializer.get_fields(serializer_class())
            assert list(kept) == list(built)
            for name in built:
                assert repr(kept[name]) == repr(built[name]), name
                assert str(kept[name].label) == str(built[name].label), name


def test_labels_follow_the_language_of_the_request():
    with translation.override("en"):
        english = str(accounts.api.MeSerializer().fields["full_name"].label)
    with translation.override("ar"):
        arabic = str(accounts.api.MeSerializer().fields["full_name"].label)
    assert english != arabic
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic)


def test_each_serializer_gets_its_own_fields():
    one, two = accounts.api.MeSerializer(), accounts.api.MeSerializer()
    one.fields["full_name"].max_length = 3
    one.fields.pop("email")
    assert two.fields["full_name"].max_length != 3
    assert "email" in two.fields
    assert accounts.api.MeSerializer().fields["full_name"].max_length != 3


def test_a_fresh_field_shares_nothing_its_serializer_could_change():
    template = serializers.ChoiceField(
        choices=[("a", "A"), ("b", "B")],
        validators=[lambda value: None],
        error_messages={"invalid_choice": "no"},
    )
    one, two = _fresh(template), _fresh(template)
    assert type(one) is serializers.ChoiceField and one is not template
    one.validators.append(lambda value: None)
    one.error_messages["invalid_choice"] = "changed"
    one.choices = [("z", "Z")]
    assert len(two.validators) == 1 and len(template.validators) == 1
    assert two.error_messages["invalid_choice"] == "no"
    assert list(two.choices) == ["a", "b"] and list(template.choices) == ["a", "b"]


def test_fields_holding_mutable_values_are_deep_copied():
    child = serializers.ListField(child=serializers.CharField())
    with_default = serializers.ListField(default=list, required=False)
    listed = serializers.CharField(default=["x"])
    for template in (child, with_default, listed):
        copied = _fresh(template)
        assert copied is not template
    assert _fresh(child).child is not child.child
    assert _fresh(listed).default is not listed.default
    assert _fresh(listed).default == ["x"]

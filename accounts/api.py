"""API for people: the signed-in person's own profile, and the directory for managers."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response

from core.api import ModelSerializer, call_service

from . import directory, services
from .models import (
    PERSONAL_FIELDS,
    Governorate,
    User,
    clean_latin_name,
    clean_phone,
    validate_birth_year,
)


class MeSerializer(ModelSerializer):
    plain_output = True  # text, choices and a number (core.api.ModelSerializer)

    class Meta:
        model = User
        fields = ["id", "email", *PERSONAL_FIELDS, "role"]
        read_only_fields = ["id", "email", "role"]

    def validate_phone(self, value):
        return clean_phone(value)

    def validate_full_name_latin(self, value):
        return clean_latin_name(value)

    def validate_birth_year(self, value):
        validate_birth_year(value)
        return value


class PersonSerializer(ModelSerializer):
    # Declared so that the schema allows the blank a person without a governorate has.
    governorate = serializers.ChoiceField(
        choices=Governorate.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = User
        fields = list(directory.API_COLUMNS)
        read_only_fields = fields


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=User.Role.choices)


class MeView(RetrieveUpdateAPIView):
    """The signed-in person's own profile."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        services.update_profile(user=self.request.user, data=serializer.validated_data)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People visible to the caller: managers see everyone, others only themselves."""

    serializer_class = PersonSerializer

    def get_queryset(self):
        # Only the columns the serializer shows: never the password hash, and less to read.
        return (
            User.objects.visible_to(self.request.user)
            .only(*PersonSerializer.Meta.fields)
            .order_by("full_name", "id")
        )

    def list(self, request, *args, **kwargs):
        """The people visible to the caller, in name order: the serializer's fields read as
        plain values through compiled shapes (accounts.directory), written as the serializer
        writes them (its fields give each value as it is read)."""
        page = self.paginate_queryset(directory.People(request.user, directory.API_COLUMNS))
        return self.get_paginated_response(
            [dict(zip(directory.API_COLUMNS, row, strict=True)) for row in page]
        )

    @extend_schema(request=RoleSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"], url_path="role")
    def set_role(self, request, pk=None):
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied(_("Only staff can change a person's global role."))
        person = self.get_object()
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(
            services.set_role,
            actor=request.user,
            user=person,
            role=serializer.validated_data["role"],
        )
        return Response(PersonSerializer(person).data)

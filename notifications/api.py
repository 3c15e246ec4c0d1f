"""API for the reader's own notifications."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import IdField, ModelSerializer

from . import services
from .models import Notification, Preference


class NotificationSerializer(ModelSerializer):
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False)


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.for_recipient(self.request.user)

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="read")
    def mark_read(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.mark_read(
            user=request.user, notification_ids=serializer.validated_data.get("ids")
        )
        return Response({"marked": marked})


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=64)
    mode = serializers.ChoiceField(choices=Preference.Mode.choices)
    can_turn_off = serializers.BooleanField(read_only=True)
    digestible = serializers.BooleanField(read_only=True)


class NotificationPreferenceViewSet(viewsets.ViewSet):
    """The reader's preference for every kind of notification (GET), and one change (POST):
    an unknown kind or "off" for a kind that cannot be turned off is a 400 with the reason."""

    serializer_class = PreferenceSerializer

    def _rows(self, user):
        chosen = services.preferences_of(user)
        return [
            {
                "kind": kind.key,
                "mode": chosen.get(kind.key, Preference.Mode.IMMEDIATE),
                "can_turn_off": kind.can_turn_off,
                "digestible": kind.digestible,
            }
            for kind in services.choosable_kinds()
        ]

    @extend_schema(responses=PreferenceSerializer(many=True))
    def list(self, request):
        return Response(self._rows(request.user))

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def create(self, request):
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.set_preference(
                user=request.user,
                kind=serializer.validated_data["kind"],
                mode=serializer.validated_data["mode"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        row = next(
            r for r in self._rows(request.user) if r["kind"] == serializer.validated_data["kind"]
        )
        return Response(row)

from django.contrib import admin

from . import unread
from .models import Delivery, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]

    # The recipients' unread badges: a save moves them through post_save, a deletion here.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        unread.changed(obj.recipient_id)

    def delete_queryset(self, request, queryset):
        recipients = set(queryset.values_list("recipient_id", flat=True))
        super().delete_queryset(request, queryset)
        unread.changed(*recipients)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "occurrence", "status", "not_before"]
    list_filter = ["kind", "status"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "notification"]
    search_fields = ["object_key"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "mode", "updated_at"]
    list_filter = ["kind", "mode"]
    raw_id_fields = ["user"]

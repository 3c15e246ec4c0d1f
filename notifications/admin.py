from django.contrib import admin

from .models import Delivery, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


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

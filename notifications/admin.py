from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]

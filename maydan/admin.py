"""The Django admin: placements and settings editable; the audit trail and entries read-only."""
from django.contrib import admin

from .models import (Agency, AgencyLink, AuditEvent, Course, GradeOutbox, LogEntry, Membership, Notification, Person,
                     Placement, Preference)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "issuer", "context_id", "program", "target_hours", "time_zone")
    search_fields = ("title", "context_id")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "issuer", "subject")
    search_fields = ("name", "subject", "email")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "course", "role")
    list_filter = ("role",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "course", "address", "contact")
    list_filter = ("kind",)
    search_fields = ("name", "address", "contact")


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("student", "course", "host_agency", "starts_on", "ends_on", "academic_supervisor",
                    "agency_supervisor", "target_hours")
    list_filter = ("host_agency",)
    search_fields = ("student__name", "agency", "host_agency__name")
    raw_id_fields = ("student", "academic_supervisor", "agency_supervisor", "host_agency")


class ReadOnly(admin.ModelAdmin):
    """Records only the services write: changing them here would bypass the rules and the audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnly):
    list_display = ("placement", "date", "minutes", "activity_type", "status")
    list_filter = ("status", "activity_type")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "action", "actor", "via", "entry", "placement")
    list_filter = ("action",)


@admin.register(AgencyLink)
class AgencyLinkAdmin(ReadOnly):
    list_display = ("placement", "supervisor_name", "created_at", "expires_at", "revoked_at")


@admin.register(GradeOutbox)
class GradeOutboxAdmin(ReadOnly):
    list_display = ("student", "destination", "score", "created_at", "delivered_at", "attempts", "last_error")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was sent to whom, why, when due and when sent: read-only, the record of what people were told."""

    list_display = ("address", "kind", "subject", "reason", "due_at", "sent_at", "attempts", "last_error")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("address", "subject", "reason")
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("address", "kind", "cadence", "updated_at")
    list_filter = ("kind", "cadence")
    search_fields = ("address",)

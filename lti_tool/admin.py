from django.contrib import admin

from .models import Registration, ResourceLink, ToolKey


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("issuer", "client_id", "created")
    search_fields = ("issuer", "client_id")


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    list_display = ("kid", "created", "active")
    list_filter = ("active",)
    # The private key never shows in the admin; only its public half and the switch.
    fields = ("kid", "public_jwk", "created", "active")
    readonly_fields = ("kid", "public_jwk", "created")

    def has_add_permission(self, request):
        return False  # keys are generated (`manage.py lti_rotate_key`), never typed in


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    list_display = ("link_id", "context_id", "activity", "registration", "updated")
    list_filter = ("activity",)
    search_fields = ("link_id", "context_id")
    readonly_fields = ("registration", "context_id", "link_id", "lineitem_url", "memberships_url", "updated")

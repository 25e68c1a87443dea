from django.contrib import admin

from .models import Registration, ToolKey


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

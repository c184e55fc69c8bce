from django.contrib import admin

from komar.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin cannot be subscripted at runtime
    """Audit events can be read here, never added, changed or deleted."""

    list_display = ["at", "actor_username", "action", "object_type", "object_id", "ip", "channel"]
    list_filter = ["action", "object_type", "channel"]
    search_fields = ["actor_username", "object_id"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

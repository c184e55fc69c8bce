"""The audit events, as the API's history and access-log endpoints show them."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from komar.api.fields import CodeField, KhmerDateField, StrictSerializer
from komar.audit.models import AuditAction
from komar.audit.selectors import AuditFilters


class AuditEventSerializer(serializers.Serializer):  # type: ignore[type-arg]  # read-only, no instance type
    id = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(source="actor_username", read_only=True)
    action = CodeField(codes=AuditAction, read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    changes = serializers.JSONField(read_only=True)
    ip = serializers.IPAddressField(read_only=True, allow_null=True)
    channel = serializers.CharField(read_only=True)


class AuditFilterSerializer(StrictSerializer):
    """The query parameters of the access log: ``action``, ``actor``, ``from``, ``to``."""

    allowed_extra = frozenset({"limit", "offset"})

    action = CodeField(codes=AuditAction, required=False, allow_blank=True, default="")
    actor = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150, help_text="A username."
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]  # DRF fields of any type
        fields = super().get_fields()
        # "from" is a Python keyword, so these two cannot be declared as attributes.
        fields["from"] = KhmerDateField(
            source="date_from", required=False, allow_null=True, help_text="First day."
        )
        fields["to"] = KhmerDateField(
            source="date_to", required=False, allow_null=True, help_text="Last day."
        )
        return fields

    def validate_action(self, value: str) -> str:
        if value and value not in AuditAction.values:
            raise serializers.ValidationError(_("Unknown action."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"to": [_("The last day is before the first day.")]})
        return attrs

    def to_filters(self) -> AuditFilters:
        return AuditFilters(**self.validated_data)

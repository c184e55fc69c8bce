"""The audit events of a record, as the API's history endpoints show them."""

from rest_framework import serializers

from komar.api.fields import CodeField
from komar.audit.models import AuditAction


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(source="actor_username", read_only=True)
    action = CodeField(codes=AuditAction, read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    changes = serializers.JSONField(read_only=True)
    ip = serializers.IPAddressField(read_only=True, allow_null=True)
    channel = serializers.CharField(read_only=True)

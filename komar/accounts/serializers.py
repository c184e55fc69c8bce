"""Serializers of the accounts API: sign-in, the current user, organisations."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from komar.accounts.models import OrganisationType, User
from komar.accounts.roles import Perm, Role
from komar.api.fields import CodeField, StrictSerializer


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The six-digit code of the authenticator app; required for roles that "
        "must use two-factor authentication.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    role = CodeField(codes=Role, read_only=True)
    organisation = serializers.IntegerField(
        source="organisation_id", read_only=True, allow_null=True
    )
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    permissions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=CodeField(codes=Perm)))
    def get_permissions(self, user: User) -> list[str]:
        return sorted(str(perm) for perm in user.policy.perms)


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_km = serializers.CharField(read_only=True)
    type = CodeField(codes=OrganisationType, read_only=True)
    is_host = serializers.BooleanField(read_only=True)

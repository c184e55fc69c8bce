"""Serializers of the accounts API: sign-in, the current user, organisations."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from komar.accounts.models import OrganisationType, User
from komar.accounts.roles import Perm, Role
from komar.api.fields import CodeField, KhmerIntegerField, StrictSerializer


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The six-digit code of the authenticator app; required for roles that "
        "must use two-factor authentication.",
    )
    # Not "label": a serializer field of that name would hide Field.label.
    client_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text='A name for the client that will hold the token ("field laptop"), kept '
        "with the token.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Shown only once: keep it secret.")
    expires = serializers.DateTimeField(read_only=True)


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


# --- user administration ---------------------------------------------------------------

PAGE_LANGUAGES = ("en", "km")


class UserSerializer(serializers.Serializer):
    """An account as its administrator sees it."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    full_name_km = serializers.CharField(read_only=True)
    role = CodeField(codes=Role, read_only=True)
    organisation = serializers.IntegerField(
        source="organisation_id", read_only=True, allow_null=True
    )
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    preferred_language = CodeField(
        codes=PAGE_LANGUAGES, enum_name="PageLanguage", allow_blank=True, read_only=True
    )
    is_active = serializers.BooleanField(read_only=True)
    last_login = serializers.DateTimeField(read_only=True, allow_null=True)
    date_joined = serializers.DateTimeField(read_only=True)


class UserCreateSerializer(StrictSerializer):
    """A new account. Without ``organisation`` it joins the caller's organisation."""

    username = serializers.CharField(max_length=300)
    role = CodeField(codes=Role)
    organisation = KhmerIntegerField(
        required=False, help_text="Another organisation the caller manages (host only)."
    )
    team = KhmerIntegerField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)
    full_name = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    full_name_km = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    preferred_language = CodeField(
        codes=PAGE_LANGUAGES, enum_name="PageLanguage", required=False, allow_blank=True, default=""
    )

    def service_arguments(self) -> dict[str, Any]:
        """Return the parsed body as :func:`komar.accounts.services.user_create` takes it."""
        data = dict(self.validated_data)
        data["organisation_id"] = data.pop("organisation", None)
        data["team_id"] = data.pop("team")
        return data


class UserUpdateSerializer(StrictSerializer):
    """A change to an account: only the fields given change; ``team: null`` removes the
    team. The username and the organisation cannot change."""

    username = serializers.CharField(read_only=True)
    organisation = serializers.IntegerField(read_only=True)
    role = CodeField(codes=Role, required=False)
    team = KhmerIntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    full_name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    full_name_km = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    preferred_language = CodeField(
        codes=PAGE_LANGUAGES, enum_name="PageLanguage", required=False, allow_blank=True
    )

    def service_arguments(self) -> dict[str, Any]:
        """Return the parsed body as :func:`komar.accounts.services.user_update` takes it."""
        data = dict(self.validated_data)
        if "team" in data:
            data["team_id"] = data.pop("team")
        return data


class UserFilterSerializer(StrictSerializer):
    """The query parameters of the user list."""

    allowed_extra = frozenset({"limit", "offset"})

    search = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=150,
        help_text="Part of the username or of either full name.",
    )
    role = CodeField(codes=Role, required=False, allow_blank=True, default="")
    team = KhmerIntegerField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)

    def selector_arguments(self) -> dict[str, Any]:
        """Return the filters as :func:`komar.accounts.selectors.users_manageable_by` takes them."""
        data = self.validated_data
        return {
            "q": data["search"],
            "role": data["role"],
            "team_id": data["team"],
            "is_active": data["is_active"],
        }


class PasswordCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        read_only=True,
        help_text="Shown only in this answer: hand it to the person in person. They set "
        "their password with it on the page 'Set a new password with a code'.",
    )
    expires_at = serializers.DateTimeField(read_only=True)

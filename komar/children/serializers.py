"""Serializers of the children API.

Input serializers parse types only (text, lists, dates, Khmer digits); the rules (which
codes exist, lengths, dates in the past, at least one name) are the services', so the
web forms and the API cannot disagree.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from komar.api.fields import (
    CodeField,
    DigitsField,
    KhmerDateField,
    KhmerIntegerField,
    StrictSerializer,
)
from komar.children.models import Child, ConsentKind, DobPrecision, Guardian, Sex
from komar.children.selectors import child_consent_history, child_guardians
from komar.children.services import ChildInput, GuardianInput
from komar.core.countries import COUNTRIES, LANGUAGES
from komar.geo.serializers import VillageCodeField

CONSENT_FIELDS = {f"consent_{kind}": kind for kind in ConsentKind.values}


class GuardianSerializer(StrictSerializer):
    name = serializers.CharField(allow_blank=True)
    relationship = CodeField(codes=Guardian.Relationship)
    phone = serializers.CharField(allow_blank=True, default="")
    is_primary_contact = serializers.BooleanField(default=False)


class ConsentRecordSerializer(serializers.Serializer):
    kind = CodeField(codes=ConsentKind, read_only=True)
    granted = serializers.BooleanField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)


class ChildInputSerializer(StrictSerializer):
    """What a client may write about a child; every field is optional on PATCH.

    Give one of ``date_of_birth``, ``birth_year`` or ``age_at_intake``. ``guardians``
    replaces the whole list when given.
    """

    name_km = serializers.CharField(required=False, allow_blank=True)
    family_name = serializers.CharField(required=False, allow_blank=True)
    given_name = serializers.CharField(required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    sex = CodeField(codes=Sex, required=False)
    date_of_birth = KhmerDateField(required=False)
    birth_year = KhmerIntegerField(required=False)
    age_at_intake = KhmerIntegerField(required=False)
    nationality = CodeField(
        codes=COUNTRIES, enum_name="Country", required=False, help_text="ISO 3166-1 alpha-2"
    )
    languages = serializers.ListField(
        child=CodeField(codes=LANGUAGES, enum_name="Language"), required=False
    )
    village_code = VillageCodeField(required=False, allow_blank=True)
    ministry_case_number = serializers.CharField(required=False, allow_blank=True)
    external_id = serializers.CharField(required=False, allow_blank=True)
    consent_services = serializers.BooleanField(required=False)
    consent_disclosure = serializers.BooleanField(required=False)
    consent_data_sharing = serializers.BooleanField(required=False)
    consent_tracing = serializers.BooleanField(required=False)
    guardians = GuardianSerializer(many=True, required=False)

    def to_input(self) -> ChildInput:
        """Return the parsed body as the services' input; absent fields stay ``None``."""
        data: dict[str, Any] = dict(self.validated_data)
        consents = {kind: data.pop(name) for name, kind in CONSENT_FIELDS.items() if name in data}
        guardians = data.pop("guardians", None)
        return ChildInput(
            **data,
            consents=consents,
            guardians=None if guardians is None else [GuardianInput(**g) for g in guardians],
        )


class ChildFilterSerializer(StrictSerializer):
    """The query parameters of the children list."""

    allowed_extra = frozenset({"limit", "offset"})

    search = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Any name or alias, in Khmer or Latin script, any spelling.",
    )
    birth_year = KhmerIntegerField(required=False, min_value=0, max_value=9999)
    sex = CodeField(codes=Sex, required=False, allow_blank=True, default="")
    province = DigitsField(
        required=False, allow_blank=True, default="", max_length=8, help_text="Province code."
    )


class ChildSummarySerializer(serializers.Serializer):
    """A child in a list: enough to recognise them, nothing more."""

    id = serializers.UUIDField(read_only=True)
    name_km = serializers.CharField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    given_name = serializers.CharField(read_only=True)
    sex = CodeField(codes=Sex, read_only=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    dob_precision = CodeField(codes=DobPrecision, read_only=True)
    village_code = serializers.CharField(source="village_id", read_only=True, allow_null=True)
    registered_at = serializers.DateTimeField(read_only=True)


class ChildSerializer(ChildSummarySerializer):
    """A child's whole record, as the detail shows it."""

    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    nationality = CodeField(codes=COUNTRIES, enum_name="Country", read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    ministry_case_number = serializers.CharField(read_only=True)
    external_id = serializers.CharField(read_only=True)
    consent_services = serializers.BooleanField(read_only=True)
    consent_disclosure = serializers.BooleanField(read_only=True)
    consent_data_sharing = serializers.BooleanField(read_only=True)
    consent_tracing = serializers.BooleanField(read_only=True)
    consents = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField()

    @extend_schema_field(ConsentRecordSerializer(many=True))
    def get_consents(self, child: Child) -> list[dict[str, Any]]:
        return ConsentRecordSerializer(child_consent_history(child), many=True).data  # type: ignore[return-value]  # many=True gives a ReturnList

    @extend_schema_field(GuardianSerializer(many=True))
    def get_guardians(self, child: Child) -> list[dict[str, Any]]:
        return GuardianSerializer(child_guardians(child), many=True).data  # type: ignore[return-value]  # many=True gives a ReturnList

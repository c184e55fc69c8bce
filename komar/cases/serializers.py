"""Serializers of the cases API.

Input serializers parse types only; whether a code is in its value set, a date is in
the past or a worker may be assigned is the services' rule.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from komar.api.fields import (
    CodeField,
    DigitsField,
    KhmerDateField,
    KhmerIntegerField,
    StrictSerializer,
)
from komar.cases.choices import (
    Act,
    CaseStatus,
    ExploitationType,
    IloIndicator,
    IntakeSource,
    Means,
    MethodOfControl,
    RecruitmentMethod,
    RiskLevel,
    ScreeningResult,
)
from komar.cases.models import Case, Screening
from komar.cases.selectors import CASE_SORTS, WHOSE_MINE, WHOSE_TEAM, case_screenings
from komar.cases.services import CaseInput, ScreeningInput
from komar.core.countries import COUNTRIES
from komar.geo.serializers import PlaceCodeField, PlaceLabelSerializer, place_labels


def _codes(codes: Any, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=CodeField(codes=codes), **kwargs)


class ScreeningInputSerializer(StrictSerializer):
    """One screening against the trafficking definition: the elements found."""

    acts = _codes(Act, required=False)
    means = _codes(Means, required=False)
    exploitation_types = _codes(ExploitationType, required=False)
    methods_of_control = _codes(MethodOfControl, required=False)
    indicators = _codes(IloIndicator, required=False)
    recruitment_method = CodeField(codes=RecruitmentMethod, required=False, allow_blank=True)
    recruitment_place_code = PlaceCodeField(required=False, allow_blank=True)
    recruitment_village_code = PlaceCodeField(
        required=False,
        allow_blank=True,
        help_text="Deprecated alias of `recruitment_place_code` (which takes any level).",
    )
    recruitment_country = CodeField(
        codes=COUNTRIES, enum_name="Country", required=False, allow_blank=True
    )
    recruitment_region = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A province or region abroad, in Latin letters (`Sa Kaeo`); with a "
        "country other than KH.",
    )
    exploitation_place_code = PlaceCodeField(required=False, allow_blank=True)
    exploitation_village_code = PlaceCodeField(
        required=False,
        allow_blank=True,
        help_text="Deprecated alias of `exploitation_place_code` (which takes any level).",
    )
    exploitation_country = CodeField(
        codes=COUNTRIES, enum_name="Country", required=False, allow_blank=True
    )
    exploitation_region = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A province or region abroad, in Latin letters; with a country other than KH.",
    )
    age_at_act = KhmerIntegerField(
        required=False,
        allow_null=True,
        help_text="Leave out or null when unknown: the child's age is used, and a person "
        "of unknown age is presumed a child.",
    )
    notes = serializers.CharField(required=False, allow_blank=True)

    # Fields of the API whose name differs from the service input's (old name → new).
    ALIASES = {
        "recruitment_village_code": "recruitment_place_code",
        "exploitation_village_code": "exploitation_place_code",
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for old, new in self.ALIASES.items():
            if old not in attrs:
                continue
            value = attrs.pop(old)
            if new in attrs and attrs[new] != value:
                raise serializers.ValidationError(
                    {old: [_("Give only one of %(a)s and %(b)s.") % {"a": old, "b": new}]}
                )
            attrs[new] = value
        return attrs


class _CaseWriteSerializer(StrictSerializer):
    intake_source = CodeField(codes=IntakeSource, required=False)
    intake_date = KhmerDateField(required=False)
    assigned_to = KhmerIntegerField(required=False, help_text="A user id.")
    risk_level = CodeField(codes=RiskLevel, required=False)
    screening = ScreeningInputSerializer(
        required=False, help_text="Given, it records a new screening of the case."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why a second case is opened for a child with an open case, or why a new "
        "screening changes the result.",
    )

    def to_input(self) -> CaseInput:
        """Return the parsed body as the services' input; absent fields stay ``None``."""
        data: dict[str, Any] = dict(self.validated_data)
        data.pop("child", None)
        screening = data.pop("screening", None)
        clear = "formal_identification_date" in data and data["formal_identification_date"] is None
        if clear:
            del data["formal_identification_date"]
        return CaseInput(
            assigned_to_id=data.pop("assigned_to", None),
            screening=None if screening is None else ScreeningInput(**screening),
            clear_formal_identification=clear,
            **data,
        )


class CaseCreateSerializer(_CaseWriteSerializer):
    """What a client gives to open a case for a child it may see."""

    child = serializers.UUIDField(help_text="A child the caller may see.")


class CaseUpdateSerializer(_CaseWriteSerializer):
    """What a client may change on a case; every field is optional."""

    status = CodeField(codes=CaseStatus, required=False)
    confirm_result_change = serializers.BooleanField(
        required=False,
        help_text="Confirms a new screening whose result differs from the last one "
        "(with `reason`); without it such a screening answers 409.",
    )
    formal_identification_date = KhmerDateField(
        required=False,
        allow_null=True,
        help_text="The day the Ministry of Interior identified the victim; null clears "
        "the formal identification.",
    )
    formal_identification_by = serializers.CharField(required=False, allow_blank=True)


class CaseFilterSerializer(StrictSerializer):
    """The query parameters of the cases list."""

    allowed_extra = frozenset({"limit", "offset"})

    search = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The child's name, in Khmer or Latin script, any spelling.",
    )
    status = CodeField(codes=CaseStatus, required=False, allow_blank=True, default="")
    risk_level = CodeField(codes=RiskLevel, required=False, allow_blank=True, default="")
    screening_result = CodeField(
        codes=ScreeningResult, required=False, allow_blank=True, default=""
    )
    province = DigitsField(
        required=False, allow_blank=True, default="", max_length=8, help_text="Province code."
    )
    exploitation_type = CodeField(
        codes=ExploitationType, required=False, allow_blank=True, default=""
    )
    assigned_to = KhmerIntegerField(required=False, min_value=1, help_text="A user id.")
    opened_from = KhmerDateField(
        required=False, default=None, help_text="Opened on or after this day (YYYY-MM-DD)."
    )
    opened_to = KhmerDateField(
        required=False, default=None, help_text="Opened on or before this day."
    )
    updated_from = KhmerDateField(
        required=False, default=None, help_text="Last changed on or after this day."
    )
    updated_to = KhmerDateField(
        required=False, default=None, help_text="Last changed on or before this day."
    )
    whose = serializers.ChoiceField(
        choices=[WHOSE_MINE, WHOSE_TEAM],
        required=False,
        allow_blank=True,
        default="",
        help_text="`mine`: cases assigned to the caller; `team`: to the caller's team; "
        "empty: every case the caller may see.",
    )
    sort = serializers.ChoiceField(
        choices=[*CASE_SORTS, *(f"-{key}" for key in CASE_SORTS)],
        required=False,
        allow_blank=True,
        default="",
        help_text="A column (`number`, `status`, `risk`, `screening`, `worker`, `opened`, "
        "`updated`), `-` first for descending; default `-opened`. The child's name is "
        "encrypted and cannot be sorted by.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for start, end in (("opened_from", "opened_to"), ("updated_from", "updated_to")):
            if attrs.get(start) and attrs.get(end) and attrs[start] > attrs[end]:
                raise serializers.ValidationError(
                    {end: _("The end of the range is before its start.")}
                )
        return attrs


def _village_code(screening: Screening, kind: str) -> str | None:
    if getattr(screening, f"{kind}_place_level") != "village":
        return None
    return str(getattr(screening, f"{kind}_place_code"))


class ScreeningSerializer(serializers.Serializer):
    acts = serializers.ListField(child=CodeField(codes=Act), read_only=True)
    means = serializers.ListField(child=CodeField(codes=Means), read_only=True)
    exploitation_types = serializers.ListField(
        child=CodeField(codes=ExploitationType), read_only=True
    )
    methods_of_control = serializers.ListField(
        child=CodeField(codes=MethodOfControl), read_only=True
    )
    indicators = serializers.ListField(child=CodeField(codes=IloIndicator), read_only=True)
    recruitment_method = CodeField(codes=RecruitmentMethod, allow_blank=True, read_only=True)
    recruitment_place_code = serializers.CharField(read_only=True)
    recruitment_place_level = serializers.CharField(read_only=True)
    recruitment_country = serializers.CharField(read_only=True)
    recruitment_region = serializers.CharField(read_only=True)
    recruitment_place = serializers.SerializerMethodField()
    recruitment_village_code = serializers.SerializerMethodField(
        help_text="Deprecated: the place's code when it is a village, else null."
    )
    exploitation_place_code = serializers.CharField(read_only=True)
    exploitation_place_level = serializers.CharField(read_only=True)
    exploitation_country = serializers.CharField(read_only=True)
    exploitation_region = serializers.CharField(read_only=True)
    exploitation_place = serializers.SerializerMethodField()
    exploitation_village_code = serializers.SerializerMethodField(
        help_text="Deprecated: the place's code when it is a village, else null."
    )
    age_at_act = serializers.IntegerField(read_only=True, allow_null=True)
    treated_as_child = serializers.BooleanField(read_only=True)
    result = CodeField(codes=ScreeningResult, read_only=True)
    notes = serializers.CharField(read_only=True)
    screened_by = serializers.CharField(source="screened_by.username", read_only=True)
    screened_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recruitment_village_code(self, screening: Screening) -> str | None:
        return _village_code(screening, "recruitment")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_exploitation_village_code(self, screening: Screening) -> str | None:
        return _village_code(screening, "exploitation")

    @extend_schema_field(PlaceLabelSerializer(allow_null=True))
    def get_recruitment_place(self, screening: Screening) -> dict[str, Any] | None:
        return place_labels(screening.recruitment_place)

    @extend_schema_field(PlaceLabelSerializer(allow_null=True))
    def get_exploitation_place(self, screening: Screening) -> dict[str, Any] | None:
        return place_labels(screening.exploitation_place)


class CaseSummarySerializer(serializers.Serializer):
    """A case in a list."""

    id = serializers.UUIDField(read_only=True)
    number = serializers.CharField(read_only=True)
    child = serializers.UUIDField(source="child_id", read_only=True)
    intake_source = CodeField(codes=IntakeSource, read_only=True)
    intake_date = serializers.DateField(read_only=True)
    assigned_to = serializers.IntegerField(source="assigned_to_id", read_only=True)
    status = CodeField(codes=CaseStatus, read_only=True)
    risk_level = CodeField(codes=RiskLevel, read_only=True)
    screening_result = CodeField(codes=ScreeningResult, read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)


class CaseSerializer(CaseSummarySerializer):
    """A case as its detail shows it, with its latest screening."""

    formal_identification_date = serializers.DateField(read_only=True, allow_null=True)
    formal_identification_by = serializers.CharField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    screening = serializers.SerializerMethodField()

    @extend_schema_field(ScreeningSerializer(allow_null=True))
    def get_screening(self, case: Case) -> dict[str, Any] | None:
        latest: Screening | None = case_screenings(case).first()
        return None if latest is None else ScreeningSerializer(latest).data

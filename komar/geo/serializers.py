from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from komar.geo.models import Level
from komar.geo.selectors import PlaceName, place_code_parse, village_code_parse


class LocationSearchQuerySerializer(serializers.Serializer):
    """The query string of a location search."""

    q = serializers.CharField(
        min_length=1,
        max_length=100,
        help_text=_(
            "Name in Khmer or Latin script (official or everyday spelling), or a code "
            "in ASCII or Khmer digits."
        ),
    )


class LocationHitSerializer(serializers.Serializer):
    """One administrative unit found by a location search."""

    code = serializers.CharField(help_text=_("Zero-padded code: 2, 4, 6 or 8 digits."))
    level = serializers.ChoiceField(choices=Level.choices)
    unit_type = serializers.CharField(
        help_text=_("khaet, reach_theani, srok, krong, khan, khum, sangkat or phum.")
    )
    name_km = serializers.CharField()
    name_latin = serializers.CharField()
    path_km = serializers.ListField(
        child=serializers.CharField(), help_text=_("Parents' Khmer names, province first.")
    )
    path_latin = serializers.ListField(
        child=serializers.CharField(), help_text=_("Parents' Latin names, province first.")
    )
    path_label_km = serializers.CharField()
    path_label_latin = serializers.CharField()


class LocationSearchSerializer(serializers.Serializer):
    """The answer of a location search: how many units matched, and the first ones."""

    count = serializers.IntegerField(help_text=_("How many units match the query in all."))
    results = LocationHitSerializer(
        source="hits", many=True, help_text=_("The first 20, best first.")
    )


class PlaceCodeField(serializers.CharField):
    """A place code as people type it: 2, 4, 6 or 8 digits (7 for a village whose
    leading zero was dropped), ASCII or Khmer digits, with or without separators
    ("01 02 01 01"); a JSON number is taken as its digits. Parsed by the one parser of
    codes (:func:`komar.geo.selectors.place_code_parse`); whether a unit has the code
    is the services' rule."""

    default_error_messages = {"invalid_code": _("Enter a place code of 2, 4, 6 or 8 digits.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text",
            "A province (2 digits), district (4), commune (6) or village (8) code; "
            "ASCII or Khmer digits, separators allowed.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)
        text = super().to_internal_value(data)
        if not text:
            return text
        code = place_code_parse(text)
        if code is None:
            self.fail("invalid_code")
        return code


class VillageCodeField(PlaceCodeField):
    """A village code as people type it (8 digits, or 7 with the leading zero dropped;
    ASCII or Khmer digits, separators allowed), parsed by the one parser of codes."""

    default_error_messages = {"invalid_code": _("Enter a village code of 8 digits.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "An 8-digit village code; ASCII or Khmer digits, separators allowed."
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data)
        if code and village_code_parse(code) is None:
            self.fail("invalid_code")
        return code


class PlaceLabelSerializer(serializers.Serializer):
    """A stored place as people read it: its level and full path in both scripts."""

    code = serializers.CharField(help_text=_("The unit's code; empty for a place abroad."))
    level = serializers.CharField(
        help_text=_("province, district, commune or village; empty for a place abroad.")
    )
    country = serializers.CharField()
    region = serializers.CharField()
    label_km = serializers.CharField(help_text=_("The place first, then its parents."))
    label_latin = serializers.CharField()


def place_labels(place: PlaceName | None) -> dict[str, Any] | None:
    """Return a stored place as the API shows it, or None."""
    if place is None:
        return None
    return dict(PlaceLabelSerializer(place).data)

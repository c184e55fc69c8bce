from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from komar.geo.models import Level


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

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from komar.api.schema import with_errors
from komar.api.views import ApiView
from komar.geo.selectors import locations_search
from komar.geo.serializers import LocationHitSerializer, LocationSearchQuerySerializer


class LocationSearchApi(ApiView):
    """Search provinces, districts, communes and villages by name or code."""

    @extend_schema(
        operation_id="geo_locations_search",
        summary="Search places",
        description=(
            "Return up to 20 administrative units matching `q`: Khmer or Latin names, "
            "official or everyday spellings (Poipet, Koh Kong, Kep, Siem Reap), or a "
            "code in ASCII or Khmer digits. Exact matches and higher levels come first."
        ),
        parameters=[LocationSearchQuerySerializer],
        responses=with_errors({200: LocationHitSerializer(many=True)}, 400, 401, 403),
        tags=["geo"],
    )
    def get(self, request: Request) -> Response:
        query = LocationSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hits = locations_search(q=query.validated_data["q"])
        return Response(LocationHitSerializer(hits, many=True).data)

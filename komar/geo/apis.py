from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from komar.api.schema import with_errors
from komar.api.views import ApiView
from komar.geo.selectors import locations_find
from komar.geo.serializers import LocationSearchQuerySerializer, LocationSearchSerializer


class LocationSearchApi(ApiView):
    """Search provinces, districts, communes and villages by name or code."""

    @extend_schema(
        operation_id="geo_locations_search",
        summary="Search places",
        description=(
            "Return how many administrative units match `q` in all (`count`) and the "
            "first 20 (`results`): Khmer or Latin names, official or everyday spellings "
            "(Poipet, Koh Kong, Kompong Cham, Trapaing Chuk), or a code in ASCII or "
            "Khmer digits. A province or district named in the query narrows it "
            "(`Trapeang Chhuk Kampot`, `ត្រពាំងឈូក កំពង់ស្ពឺ`). Exact matches and higher "
            "levels come first."
        ),
        parameters=[LocationSearchQuerySerializer],
        responses=with_errors({200: LocationSearchSerializer}, 400, 401, 403),
        tags=["geo"],
    )
    def get(self, request: Request) -> Response:
        query = LocationSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = locations_find(q=query.validated_data["q"])
        return Response(LocationSearchSerializer(found).data)

"""GET /api/v1/geo/locations/?q= (wired here by the test URLs)."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from komar.geo.tests.fixtures import VILLAGE_OU_THUM

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]

URL = "/api/v1/geo/locations/"


@pytest.fixture
def api(django_user_model, small_gazetteer):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user(username="api-user"))
    return client


def test_anonymous_is_refused(small_gazetteer):
    response = APIClient().get(URL, {"q": "Phnom Penh"})
    assert response.status_code in (401, 403)


def test_search_returns_hits(api):
    response = api.get(URL, {"q": "អូរធំ"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [
        {
            "code": VILLAGE_OU_THUM,
            "level": "village",
            "unit_type": "phum",
            "name_km": "អូរធំ",
            "name_latin": "Ou Thum",
            "path_km": ["បន្ទាយមានជ័យ", "មង្គលបូរី", "បន្ទាយនាង"],
            "path_latin": ["Banteay Meanchey", "Mongkol Borey", "Banteay Neang"],
            "path_label_km": "បន្ទាយមានជ័យ › មង្គលបូរី › បន្ទាយនាង",
            "path_label_latin": "Banteay Meanchey › Mongkol Borey › Banteay Neang",
        }
    ]


def test_search_by_code_in_khmer_digits(api):
    response = api.get(URL, {"q": "០១"})
    assert [hit["code"] for hit in response.json()["results"]][:2] == ["01", "0102"]


def test_nothing_found_is_an_empty_list(api):
    response = api.get(URL, {"q": "Nowhere at all"})
    assert (response.status_code, response.json()) == (200, {"count": 0, "results": []})


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}])
def test_missing_or_bad_q_is_a_400_naming_the_field(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_q_of_100_characters_is_accepted(api):
    assert api.get(URL, {"q": "x" * 100}).status_code == 200


def test_schema_documents_the_parameter_and_the_response():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][URL]["get"]
    (parameter,) = operation["parameters"]
    assert (parameter["name"], parameter["in"], parameter["required"]) == ("q", "query", True)
    assert parameter["schema"]["maxLength"] == 100
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/LocationSearch")
    found = schema["components"]["schemas"]["LocationSearch"]
    assert set(found["properties"]) == {"count", "results"}
    assert found["properties"]["results"]["items"]["$ref"].endswith("/LocationHit")
    assert {"400", "401", "403"} <= set(operation["responses"])
    hit = schema["components"]["schemas"]["LocationHit"]
    assert {"code", "level", "name_km", "name_latin", "path_km", "path_latin"} <= set(
        hit["properties"]
    )

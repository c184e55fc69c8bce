"""The OpenAPI description and its documentation page."""

import re

import pytest

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as

ENDPOINTS = [
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/organisations/",
    "/api/v1/children/",
    "/api/v1/children/{child_id}/",
    "/api/v1/children/{child_id}/audit/",
    "/api/v1/cases/",
    "/api/v1/cases/{case_id}/",
    "/api/v1/cases/{case_id}/audit/",
    "/api/v1/locations/",
]


@pytest.fixture
def schema(world) -> dict:
    response = api_as(world.user(Role.CASE_WORKER)).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_endpoint(schema) -> None:
    assert set(ENDPOINTS) <= set(schema["paths"])


def test_schema_documents_requests_and_answers(schema) -> None:
    children = schema["paths"]["/api/v1/children/"]
    assert "requestBody" in children["post"]
    assert {"201", "400", "403"} <= set(children["post"]["responses"])
    assert {"limit", "offset", "search", "birth_year", "sex", "province"} <= {
        p["name"] for p in children["get"]["parameters"]
    }
    case = schema["paths"]["/api/v1/cases/{case_id}/"]
    assert {"200", "400", "403", "404"} <= set(case["patch"]["responses"])
    components = schema["components"]["schemas"]
    assert components["ActEnum"]["enum"] == [
        "recruitment",
        "transportation",
        "transfer",
        "harbouring",
        "receipt",
    ]
    assert "screening" in components["CaseCreateRequest"]["properties"]
    assert "age_at_intake" not in components["Child"]["properties"]


def test_schema_needs_a_signed_in_user(db) -> None:
    assert api_as().get("/api/v1/schema/").status_code == 401


def test_docs_page_uses_local_assets_only(world) -> None:
    client = api_as()
    client.force_login(world.user(Role.CASE_WORKER))
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "cdn" not in page.lower()

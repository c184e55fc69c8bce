"""The API's error answers: always JSON, keyed by field, never revealing a record."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from komar.accounts.roles import Role
from komar.api.errors import service_error_detail
from komar.api.tests.helpers import api_as


@pytest.mark.parametrize(
    ("errors", "detail"),
    [
        ({"family_name": ["Too long."]}, {"family_name": ["Too long."]}),
        (
            {"intake_source": ["Bad."], "screening.acts": ["Choose."], "screening.means": ["No."]},
            {"intake_source": ["Bad."], "screening": {"acts": ["Choose."], "means": ["No."]}},
        ),
        ({"__all__": ["Conflict."]}, {"non_field_errors": ["Conflict."]}),
        (
            {"screening": ["Whole."], "screening.acts": ["Part."]},
            {"screening": {"non_field_errors": ["Whole."], "acts": ["Part."]}},
        ),
        (
            {"screening.acts": ["Part."], "screening": ["Whole."]},
            {"screening": {"acts": ["Part."], "non_field_errors": ["Whole."]}},
        ),
    ],
)
def test_service_errors_become_nested_field_errors(errors, detail) -> None:
    assert service_error_detail(ValidationError(errors)) == detail


def test_a_plain_service_error_is_a_non_field_error() -> None:
    assert service_error_detail(ValidationError("Nope.")) == {"non_field_errors": ["Nope."]}
    assert service_error_detail(ValidationError(["A.", "B."])) == {"non_field_errors": ["A.", "B."]}


def test_service_error_with_parameters_is_formatted() -> None:
    error = ValidationError({"name": [ValidationError("At most %(max)d.", params={"max": 100})]})
    assert service_error_detail(error) == {"name": ["At most 100."]}


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/children/x/y/z/", "/api/v1/me"])
def test_unknown_addresses_answer_a_json_404(db, method, path) -> None:
    response = getattr(api_as(), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_not_found_is_translated(world) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    with translation.override("km"):
        response = client.get("/api/v1/children/missing/", HTTP_ACCEPT_LANGUAGE="km")
        expected = translation.gettext("Not found.")
    assert expected != "Not found."
    assert response.status_code == 404
    assert response.json() == {"detail": expected}


def test_method_not_allowed_is_json(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).delete("/api/v1/children/")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_unexpected_errors_are_json_and_logged(world, monkeypatch, caplog) -> None:
    def broken(user):
        raise RuntimeError("database on fire: secret detail")

    monkeypatch.setattr("komar.accounts.apis.organisations_visible_to", broken)
    response = api_as(world.user(Role.CASE_WORKER)).get("/api/v1/organisations/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "secret detail" not in response.content.decode()
    assert "detail" in response.json()
    assert any("secret detail" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_permission_denied_is_json(world) -> None:
    response = api_as(world.user(Role.LAWYER)).post(
        "/api/v1/children/", {"given_name": "Dara"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        b'{"given_name": "\xff\xfe"}',
        '{"birth_year": ' + "9" * 5000 + "}",
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/children/", "/api/v1/cases/", "/api/v1/auth/token/"])
def test_unreadable_bodies_answer_400_not_500(world, raw, url) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(url, raw, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()

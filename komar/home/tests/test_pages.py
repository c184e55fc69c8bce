"""Pages and endpoints that show no child record: who may open them, written literally."""

import pytest
from django.test import Client

from komar.access.tests.matrix import assert_role_table, role_table
from komar.api.tests.helpers import api_as

EVERY_ROLE = role_table("""
case_worker         200
shelter_worker      200
lawyer              200
prevention_officer  200
supervisor          200
data_officer        200
partner_user        200
administrator       200
""")

# The start page lists open cases to the roles that see cases.
HOME_CASELOAD = role_table("""
case_worker         Y
shelter_worker      Y
lawyer              Y
prevention_officer  N
supervisor          Y
data_officer        N
partner_user        Y
administrator       Y
""")


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_start_page_opens_for_every_role(world) -> None:
    assert_role_table(world, EVERY_ROLE, lambda user: _page(user).get("/").status_code)


def test_the_start_page_shows_a_caseload_to_the_roles_with_cases(world) -> None:
    def caseload(user) -> str:
        page = _page(user).get("/").content.decode()
        return "Y" if 'id="no-cases"' in page or 'id="case-table"' in page else "N"

    assert_role_table(world, HOME_CASELOAD, caseload)


@pytest.mark.parametrize(
    "path",
    [
        "/geo/options/districts/?province=01",
        "/geo/options/communes/?district=0102",
    ],
)
def test_place_pickers_open_for_every_role(world, path) -> None:
    assert_role_table(world, EVERY_ROLE, lambda user: _page(user).get(path).status_code)


@pytest.mark.parametrize(
    "path", ["/api/v1/me/", "/api/v1/organisations/", "/api/v1/locations/?q=Poipet"]
)
def test_reference_endpoints_answer_every_role(world, path) -> None:
    assert_role_table(world, EVERY_ROLE, lambda user: api_as(user).get(path).status_code)


@pytest.mark.parametrize(
    "path", ["/", "/geo/picker/search/?q=Poipet", "/cases/", "/audit/", "/children/register/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(db, path) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

"""Who may read, change and list which child, through the API and the pages.

Literal tables (``komar.access.tests.matrix``): a change of policy changes a line here.
"""

from django.test import Client

from komar.access.tests.matrix import assert_matrix, assert_role_table, role_table, table
from komar.api.tests.helpers import api_as
from komar.children.models import Child

NOT_FOUND = {"detail": "Not found."}  # the same body as for a child that does not exist

VISIBLE = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       404     404         404      404       404
shelter_worker      200 200      404        404       200     404         404      404       404
lawyer              200 200      404        404       200     404         404      404       404
prevention_officer  404 404      404        404       404     404         404      404       404
supervisor          200 200      404        404       200     404         404      404       404
data_officer        404 404      404        404       404     404         404      404       404
partner_user        404 404      404        404       404     404         200      404       404
administrator       200 200      200        404       200     200         200      200       200
""")

LISTED = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         Y   N        N          N         N       N           N        N         N
shelter_worker      Y   Y        N          N         Y       N           N        N         N
lawyer              Y   Y        N          N         Y       N           N        N         N
prevention_officer  N   N        N          N         N       N           N        N         N
supervisor          Y   Y        N          N         Y       N           N        N         N
data_officer        N   N        N          N         N       N           N        N         N
partner_user        N   N        N          N         N       N           Y        N         N
administrator       Y   Y        Y          N         Y       Y           Y        Y         Y
""")

API_CHANGE = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       404     404         404      404       404
shelter_worker      403 403      404        404       403     404         404      404       404
lawyer              403 403      404        404       403     404         404      404       404
prevention_officer  404 404      404        404       404     404         404      404       404
supervisor          200 200      404        404       200     404         404      404       404
data_officer        404 404      404        404       404     404         404      404       404
partner_user        404 404      404        404       404     404         403      404       404
administrator       403 403      403        404       403     403         403      403       403
""")

# 404 before 403: only those who see the child learn that it exists.
API_HISTORY = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         403 404      404        404       404     404         404      404       404
shelter_worker      403 403      404        404       403     404         404      404       404
lawyer              403 403      404        404       403     404         404      404       404
prevention_officer  404 404      404        404       404     404         404      404       404
supervisor          200 200      404        404       200     404         404      404       404
data_officer        404 404      404        404       404     404         404      404       404
partner_user        404 404      404        404       404     404         403      404       404
administrator       200 200      200        404       200     200         200      200       200
""")

# The edit page asks for the right to change children first: a 403 says nothing of
# whether the record exists.
PAGE_EDIT = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       404     404         404      404       404
shelter_worker      403 403      403        403       403     403         403      403       403
lawyer              403 403      403        403       403     403         403      403       403
prevention_officer  403 403      403        403       403     403         403      403       403
supervisor          200 200      404        404       200     404         404      404       404
data_officer        403 403      403        403       403     403         403      403       403
partner_user        403 403      403        403       403     403         403      403       403
administrator       403 403      403        403       403     403         403      403       403
""")


REGISTER = role_table("""
case_worker         201
shelter_worker      403
lawyer              403
prevention_officer  403
supervisor          201
data_officer        403
partner_user        403
administrator       403
""")


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_read(world, places) -> None:
    def read(user, place) -> int:
        response = api_as(user).get(f"/api/v1/children/{place.child.pk}/")
        if response.status_code == 404:
            assert response.json() == NOT_FOUND
        return response.status_code

    assert_matrix(world, places, VISIBLE, read)


def test_api_list(world, places) -> None:
    def listed(user, place) -> str:
        body = api_as(user).get("/api/v1/children/", {"limit": 200}).json()
        return "Y" if str(place.child.pk) in {c["id"] for c in body["results"]} else "N"

    assert_matrix(world, places, LISTED, listed)


def test_api_change(world, places) -> None:
    def change(user, place) -> int:
        child = place.child
        response = api_as(user).patch(
            f"/api/v1/children/{child.pk}/", {"birth_year": 2011}, format="json"
        )
        # A refused change changes nothing; an accepted one is undone for the next cell.
        changed = Child.objects.filter(pk=child.pk, birth_year=2011).exists()
        assert changed is (response.status_code == 200), (user.username, response.status_code)
        Child.objects.filter(pk=child.pk).update(birth_year=child.birth_year)
        return response.status_code

    assert_matrix(world, places, API_CHANGE, change)


def test_api_register(world) -> None:
    def register(user) -> int:
        before = Child.objects.count()
        response = api_as(user).post(
            "/api/v1/children/", {"family_name": "Keo", "sex": "male"}, format="json"
        )
        assert Child.objects.count() == before + (response.status_code == 201)
        return response.status_code

    assert_role_table(world, REGISTER, register)


def test_api_history(world, places) -> None:
    assert_matrix(
        world,
        places,
        API_HISTORY,
        lambda user, place: (
            api_as(user).get(f"/api/v1/children/{place.child.pk}/audit/").status_code
        ),
    )


def test_page_read(world, places) -> None:
    assert_matrix(
        world,
        places,
        VISIBLE,
        lambda user, place: _page(user).get(f"/children/{place.child.pk}/").status_code,
    )


def test_page_edit(world, places) -> None:
    assert_matrix(
        world,
        places,
        PAGE_EDIT,
        lambda user, place: _page(user).get(f"/children/{place.child.pk}/edit/").status_code,
    )

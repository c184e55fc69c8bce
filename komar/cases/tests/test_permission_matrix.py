"""Who may read, change, list and open which case, through the API and the pages.

Literal tables (``komar.access.tests.matrix``): a change of policy changes a line here.
"""

from django.test import Client

from komar.access.tests.matrix import assert_matrix, table
from komar.api.tests.helpers import api_as
from komar.cases.models import Case

NOT_FOUND = {"detail": "Not found."}  # the same body as for a case that does not exist

VISIBLE = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       -       404         404      404       404
shelter_worker      200 200      404        404       -       404         404      404       404
lawyer              200 200      404        404       -       404         404      404       404
prevention_officer  404 404      404        404       -       404         404      404       404
supervisor          200 200      404        404       -       404         404      404       404
data_officer        404 404      404        404       -       404         404      404       404
partner_user        404 404      404        404       -       404         200      404       404
administrator       200 200      200        404       -       200         200      200       200
""")

LISTED = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         Y   N        N          N         -       N           N        N         N
shelter_worker      Y   Y        N          N         -       N           N        N         N
lawyer              Y   Y        N          N         -       N           N        N         N
prevention_officer  N   N        N          N         -       N           N        N         N
supervisor          Y   Y        N          N         -       N           N        N         N
data_officer        N   N        N          N         -       N           N        N         N
partner_user        N   N        N          N         -       N           Y        N         N
administrator       Y   Y        Y          N         -       Y           Y        Y         Y
""")

PAGE_LISTED = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         Y   N        N          N         -       N           N        N         N
shelter_worker      Y   Y        N          N         -       N           N        N         N
lawyer              Y   Y        N          N         -       N           N        N         N
prevention_officer  403 403      403        403       -       403         403      403       403
supervisor          Y   Y        N          N         -       N           N        N         N
data_officer        403 403      403        403       -       403         403      403       403
partner_user        N   N        N          N         -       N           Y        N         N
administrator       Y   Y        Y          N         -       Y           Y        Y         Y
""")

API_CHANGE = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       -       404         404      404       404
shelter_worker      403 403      404        404       -       404         404      404       404
lawyer              403 403      404        404       -       404         404      404       404
prevention_officer  404 404      404        404       -       404         404      404       404
supervisor          200 200      404        404       -       404         404      404       404
data_officer        404 404      404        404       -       404         404      404       404
partner_user        404 404      404        404       -       404         403      404       404
administrator       403 403      403        404       -       403         403      403       403
""")

API_HISTORY = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         403 404      404        404       -       404         404      404       404
shelter_worker      403 403      404        404       -       404         404      404       404
lawyer              403 403      404        404       -       404         404      404       404
prevention_officer  404 404      404        404       -       404         404      404       404
supervisor          200 200      404        404       -       404         404      404       404
data_officer        404 404      404        404       -       404         404      404       404
partner_user        404 404      404        404       -       404         403      404       404
administrator       200 200      200        404       -       200         200      200       200
""")

# Opening a case needs the right first (403), then a child the user sees (else the
# same 400 as for a child that does not exist).
API_OPEN = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         201 400      400        400       400     400         400      400       400
shelter_worker      403 403      403        403       403     403         403      403       403
lawyer              403 403      403        403       403     403         403      403       403
prevention_officer  403 403      403        403       403     403         403      403       403
supervisor          201 201      400        400       201     400         400      400       400
data_officer        403 403      403        403       403     403         403      403       403
partner_user        403 403      403        403       403     403         403      403       403
administrator       403 403      403        403       403     403         403      403       403
""")

# Pages that prepare a change ask for the right first.
PAGE_OPEN = table("""
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

PAGE_CHANGE = table("""
                    own teammate other_team other_org no_case ref_pending referred ref_ended ref_withdrawn
case_worker         200 404      404        404       -       404         404      404       404
shelter_worker      403 403      403        403       -       403         403      403       403
lawyer              403 403      403        403       -       403         403      403       403
prevention_officer  403 403      403        403       -       403         403      403       403
supervisor          200 200      404        404       -       404         404      404       404
data_officer        403 403      403        403       -       403         403      403       403
partner_user        403 403      403        403       -       403         403      403       403
administrator       403 403      403        403       -       403         403      403       403
""")


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_read(world, places) -> None:
    def read(user, place) -> int:
        response = api_as(user).get(f"/api/v1/cases/{place.case.pk}/")
        if response.status_code == 404:
            assert response.json() == NOT_FOUND
        return response.status_code

    assert_matrix(world, places, VISIBLE, read)


def test_api_list(world, places) -> None:
    def listed(user, place) -> str:
        body = api_as(user).get("/api/v1/cases/", {"limit": 200}).json()
        return "Y" if str(place.case.pk) in {c["id"] for c in body["results"]} else "N"

    assert_matrix(world, places, LISTED, listed)


def test_api_change(world, places) -> None:
    def change(user, place) -> int:
        case = place.case
        response = api_as(user).patch(
            f"/api/v1/cases/{case.pk}/", {"risk_level": "high"}, format="json"
        )
        # A refused change changes nothing; an accepted one is undone for the next cell.
        changed = Case.objects.filter(pk=case.pk, risk_level="high").exists()
        assert changed is (response.status_code == 200), (user.username, response.status_code)
        Case.objects.filter(pk=case.pk).update(risk_level=case.risk_level)
        return response.status_code

    assert_matrix(world, places, API_CHANGE, change)


def test_api_history(world, places) -> None:
    assert_matrix(
        world,
        places,
        API_HISTORY,
        lambda user, place: api_as(user).get(f"/api/v1/cases/{place.case.pk}/audit/").status_code,
    )


def test_api_open(world, places) -> None:
    def open_case(user, place) -> int:
        before = Case.objects.count()
        response = api_as(user).post(
            "/api/v1/cases/",
            {"child": str(place.child.pk), "intake_source": "hotline", "reason": "again"},
            format="json",
        )
        if response.status_code == 400:
            assert response.json() == {"child": ["Unknown child."]}
        assert Case.objects.count() == before + (response.status_code == 201)
        return response.status_code

    assert_matrix(world, places, API_OPEN, open_case)


def test_page_read(world, places) -> None:
    assert_matrix(
        world,
        places,
        VISIBLE,
        lambda user, place: _page(user).get(f"/cases/{place.case.pk}/").status_code,
    )


def test_page_list(world, places) -> None:
    def listed(user, place) -> str:
        response = _page(user).get("/cases/", {"q": ""})
        if response.status_code != 200:
            return str(response.status_code)
        return "Y" if f"/cases/{place.case.pk}/" in response.content.decode() else "N"

    assert_matrix(world, places, PAGE_LISTED, listed)


def test_page_open(world, places) -> None:
    assert_matrix(
        world,
        places,
        PAGE_OPEN,
        lambda user, place: _page(user).get(f"/cases/open/{place.child.pk}/").status_code,
    )


def test_page_edit(world, places) -> None:
    assert_matrix(
        world,
        places,
        PAGE_CHANGE,
        lambda user, place: _page(user).get(f"/cases/{place.case.pk}/edit/").status_code,
    )


def test_page_screen(world, places) -> None:
    assert_matrix(
        world,
        places,
        PAGE_CHANGE,
        lambda user, place: _page(user).get(f"/cases/{place.case.pk}/screening/").status_code,
    )

"""The web pages of children and cases: who may see and do what, and bad input."""

import pytest
from django.test import Client

from komar.accounts.roles import Role
from komar.cases.models import Case
from komar.children.models import Child
from komar.children.tests.helpers import open_case, register_child

# Who may see a case assigned to "case_worker" (team A of the host organisation).
SEES_TEAM_A_CASE = {
    Role.CASE_WORKER: True,
    Role.SHELTER_WORKER: True,
    Role.LAWYER: True,
    Role.PREVENTION_OFFICER: False,
    Role.SUPERVISOR: True,
    Role.DATA_OFFICER: False,
    Role.PARTNER_USER: False,
    Role.ADMINISTRATOR: True,
}


@pytest.fixture
def case(world) -> Case:
    worker = world.user("case_worker")
    return open_case(worker, register_child(worker))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("page", ["case", "child"])
def test_in_scope_matrix(world, case, role, page) -> None:
    url = case.get_absolute_url() if page == "case" else f"/children/{case.child_id}/"
    response = client_for(world.user(role)).get(url)
    assert response.status_code == (200 if SEES_TEAM_A_CASE[role] else 404)


@pytest.mark.parametrize(
    "key", ["case_worker_a2", "case_worker_b", "other_case_worker", "other_supervisor"]
)
@pytest.mark.parametrize("page", ["case", "child", "case_edit", "child_edit", "screen", "open"])
def test_out_of_scope_is_indistinguishable_from_missing(world, case, key, page) -> None:
    urls = {
        "case": case.get_absolute_url(),
        "child": f"/children/{case.child_id}/",
        "case_edit": f"/cases/{case.pk}/edit/",
        "child_edit": f"/children/{case.child_id}/edit/",
        "screen": f"/cases/{case.pk}/screening/",
        "open": f"/cases/open/{case.child_id}/",
    }
    client = client_for(world.user(key))
    assert client.get(urls[page]).status_code == 404
    missing = (
        urls[page]
        .replace(str(case.pk), "00000000-0000-0000-0000-000000000000")
        .replace(str(case.child_id), "00000000-0000-0000-0000-000000000000")
    )
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("role", [Role.SHELTER_WORKER, Role.LAWYER, Role.ADMINISTRATOR])
def test_read_only_roles_cannot_change(world, case, role) -> None:
    client = client_for(world.user(role))
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 403
    assert (
        client.post(
            f"/cases/{case.pk}/edit/", {"intake_source": "police", "risk_level": "high"}
        ).status_code
        == 403
    )
    assert client.get("/children/register/").status_code == 403
    case.refresh_from_db()
    assert case.intake_source == "hotline"


def test_anonymous_is_sent_to_sign_in(db) -> None:
    response = Client().get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_register_open_and_screen_through_the_pages(world) -> None:
    client = client_for(world.user("case_worker"))
    response = client.post(
        "/children/register/",
        {
            "name_km": "ស្រី ពៅ",
            "family_name": "Srey",
            "given_name": "Pov",
            "sex": "female",
            "birth_year": "២០១២",
            "nationality": "KH",
            "languages": ["km"],
            "village_code": "",
            "consent_services": "on",
            "guardians-TOTAL_FORMS": "2",
            "guardians-INITIAL_FORMS": "0",
            "guardians-MIN_NUM_FORMS": "0",
            "guardians-MAX_NUM_FORMS": "10",
            "guardians-0-name": "ម្ដាយ",
            "guardians-0-relationship": "mother",
            "guardians-0-phone": "012345678",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get()
    assert (child.birth_year, child.consent_services) == (2012, True)
    response = client.post(
        f"/cases/open/{child.pk}/",
        {
            "intake_source": "community",
            "risk_level": "high",
            "screening-acts": ["recruitment", "transportation"],
            "screening-exploitation_types": ["forced_begging"],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.screening_result, case.assigned_to.username) == ("possible_victim", "case_worker")
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-result="possible_victim"' in page


def test_bad_input_on_the_register_page_saves_nothing(world) -> None:
    client = client_for(world.user("case_worker"))
    response = client.post(
        "/children/register/",
        {
            "name_km": "",
            "family_name": "<b>x</b>" * 30,
            "sex": "female",
            "nationality": "KH",
            "village_code": "12345678",
            "date_of_birth": "2999-01-01",
            "guardians-TOTAL_FORMS": "0",
            "guardians-INITIAL_FORMS": "0",
            "guardians-MIN_NUM_FORMS": "0",
            "guardians-MAX_NUM_FORMS": "10",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown village code." in page
    assert "Nothing was saved." in page
    assert "<b>x</b>" not in page  # escaped when shown again
    assert Child.objects.count() == 0


def test_case_list_search_and_filters(world, case) -> None:
    worker = world.user("case_worker")
    other = open_case(
        worker,
        register_child(worker, name_km="ជា ពិសី", family_name="Chea", given_name="Pisey"),
        risk_level="high",
    )
    client = client_for(worker)
    page = client.get("/cases/", {"q": "Cheah"}).content.decode()
    assert other.number in page
    assert case.number not in page
    page = client.get("/cases/", {"risk_level": "high"}).content.decode()
    assert other.number in page
    assert case.number not in page
    page = client.get("/cases/", {"exploitation_type": "sexual_exploitation"}).content.decode()
    assert case.number in page
    assert other.number in page
    partial = client.get("/cases/", {"q": "សុខ"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert case.number in partial


def test_case_list_only_shows_visible_cases(world, case) -> None:
    page = client_for(world.user("case_worker_b")).get("/cases/").content.decode()
    assert case.number not in page


def test_markup_in_names_is_shown_as_text_on_every_page(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker, family_name="<script>alert(1)</script>", name_km="")
    case = open_case(worker, child)
    client = client_for(worker)
    for url in (
        f"/children/{child.pk}/",
        case.get_absolute_url(),
        "/cases/",
        "/",
        f"/children/{child.pk}/edit/",
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_province_filter_on_the_case_list(world) -> None:
    worker = world.user("case_worker")
    in_phnom_penh = open_case(worker, register_child(worker, village_code="12010101"))
    elsewhere = open_case(
        worker, register_child(worker, village_code="01020101", family_name="Keo")
    )
    page = client_for(worker).get("/cases/", {"province": "12"}).content.decode()
    assert in_phnom_penh.number in page
    assert elsewhere.number not in page

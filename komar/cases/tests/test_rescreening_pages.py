"""Re-screening and second cases through the pages: nothing is downgraded or duplicated
without the person saying so, and why."""

import re

import pytest
from django.test import Client

from komar.accounts.roles import Role
from komar.cases.models import Case
from komar.cases.tests.factories import CaseFactory
from komar.children.tests.factories import ChildFactory


@pytest.fixture
def case(world):
    worker = world.user(Role.CASE_WORKER)
    return CaseFactory(actor=worker, child=ChildFactory(actor=worker))


@pytest.fixture
def client(world) -> Client:
    client = Client()
    client.force_login(world.user(Role.CASE_WORKER))
    return client


def _state(case) -> tuple[str, int]:
    case.refresh_from_db()
    return case.screening_result, case.screenings.count()


def test_a_new_screening_starts_from_the_last_one(case, client) -> None:
    page = client.get(f"/cases/{case.pk}/screening/").content.decode()
    assert 'id="screening-prefilled"' in page
    # The factory's screening found recruitment and sexual exploitation: both ticked.
    ticked = set(re.findall(r'value="([a-z_]+)" id="id_screening-[a-z_]+_\d+" checked', page))
    assert ticked == {"recruitment", "sexual_exploitation"}


def test_an_empty_screening_is_refused_on_the_page(case, client) -> None:
    before = _state(case)
    response = client.post(f"/cases/{case.pk}/screening/", {"screening-notes": ""})
    assert response.status_code == 200
    assert "Tick what the screening found" in response.content.decode()
    assert _state(case) == before


def test_a_changed_result_asks_for_confirmation_then_saves_with_the_reason(case, client) -> None:
    downgrade = {"screening-acts": ["recruitment"], "screening-indicators": ["deception"]}
    before = _state(case)

    # When the screening would change the result, the page asks and saves nothing
    response = client.post(f"/cases/{case.pk}/screening/", downgrade)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="confirmation"' in page
    assert "Confirm the change and give the reason" in page
    assert _state(case) == before

    # Confirmed without a reason: still nothing
    client.post(f"/cases/{case.pk}/screening/", {**downgrade, "confirm-confirm": "on"})
    assert _state(case) == before

    # Confirmed with a reason: saved, and the reason kept with the screening
    response = client.post(
        f"/cases/{case.pk}/screening/",
        {**downgrade, "confirm-confirm": "on", "confirm-reason": "The offer was genuine."},
    )
    assert response.status_code == 302
    assert _state(case) == ("not_indicated", 2)
    assert case.screenings.first().change_reason == "The offer was genuine."


def test_the_open_case_page_warns_of_an_open_case(case, client) -> None:
    page = client.get(f"/cases/open/{case.child_id}/").content.decode()
    assert 'id="open-case-warning"' in page
    assert case.number in page


def test_a_second_case_needs_a_reason_on_the_page(case, client) -> None:
    body = {"intake_source": "police", "risk_level": "not_assessed"}
    response = client.post(f"/cases/open/{case.child_id}/", body)
    assert response.status_code == 200
    assert 'id="confirmation"' in response.content.decode()
    assert Case.objects.count() == 1

    response = client.post(
        f"/cases/open/{case.child_id}/",
        {**body, "confirm-confirm": "on", "confirm-reason": "Found again in Poipet."},
    )
    assert response.status_code == 302
    assert Case.objects.count() == 2
    assert Case.objects.order_by("-opened_at").first().opening_reason == "Found again in Poipet."


def test_opening_a_case_with_nothing_ticked_records_no_screening(world, client) -> None:
    child = ChildFactory(actor=world.user(Role.CASE_WORKER))
    response = client.post(
        f"/cases/open/{child.pk}/", {"intake_source": "police", "risk_level": "high"}
    )
    assert response.status_code == 302
    case = Case.objects.get(child=child)
    assert (case.screening_result, case.screenings.count()) == ("not_screened", 0)

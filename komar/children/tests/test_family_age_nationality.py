"""As many guardians as the family has; the child's age; any nationality; names of people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.children.models import Child, DobPrecision, Guardian
from komar.children.services import GUARDIANS_MAX, ChildInput, GuardianInput, child_register
from komar.children.tests.factories import ChildFactory

DAY = datetime.date(2026, 11, 27)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _register_form(guardian_rows: int, **extra: str) -> dict[str, str]:
    data = {
        "name_km": "ស្រី ពៅ",
        "family_name": "Srey",
        "given_name": "Pov",
        "sex": "female",
        "birth_year": "2012",
        "nationality": "KH",
        "languages": ["km"],
        "guardians-TOTAL_FORMS": str(guardian_rows),
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "1000",
    }
    relationships = ["mother", "father", "grandparent", "sibling", "aunt_uncle", "other"]
    for i in range(guardian_rows):
        data[f"guardians-{i}-name"] = f"Guardian {i + 1}"
        data[f"guardians-{i}-relationship"] = relationships[i % len(relationships)]
        data[f"guardians-{i}-phone"] = f"0123456{i:02d}"
    data.update(extra)
    return data


# --- guardians and family members ------------------------------------------------------


def test_the_page_registers_twelve_family_members(world) -> None:
    response = _client(world.user(Role.CASE_WORKER)).post("/children/register/", _register_form(12))
    assert response.status_code == 302
    child = Child.objects.get()
    names = [g.name for g in Guardian.objects.filter(child=child).order_by("pk")]
    assert names == [f"Guardian {i}" for i in range(1, 13)]


def test_the_page_refuses_more_rows_than_the_limit_and_saves_nothing(world) -> None:
    response = _client(world.user(Role.CASE_WORKER)).post(
        "/children/register/", _register_form(GUARDIANS_MAX + 1)
    )
    assert response.status_code == 200
    assert "Give at most 30 guardians and contacts." in response.content.decode()
    assert Child.objects.count() == 0


def test_the_limit_message_is_in_khmer_on_a_khmer_page(world) -> None:
    client = _client(world.user(Role.CASE_WORKER))
    client.cookies["django_language"] = "km"
    response = client.post(
        "/children/register/", _register_form(GUARDIANS_MAX + 1), HTTP_ACCEPT_LANGUAGE="km"
    )
    assert "សូមបញ្ចូលអាណាព្យាបាល និងអ្នកទំនាក់ទំនងមិនឱ្យលើសពី 30 នាក់។" in (response.content.decode())


def test_the_form_offers_add_another_and_an_empty_row_to_copy(world) -> None:
    page = _client(world.user(Role.CASE_WORKER)).get("/children/register/").content.decode()
    assert 'data-formset="guardians"' in page
    assert 'id="add-guardian"' in page
    assert "<template data-formset-empty>" in page
    assert 'name="guardians-__prefix__-name"' in page
    assert 'name="guardians-MAX_NUM_FORMS" value="30"' in page
    assert 'type="tel"' in page


def test_the_edit_page_shows_every_guardian_and_room_for_more(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    child = ChildFactory(
        actor=worker,
        guardians=[GuardianInput(name=f"G{i}", relationship="other") for i in range(7)],
    )
    page = _client(worker).get(f"/children/{child.pk}/edit/").content.decode()
    assert 'name="guardians-TOTAL_FORMS" value="9"' in page
    assert 'value="G6"' in page


def test_the_service_takes_thirty_and_refuses_thirty_one(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    people = [GuardianInput(name=f"G{i}", relationship="sibling") for i in range(31)]
    child = child_register(actor=worker, data=ChildInput(family_name="Keo", guardians=people[:30]))
    assert Guardian.objects.filter(child=child).count() == 30
    with pytest.raises(ValidationError) as refused:
        child_register(actor=worker, data=ChildInput(family_name="Keo", guardians=people))
    assert refused.value.message_dict == {"guardians": ["Give at most 30 guardians."]}
    assert Child.objects.count() == 1


def test_the_api_takes_twelve_guardians_and_refuses_thirty_one(world) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    people = [{"name": f"G{i}", "relationship": "sibling"} for i in range(31)]
    created = client.post(
        "/api/v1/children/", {"family_name": "Keo", "guardians": people[:12]}, format="json"
    )
    assert created.status_code == 201
    assert len(created.json()["guardians"]) == 12
    refused = client.post(
        "/api/v1/children/", {"family_name": "Keo", "guardians": people}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"guardians": ["Give at most 30 guardians."]}
    assert Child.objects.count() == 1


# --- age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "language", "expected"),
    [
        ({"date_of_birth": datetime.date(2012, 11, 28)}, "en", "13 years"),
        ({"date_of_birth": datetime.date(2012, 11, 27)}, "en", "14 years"),
        ({"date_of_birth": datetime.date(2025, 11, 1)}, "en", "1 year"),
        ({"date_of_birth": datetime.date(2026, 5, 1)}, "en", "under 1 year"),
        ({"birth_year": 2012}, "en", "about 14 years"),
        ({"age_at_intake": 9}, "en", "about 9 years"),
        ({}, "en", ""),
        ({"date_of_birth": datetime.date(2012, 11, 27)}, "km", "14 ឆ្នាំ"),
        ({"birth_year": 2012}, "km", "ប្រហែល 14 ឆ្នាំ"),
        ({"date_of_birth": datetime.date(2026, 5, 1)}, "km", "មិនទាន់គ្រប់មួយឆ្នាំ"),
    ],
)
def test_the_age_says_about_when_it_is_estimated(world, fields, language, expected) -> None:
    child = child_register(
        actor=world.user(Role.CASE_WORKER), data=ChildInput(family_name="Keo", **fields)
    )
    with translation.override(language):
        assert child.age_label_on(DAY) == expected


def test_an_age_estimated_at_intake_is_estimated(world) -> None:
    child = child_register(
        actor=world.user(Role.CASE_WORKER), data=ChildInput(family_name="Keo", age_at_intake=9)
    )
    assert (child.dob_precision, child.age_is_estimated) == (DobPrecision.AGE, True)


def test_the_child_page_shows_the_age_beside_the_birth_year(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    child = ChildFactory(actor=worker, birth_year=2012, aliases=["Nang", "Srey Nang"])
    client = _client(worker)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert '<dd class="col-7" id="child-age">about ' in page
    km = client.get(f"/children/{child.pk}/", HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert '<dd class="col-7" id="child-age">ប្រហែល ' in km
    assert 'id="child-aliases">ឈ្មោះហៅក្រៅ៖ Nang, Srey Nang</div>' in km


# --- nationality -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["IN", "BD", "XS", "XX", "NP"])
def test_any_iso_country_or_stateless_or_unknown_is_a_nationality(world, code) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        "/api/v1/children/", {"family_name": "Keo", "nationality": code}, format="json"
    )
    assert response.status_code == 201
    assert Child.objects.get().nationality == code


def test_a_code_outside_iso_3166_is_refused(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        "/api/v1/children/", {"family_name": "Keo", "nationality": "ZZ"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"nationality": ["Choose one of the listed countries."]}
    assert Child.objects.count() == 0


def test_the_register_page_offers_india_and_registers_a_stateless_child(world) -> None:
    client = _client(world.user(Role.CASE_WORKER))
    page = client.get("/children/register/").content.decode()
    assert '<option value="IN">India</option>' in page
    assert '<option value="XS">Stateless</option>' in page
    assert page.index('value="KH"') < page.index('value="XS"') < page.index('value="AF"')
    response = client.post("/children/register/", _register_form(0, nationality="XS"))
    assert response.status_code == 302
    child = Child.objects.get()
    assert child.nationality == "XS"
    with translation.override("km"):
        assert child.nationality_label == "គ្មានសញ្ជាតិ"


# --- people by name ----------------------------------------------------------------------


def test_consent_history_names_who_recorded_it(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    worker.full_name, worker.full_name_km = "Sok Dara", "សុខ ដារា"
    worker.save()
    child = ChildFactory(actor=worker, consents={"services": True})
    client = _client(worker)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "· Sok Dara</li>" in page
    assert "· case_worker</li>" not in page
    km = client.get(f"/children/{child.pk}/", HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert "· សុខ ដារា</li>" in km
    assert 'id="user-menu">សុខ ដារា · ' in km


def test_a_user_without_a_full_name_is_shown_by_username(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    page = _client(worker).get("/").content.decode()
    assert 'id="user-menu">case_worker · ' in page

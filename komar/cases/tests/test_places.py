"""Places of recruitment and exploitation known at any level (issue 6): a town picked at
district level is kept, shown with its level and path, and every code a person types is
read by one parser on the pages, in the API and in the services."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.cases.models import Screening
from komar.cases.services import ScreeningInput, screening_record
from komar.cases.tests.factories import CaseFactory
from komar.children.forms import ChildForm
from komar.children.tests.factories import ChildFactory
from komar.geo.models import District, DistrictType
from komar.geo.services import search_keys
from komar.geo.tests.fixtures import VILLAGE_OU_THUM

FOUND = {"acts": ["recruitment"], "exploitation_types": ["sexual_exploitation"]}
POIPET = "0110"


@pytest.fixture
def poipet(world) -> District:
    """Krong Poipet, a town of Banteay Meanchey (the small gazetteer holds the province)."""
    key_km, key_latin = search_keys(name_km="ប៉ោយប៉ែត", name_latin="Poipet")
    return District.objects.create(
        code=POIPET,
        province_id="01",
        name_km="ប៉ោយប៉ែត",
        name_latin="Poipet",
        unit_type=DistrictType.KRONG,
        search_key_km=key_km,
        search_key_latin=key_latin,
    )


@pytest.fixture
def worker(world):
    return world.user(Role.CASE_WORKER)


@pytest.fixture
def case(worker):
    return CaseFactory(actor=worker, child=ChildFactory(actor=worker))


def _record(worker, case, **places) -> Screening:
    screening_record(actor=worker, case=case, data=ScreeningInput(**FOUND, **places))
    return case.screenings.first()


def _stored(screening: Screening, kind: str) -> tuple[str, str, str, str]:
    return (
        getattr(screening, f"{kind}_place_code"),
        getattr(screening, f"{kind}_place_level"),
        getattr(screening, f"{kind}_country"),
        getattr(screening, f"{kind}_region"),
    )


# --- The service ------------------------------------------------------------------------


def test_a_town_known_at_district_level_is_kept_at_that_level(worker, case, poipet) -> None:
    screening = _record(worker, case, exploitation_place_code=POIPET)

    assert _stored(screening, "exploitation") == (POIPET, "district", "KH", "")
    assert _stored(screening, "recruitment") == ("", "", "", "")


@pytest.mark.parametrize(
    ("typed", "stored", "level"),
    [
        ("01020101", VILLAGE_OU_THUM, "village"),
        ("1020101", VILLAGE_OU_THUM, "village"),
        ("01 02 01 01", VILLAGE_OU_THUM, "village"),
        ("01-02-01-01", VILLAGE_OU_THUM, "village"),
        ("០១០២០១០១", VILLAGE_OU_THUM, "village"),
        (" ១០២០១០១ ", VILLAGE_OU_THUM, "village"),
        ("010201", "010201", "commune"),
        ("០១ ០២", "0102", "district"),
        ("01", "01", "province"),
    ],
)
def test_every_way_of_typing_a_code_is_stored_the_same(worker, case, typed, stored, level):
    screening = _record(worker, case, recruitment_place_code=typed)

    assert _stored(screening, "recruitment") == (stored, level, "KH", "")


def test_a_place_abroad_is_a_country_and_a_region(worker, case) -> None:
    screening = _record(worker, case, exploitation_country="th", exploitation_region="  Sa   Kaeo ")

    assert _stored(screening, "exploitation") == ("", "", "TH", "Sa Kaeo")


@pytest.mark.parametrize(
    ("places", "errors"),
    [
        (
            {"exploitation_place_code": "0199"},
            {"screening.exploitation_place_code": ["No place has this code."]},
        ),
        (
            {"exploitation_place_code": "01020199"},
            {"screening.exploitation_place_code": ["No place has this code."]},
        ),
        (
            {"exploitation_place_code": "123"},
            {"screening.exploitation_place_code": ["Enter a place code of 2, 4, 6 or 8 digits."]},
        ),
        (
            {"recruitment_place_code": "Poipet"},
            {"screening.recruitment_place_code": ["Enter a place code of 2, 4, 6 or 8 digits."]},
        ),
        (
            {"exploitation_place_code": POIPET, "exploitation_country": "TH"},
            {
                "screening.exploitation_country": [
                    "A place in Cambodia and another country cannot both be the place."
                ]
            },
        ),
        (
            {"exploitation_place_code": POIPET, "exploitation_region": "Sa Kaeo"},
            {
                "screening.exploitation_region": [
                    "A region is for a place abroad: leave it empty for a place in Cambodia."
                ]
            },
        ),
        (
            {"exploitation_region": "Sa Kaeo"},
            {"screening.exploitation_country": ["Choose the country the region is in."]},
        ),
        (
            {"exploitation_country": "ZZ"},
            {"screening.exploitation_country": ["Choose one of the listed countries."]},
        ),
        (
            {"exploitation_country": "TH", "exploitation_region": "x" * 101},
            {"screening.exploitation_region": ["Use at most 100 characters (it has 101)."]},
        ),
    ],
)
def test_a_wrong_place_is_a_field_error_and_saves_nothing(
    worker, case, poipet, places, errors
) -> None:
    before = case.screenings.count()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        screening_record(actor=worker, case=case, data=ScreeningInput(**FOUND, **places))

    assert caught.value.message_dict == errors
    assert case.screenings.count() == before


def test_the_place_reads_with_its_level_and_path_in_each_language(worker, case, poipet):
    screening = _record(
        worker,
        case,
        exploitation_place_code=POIPET,
        recruitment_country="TH",
        recruitment_region="Sa Kaeo",
    )
    place = screening.exploitation_place
    abroad = screening.recruitment_place

    with translation.override("en"):
        assert (place.label, place.level_label) == ("Poipet, Banteay Meanchey", "District")
        assert (abroad.label, abroad.level_label) == ("Sa Kaeo, Thailand", "Abroad")
    with translation.override("km"):
        assert place.label == "ក្រុងប៉ោយប៉ែត, ខេត្តបន្ទាយមានជ័យ"
        assert place.level_label == "ស្រុក/ក្រុង/ខណ្ឌ"
        assert abroad.label == "Sa Kaeo, ថៃ"
        assert abroad.level_label == "នៅបរទេស"


# --- The API -----------------------------------------------------------------------------


def _patch(worker, case, screening: dict):
    return api_as(worker).patch(
        f"/api/v1/cases/{case.pk}/", {"screening": {**FOUND, **screening}}, format="json"
    )


def test_api_takes_a_district_and_answers_its_code_level_and_labels(worker, case, poipet):
    response = _patch(worker, case, {"exploitation_place_code": "០១ ១០"})

    assert response.status_code == 200
    screening = response.json()["screening"]
    assert screening["exploitation_place_code"] == POIPET
    assert screening["exploitation_place_level"] == "district"
    assert screening["exploitation_country"] == "KH"
    assert screening["exploitation_village_code"] is None
    assert screening["exploitation_place"] == {
        "code": POIPET,
        "level": "district",
        "country": "KH",
        "region": "",
        "label_km": "ក្រុងប៉ោយប៉ែត, ខេត្តបន្ទាយមានជ័យ",
        "label_latin": "Poipet, Banteay Meanchey",
    }
    assert screening["recruitment_place"] is None


@pytest.mark.parametrize("typed", ["1020101", "01 02 01 01", 1020101, "០១០២០១០១"])
def test_api_takes_the_village_codes_the_web_form_takes(worker, case, typed) -> None:
    response = _patch(worker, case, {"recruitment_place_code": typed})

    assert response.status_code == 200
    screening = response.json()["screening"]
    assert screening["recruitment_place_code"] == VILLAGE_OU_THUM
    assert screening["recruitment_village_code"] == VILLAGE_OU_THUM


def test_api_still_takes_the_old_village_field_name(worker, case) -> None:
    response = _patch(worker, case, {"exploitation_village_code": "1020101"})

    assert response.status_code == 200
    assert response.json()["screening"]["exploitation_place_code"] == VILLAGE_OU_THUM
    assert case.screenings.first().exploitation_place_level == "village"


def test_api_takes_a_place_abroad(worker, case) -> None:
    response = _patch(
        worker, case, {"exploitation_country": "TH", "exploitation_region": "Sa Kaeo"}
    )

    assert response.status_code == 200
    place = response.json()["screening"]["exploitation_place"]
    assert place == {
        "code": "",
        "level": "",
        "country": "TH",
        "region": "Sa Kaeo",
        "label_km": "Sa Kaeo, ថៃ",
        "label_latin": "Sa Kaeo, Thailand",
    }


@pytest.mark.parametrize(
    ("screening", "body"),
    [
        (
            {"exploitation_place_code": "0199"},
            {"exploitation_place_code": ["No place has this code."]},
        ),
        (
            {"exploitation_place_code": "12345"},
            {"exploitation_place_code": ["Enter a place code of 2, 4, 6 or 8 digits."]},
        ),
        (
            {"recruitment_village_code": "abc"},
            {"recruitment_village_code": ["Enter a place code of 2, 4, 6 or 8 digits."]},
        ),
        (
            {"recruitment_village_code": "01020101", "recruitment_place_code": "0102"},
            {
                "recruitment_village_code": [
                    "Give only one of recruitment_village_code and recruitment_place_code."
                ]
            },
        ),
        (
            {"exploitation_place_code": POIPET, "exploitation_country": "TH"},
            {
                "exploitation_country": [
                    "A place in Cambodia and another country cannot both be the place."
                ]
            },
        ),
    ],
)
def test_api_refuses_a_wrong_place_naming_the_field_and_saves_nothing(
    worker, case, poipet, screening, body
) -> None:
    before = (Screening.objects.count(), case.screening_result)

    response = _patch(worker, case, screening)

    assert response.status_code == 400
    assert response.json() == {"screening": body}
    case.refresh_from_db()
    assert (Screening.objects.count(), case.screening_result) == before


# --- The pages ---------------------------------------------------------------------------


@pytest.fixture
def client(worker) -> Client:
    client = Client()
    client.force_login(worker)
    return client


@pytest.mark.parametrize(
    ("language", "label", "level"),
    [
        ("en", "Poipet, Banteay Meanchey", "District"),
        ("km", "ក្រុងប៉ោយប៉ែត, ខេត្តបន្ទាយមានជ័យ", "ស្រុក/ក្រុង/ខណ្ឌ"),
    ],
)
def test_screening_page_keeps_a_district_and_the_case_page_shows_it(
    client, case, poipet, language, label, level
) -> None:
    response = client.post(
        f"/cases/{case.pk}/screening/",
        {
            "screening-acts": ["recruitment"],
            "screening-exploitation_types": ["sexual_exploitation"],
            "screening-exploitation_place_code": "០១១០",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 302
    assert _stored(case.screenings.first(), "exploitation") == (POIPET, "district", "KH", "")
    page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    shown = page.split('id="screening-exploitation-place">')[1].split("</dd>")[0]
    assert f'<span class="komar-place">{label}</span>' in shown
    assert f'komar-place-level">{level}</span>' in shown


def test_screening_page_explains_an_unknown_code_and_saves_nothing(client, case) -> None:
    before = case.screenings.count()

    response = client.post(
        f"/cases/{case.pk}/screening/",
        {
            "screening-acts": ["recruitment"],
            "screening-exploitation_types": ["sexual_exploitation"],
            "screening-exploitation_place_code": "0199",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "No place has this code." in response.content.decode()
    assert case.screenings.count() == before


def test_a_new_screening_starts_from_the_last_ones_places(client, worker, case, poipet):
    _record(worker, case, exploitation_place_code=POIPET, recruitment_country="TH")

    page = client.get(f"/cases/{case.pk}/screening/").content.decode()

    assert (
        'name="screening-exploitation_place_code" id="id_screening-exploitation_place_code" value="0110"'
        in page
    )
    assert '<option value="TH" selected>' in page


# --- A child's village: the same parser on the page and in the API ------------------------


@pytest.mark.parametrize("typed", ["1020101", "01 02 01 01", "០១០២០១០១", 1020101])
def test_child_api_takes_the_village_codes_the_child_form_takes(worker, typed) -> None:
    child = ChildFactory(actor=worker)

    response = api_as(worker).patch(
        f"/api/v1/children/{child.pk}/", {"village_code": typed}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["village_code"] == VILLAGE_OU_THUM
    child.refresh_from_db()
    assert child.village_id == VILLAGE_OU_THUM
    assert ChildForm().fields["village_code"].clean(str(typed)) == VILLAGE_OU_THUM


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0102", "Enter a village code of 8 digits."), ("01020199", "Unknown village code.")],
)
def test_child_api_refuses_a_wrong_village_code_and_saves_nothing(worker, typed, message):
    child = ChildFactory(actor=worker)
    before = child.village_id

    response = api_as(worker).patch(
        f"/api/v1/children/{child.pk}/", {"village_code": typed}, format="json"
    )

    assert (response.status_code, response.json()) == (400, {"village_code": [message]})
    child.refresh_from_db()
    assert child.village_id == before

"""One parser of place codes, the place field, the picker's place mode and the
search's count (issue 6)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from komar.geo.forms import PlaceField, VillageField
from komar.geo.models import District, DistrictType
from komar.geo.selectors import place_code_parse, place_name_of, village_code_parse
from komar.geo.serializers import PlaceCodeField, VillageCodeField
from komar.geo.services import search_keys
from komar.geo.tests.fixtures import VILLAGE_OU_THUM

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]

PLACE_PICKER = {"field": "place", "picker": "id_place", "mode": "place"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01020101", "01020101"),
        ("1020101", "01020101"),
        (1020101, "01020101"),
        ("01 02 01 01", "01020101"),
        ("01-02-01-01", "01020101"),
        ("01.02.01.01", "01020101"),
        ("01/02/01/01", "01020101"),
        ("០១០២០១០១", "01020101"),
        ("០១ ០២ ០១ ០១", "01020101"),
        (" 010201 ", "010201"),
        ("0110", "0110"),
        ("០១", "01"),
        ("1", None),
        ("123", None),
        ("12345", None),
        ("123456789", None),
        ("", None),
        ("0x10", None),
        ("01a2", None),
        (True, None),
        (None, None),
        (["01"], None),
        ("١٢", None),  # Arabic-Indic digits are not Khmer or ASCII
    ],
)
def test_place_code_parse(typed, expected):
    assert place_code_parse(typed) == expected


def test_village_code_parse_takes_only_villages():
    assert village_code_parse("1020101") == "01020101"
    assert village_code_parse("0110") is None


def _unit(small_gazetteer):
    key_km, key_latin = search_keys(name_km="ប៉ោយប៉ែត", name_latin="Poipet")
    return District.objects.create(
        code="0110",
        province_id="01",
        name_km="ប៉ោយប៉ែត",
        name_latin="Poipet",
        unit_type=DistrictType.KRONG,
        search_key_km=key_km,
        search_key_latin=key_latin,
    )


@pytest.fixture
def poipet(small_gazetteer):
    return _unit(small_gazetteer)


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [("០១១០", "0110"), ("01 10", "0110"), ("1020101", VILLAGE_OU_THUM), ("01", "01")],
)
def test_place_field_takes_any_level(poipet, typed, cleaned):
    assert PlaceField(required=False).clean(typed) == cleaned


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0199", "No place has this code."), ("123", "Enter a place code of 2, 4, 6 or 8 digits.")],
)
def test_place_field_explains_a_wrong_code(poipet, typed, message):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        PlaceField(required=False).clean(typed)
    assert caught.value.messages == [message]


def test_village_field_takes_what_the_api_takes(small_gazetteer):
    field = VillageField(required=False)
    for typed in ("1020101", "01 02 01 01", "០១០២០១០១"):
        assert field.clean(typed) == VILLAGE_OU_THUM


def test_api_code_fields_parse_with_the_same_parser():
    assert PlaceCodeField().to_internal_value("០១ ១០") == "0110"
    assert PlaceCodeField().to_internal_value(1020101) == "01020101"
    assert VillageCodeField().to_internal_value("01 02 01 01") == "01020101"
    with pytest.raises(serializers.ValidationError):
        VillageCodeField().to_internal_value("0110")
    with pytest.raises(serializers.ValidationError):
        PlaceCodeField().to_internal_value("12345")


def test_a_code_no_unit_has_any_more_still_shows(small_gazetteer):
    place = place_name_of(code="0199")
    assert (place.label_latin, place.level) == ("0199", "district")
    assert place_name_of(code="") is None


# --- The picker in place mode -----------------------------------------------------------


@pytest.fixture
def user_client(client, django_user_model, poipet):
    user = django_user_model.objects.create_user(username="worker", password="pw-for-tests-only")
    client.force_login(user)
    return client


def _code_input(html: str) -> str:
    found = re.search(r'<input type="text" name="place" id="id_place"([^>]*)>', html)
    assert found, html
    value = re.search(r'value="([^"]*)"', found.group(1))
    return value.group(1) if value else ""


def test_choosing_a_district_in_place_mode_fills_the_code(user_client):
    html = user_client.get(
        reverse("geo:commune_options"), {**PLACE_PICKER, "district": "0110"}
    ).content.decode()
    assert _code_input(html) == "0110"


def test_clearing_a_list_in_place_mode_keeps_the_level_above(user_client):
    html = user_client.get(
        reverse("geo:commune_options"), {**PLACE_PICKER, "province": "01", "district": ""}
    ).content.decode()
    assert _code_input(html) == "01"


def test_choosing_a_district_in_village_mode_leaves_the_code_empty(user_client):
    picker = {k: v for k, v in PLACE_PICKER.items() if k != "mode"}
    html = user_client.get(
        reverse("geo:commune_options"), {**picker, "district": "0110"}
    ).content.decode()
    assert _code_input(html) == ""


def test_the_village_list_in_place_mode_falls_back_to_the_commune(user_client):
    url = reverse("geo:village_code_input")
    chosen = {**PLACE_PICKER, "province": "01", "district": "0102", "commune": "010201"}
    assert _code_input(user_client.get(url, {**chosen, "village": ""}).content.decode()) == (
        "010201"
    )
    html = user_client.get(url, {**chosen, "village": VILLAGE_OU_THUM}).content.decode()
    assert _code_input(html) == VILLAGE_OU_THUM


def test_picking_a_district_hit_in_place_mode_fills_the_code(user_client):
    html = user_client.get(
        reverse("geo:picker_place"), {**PLACE_PICKER, "unit": "0110"}
    ).content.decode()
    assert _code_input(html) == "0110"
    assert '<option value="0110" selected>' in html


def test_typing_a_district_code_in_place_mode_selects_it(user_client):
    html = user_client.get(
        reverse("geo:picker_selects"), {**PLACE_PICKER, "code": "០១ ១០"}
    ).content.decode()
    assert re.findall(r'<option value="([0-9]+)" selected>', html) == ["01", "0110"]
    assert _code_input(html) == "0110"


def test_place_widget_asks_for_any_level_and_lists_send_the_levels_above(poipet):
    html = PlaceField(required=False).widget.render("place", "0110", {"id": "id_place"})
    assert '"mode": "place"' in html.replace("&quot;", '"')
    assert 'hx-include="#id_place__province, #id_place__district"' in html
    assert "a whole province, district or commune is enough" in html


def test_picker_search_says_how_many_places_match(user_client):
    with translation.override("en"):
        html = user_client.get(
            reverse("geo:picker_search"), {**PLACE_PICKER, "q": "01"}
        ).content.decode()
    # 01, 0102, 0110, 010201 and two villages: 6 units, the first 6 shown.
    assert "6 places found." in html
    assert len(re.findall(r'data-code="', html)) == 6

"""Loading the gazetteer and seeding the place aliases."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F

from komar.geo.models import Commune, District, PlaceAlias, Province, Village
from komar.geo.services import (
    SEED_ALIASES,
    GazetteerError,
    code_normalize,
    place_alias_save,
)

EXPECTED = {"provinces": 25, "districts": 210, "communes": 1652, "villages": 14578}

pytestmark = pytest.mark.django_db


def _db_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "districts": District.objects.count(),
        "communes": Commune.objects.count(),
        "villages": Village.objects.count(),
    }


def test_load_counts_every_level(gazetteer):
    assert gazetteer == EXPECTED
    assert _db_counts() == EXPECTED


def test_load_again_is_idempotent_and_keeps_validity_dates(gazetteer, capsys):
    # Given the gazetteer loaded (by the fixture), a district closed by hand and a
    # village renamed by hand,
    District.objects.filter(code="0110").update(valid_to=datetime.date(2030, 1, 1))
    Village.objects.filter(code="01020101").update(name_latin="Wrong")
    # when the command loads it again,
    call_command("load_gazetteer")
    # then it prints the same counts, nothing is duplicated, names come back from the
    # file and the validity date stays.
    out = capsys.readouterr().out
    for line in ("provinces: 25", "districts: 210", "communes: 1652", "villages: 14578"):
        assert line in out
    assert _db_counts() == EXPECTED
    assert Village.objects.get(code="01020101").name_latin == "Ou Thum"
    assert District.objects.get(code="0110").valid_to == datetime.date(2030, 1, 1)


def test_every_code_starts_with_its_parents_code(gazetteer):
    assert Village.objects.exclude(code__startswith=F("commune_id")).count() == 0
    assert Commune.objects.exclude(code__startswith=F("district_id")).count() == 0
    assert District.objects.exclude(code__startswith=F("province_id")).count() == 0
    assert {len(c) for c in Village.objects.values_list("code", flat=True)} == {8}


def test_units_carry_types_coordinates_and_keys(gazetteer):
    phnom_penh = Province.objects.get(code="12")
    assert (phnom_penh.unit_type, phnom_penh.iso3166_2) == ("reach_theani", "KH-12")
    assert str(phnom_penh.latitude) == "11.5730391"
    poipet = District.objects.get(code="0110")
    assert (poipet.unit_type, poipet.search_key_latin) == ("krong", "poipet")
    assert Commune.objects.get(code="011002").unit_type == "sangkat"
    assert District.objects.filter(unit_type="khan").count() == 14
    assert Commune.objects.filter(unit_type="sangkat").count() == 274
    # A village name with a zero width space in the gazetteer is stored without it.
    assert "\u200b" not in Village.objects.get(code="10050109").name_km


def test_blank_latin_name_is_loaded(gazetteer):
    village = Village.objects.get(code="02010508")
    assert (village.name_km, village.name_latin, str(village)) == ("ប៉ៃឡាំ", "", "ប៉ៃឡាំ")


def test_seed_aliases_all_loaded(gazetteer):
    expected = {(name, code) for name, codes, _note in SEED_ALIASES for code in codes}
    assert set(PlaceAlias.objects.values_list("name", "code")) == expected
    poipet = PlaceAlias.objects.get(name="Paoy Paet", code="0110")
    assert poipet.search_key_latin == "paoipaet"


@pytest.mark.parametrize(
    ("raw", "length", "expected"),
    [
        ("01", 2, "01"),
        ("1", 2, "01"),
        (1, 2, "01"),
        ("102", 4, "0102"),
        (10201, 6, "010201"),
        ("1020101", 8, "01020101"),
        (" ០១០២០១០១ ", 8, "01020101"),
        ("12010101", 8, "12010101"),
    ],
)
def test_code_normalize_pads_with_zeros(raw, length, expected):
    assert code_normalize(raw, length=length) == expected


@pytest.mark.parametrize(("raw", "length"), [("123", 2), ("0a", 2), ("", 2), ("1.5", 4)])
def test_code_normalize_rejects_bad_codes(raw, length):
    with pytest.raises(GazetteerError):
        code_normalize(raw, length=length)


def test_place_alias_save_computes_keys_and_checks_the_code(small_gazetteer):
    alias = place_alias_save(alias=PlaceAlias(name="Ou Thom", code="០១០២០១០១"))
    assert (alias.code, alias.search_key_latin, alias.search_key_km) == ("01020101", "outom", "")
    khmer = place_alias_save(alias=PlaceAlias(name="អូរ\u200bធំ", code="01020101"))
    assert (khmer.search_key_km, khmer.search_key_latin) == ("អូរធំ", "")
    with pytest.raises(ValidationError) as error:
        place_alias_save(alias=PlaceAlias(name="Nowhere", code="99999999"))
    assert error.value.message_dict == {"code": ["No unit has this code."]}

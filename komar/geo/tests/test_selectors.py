"""Reading the gazetteer: search in both scripts and spellings, paths, picker lists."""

import datetime

import pytest

from komar.core.khmer import latin_search_key
from komar.geo.models import Commune, District, PlaceAlias
from komar.geo.selectors import (
    code_clean,
    communes_of,
    districts_of,
    locations_search,
    province_choices,
    provinces_list,
    unit_get,
    village_get,
    village_path,
    villages_of,
)

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"
KANDAL_TA = "កណ\u17d2\u178fាល"  # subscript TA, as the province is written
KANDAL_DA = "កណ\u17d2\u178aាល"  # subscript DA, as district 0801 is written


def codes(q: str, limit: int = 20) -> list[str]:
    return [hit.code for hit in locations_search(q=q, limit=limit)]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("Poipet", "0110"),
        ("Paoy Paet", "0110"),
        ("Koh Kong", "09"),
        ("Kaoh Kong", "09"),
        ("Kep", "23"),
        ("Kaeb", "23"),
        ("Siem Reap", "17"),
        ("siemreap", "17"),
        ("SIEM REAP", "17"),
        ("Siem Reab", "17"),
        ("Sihanoukville", "18"),
        ("Kampong Som", "18"),
        ("Phnom Penh", "12"),
        ("Phnum Penh", "12"),
        ("Battambang", "02"),
        ("Batdambang", "02"),
        ("Ratanakiri", "16"),
        ("Rotanak Kiri", "16"),
        ("Mondulkiri", "11"),
        ("Mondol Kiri", "11"),
        ("Tbong Khmum", "25"),
        ("Tboung Khmum", "25"),
        ("កំពត", "07"),
        ("Kampot", "07"),
        ("Kratie", "10"),
    ],
)
def test_everyday_and_official_spellings_find_the_unit_first(gazetteer, q, first):
    assert codes(q)[0] == first


@pytest.mark.parametrize(
    ("q", "also"),
    [
        ("Poipet", ["0110", "011002"]),
        ("Paoy Paet", ["0110", "011002"]),
        ("Kep", ["23", "2302", "230201"]),
        ("Koh Kong", ["09", "0903", "0904"]),
        ("Siem Reap", ["17", "1710"]),
        ("Sihanoukville", ["18", "1801"]),
        ("Battambang", ["02", "0203"]),
    ],
)
def test_province_then_krong_then_sangkat(gazetteer, q, also):
    assert codes(q)[: len(also)] == also


def test_unit_word_prefers_its_level(gazetteer):
    assert codes("Krong Siem Reap")[0] == "1710"
    assert codes("Siem Reap province")[0] == "17"
    assert codes("ក្រុងសៀមរាប")[0] == "1710"
    assert codes("ខេត្តកំពត")[0] == "07"


def test_hit_carries_names_and_parent_path_in_both_scripts(gazetteer):
    hit = locations_search(q="Poipet")[1]
    assert hit.code == "011002"
    assert (hit.level, hit.unit_type, hit.name_km, hit.name_latin) == (
        "commune",
        "sangkat",
        "ប៉ោយប៉ែត",
        "Poipet",
    )
    assert hit.path_km == ("បន្ទាយមានជ័យ", "ប៉ោយប៉ែត")
    assert hit.path_latin == ("Banteay Meanchey", "Poipet")
    assert hit.path_label_latin == "Banteay Meanchey › Poipet"
    province = locations_search(q="Kep")[0]
    assert (province.level, province.path_km, province.path_latin) == ("province", (), ())


def test_subscript_da_and_ta_find_the_same_units(gazetteer):
    # The gazetteer writes Kandal both ways.
    assert KANDAL_TA in District.objects.get(code="0801").province.name_km
    assert KANDAL_DA in District.objects.get(code="0801").name_km
    assert codes(KANDAL_TA) == codes(KANDAL_DA)
    assert codes(KANDAL_TA)[0] == "08"
    assert codes(KANDAL_DA + "ស្ទឹង")[0] == "0801"
    assert codes(KANDAL_TA + "ស្ទឹង")[0] == "0801"


def test_zero_width_spaces_are_ignored(gazetteer):
    assert codes(KANDAL_DA + ZWSP + "ស្ទឹង")[0] == "0801"
    assert codes("កំ" + ZWSP + "ពត")[0] == "07"
    # The gazetteer's own name has a ZWSP ("ដង​រ៉ែក"); typed without it, it is found.
    assert "10050109" in codes("ដងរ៉ែក")
    assert "10050109" in codes("ដង" + ZWSP + "រ៉ែក")


def test_codes_in_ascii_or_khmer_digits(gazetteer):
    assert codes("01020101") == ["01020101"]
    assert codes("០១០២០១០១") == ["01020101"]
    assert codes(" 1020101 ") == ["01020101"]
    assert codes("0102", limit=3) == ["0102", "010201", "010202"]
    assert codes("99999999") == []


@pytest.mark.parametrize("q", ["Kampong Cham", "Thma", "Siem"])
def test_exact_matches_then_prefix_then_contains(gazetteer, q):
    key = latin_search_key(q)
    aliased = set(PlaceAlias.objects.filter(search_key_latin=key).values_list("code", flat=True))

    def match(hit) -> int:
        name = latin_search_key(hit.name_latin)
        if name == key or hit.code in aliased:
            return 0
        return 1 if name.startswith(key) else 2

    hits = locations_search(q=q, limit=100)
    classes = [match(hit) for hit in hits]
    assert classes == sorted(classes)
    assert len(set(classes)) >= 2
    # Within exact matches, higher levels come first.
    exact_levels = [len(hit.code) for hit in hits if match(hit) == 0]
    assert exact_levels == sorted(exact_levels)


def test_limit_and_empty_queries(gazetteer):
    assert len(locations_search(q="Thmei", limit=5)) == 5
    assert len(locations_search(q="Thmei")) == 20
    assert locations_search(q="") == []
    assert locations_search(q="   ") == []
    assert locations_search(q="!!!") == []
    assert locations_search(q="Kep", limit=0) == []


def test_closed_units_rank_after_current_ones(gazetteer):
    assert codes("Siem Reap")[2:4] == ["080122", "171009"]
    Commune.objects.filter(code="080122").update(valid_to=datetime.date(2020, 1, 1))
    assert codes("Siem Reap")[2:4] == ["171009", "080122"]


def test_village_get_and_path(gazetteer):
    village = village_get(code="០១០២០១០១")
    assert village is not None
    assert village_path(village) == {
        "province_code": "01",
        "province_name_km": "បន្ទាយមានជ័យ",
        "province_name_latin": "Banteay Meanchey",
        "district_code": "0102",
        "district_name_km": "មង្គលបូរី",
        "district_name_latin": "Mongkol Borey",
        "commune_code": "010201",
        "commune_name_km": "បន្ទាយនាង",
        "commune_name_latin": "Banteay Neang",
        "village_code": "01020101",
        "village_name_km": "អូរធំ",
        "village_name_latin": "Ou Thum",
    }
    assert village_get(code="1020101").code == "01020101"
    assert village_get(code="99999999") is None
    assert village_get(code="0102") is None
    assert village_get(code="abc") is None


def test_unit_get_any_level(gazetteer):
    assert unit_get(code="17").name_latin == "Siem Reap"
    assert unit_get(code="១៧១០").name_latin == "Siem Reap"
    assert unit_get(code="123") is None  # pads to 0123, which does not exist
    assert unit_get(code="") is None


def test_picker_lists(gazetteer):
    assert provinces_list().count() == 25
    assert province_choices()[0] == ("01", "បន្ទាយមានជ័យ / Banteay Meanchey")
    assert list(districts_of("01").values_list("code", flat=True)) == [
        f"01{n:02d}" for n in range(2, 11)
    ]
    assert communes_of("0102").count() == 13
    assert all(
        code.startswith("0102") for code in communes_of("0102").values_list("code", flat=True)
    )
    assert list(villages_of("010201").values_list("code", flat=True))[:2] == [
        "01020101",
        "01020102",
    ]
    assert districts_of("").count() == 0
    assert districts_of("x").count() == 0
    assert villages_of("០១០២០១").count() == villages_of("010201").count() > 0


def test_picker_lists_leave_out_closed_units(gazetteer):
    District.objects.filter(code="0102").update(valid_to=datetime.date(2020, 1, 1))
    assert "0102" not in districts_of("01").values_list("code", flat=True)
    assert districts_of("01").count() == 8


@pytest.mark.parametrize(
    ("raw", "length", "expected"),
    [
        ("01020101", None, "01020101"),
        ("០១០២០១០១", 8, "01020101"),
        ("01 02 01 01", 8, "01020101"),
        ("1020101", None, "01020101"),
        ("1", 2, "01"),
        ("1", 8, "00000001"),
        ("123456789", None, None),
        ("01020101", 6, None),
        ("Kep", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_code_clean(raw, length, expected):
    assert code_clean(raw, length=length) == expected

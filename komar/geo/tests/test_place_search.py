"""Place search: how many match in all, narrowing by a province or district named in the
query, and the romanisations people write (issue 6)."""

import pytest

from komar.geo.models import Commune, Village
from komar.geo.selectors import locations_find

pytestmark = pytest.mark.django_db


def _find(q, limit=100):
    return locations_find(q=q, limit=limit)


def test_count_says_how_many_match_beyond_the_hits_shown(gazetteer):
    found = _find("ត្រពាំងឈូក", limit=8)
    assert len(found.hits) == 8
    assert found.count == _find("ត្រពាំងឈូក").count
    # 32 villages are named so, and a few more units hold the name in theirs.
    assert found.count >= 32


# Villages named exactly ត្រពាំងឈូក / Trapeang Chhuk in Kampong Speu (05) and Kampot (07).
KAMPONG_SPEU = ["05010104", "05010306", "05010703", "05011310", "05090417"]
KAMPOT = ["07050504"]


@pytest.mark.parametrize(
    "q",
    [
        "ត្រពាំងឈូក កំពង់ស្ពឺ",
        "ត្រពាំងឈូកកំពង់ស្ពឺ",
        "ត្រពាំងឈូក ខេត្តកំពង់ស្ពឺ",
        "កំពង់ស្ពឺ ត្រពាំងឈូក",
        "Trapeang Chhuk Kampong Speu",
        "Trapeang Chhuk, Kampong Speu province",
    ],
)
def test_a_province_named_in_the_query_narrows_it(gazetteer, q):
    found = _find(q)

    assert [hit.code for hit in found.hits] == KAMPONG_SPEU
    assert found.count == 5


@pytest.mark.parametrize("q", ["Trapeang Chhuk Kampot", "Kampot Trapeang Chhuk"])
def test_trapeang_chhuk_kampot_finds_the_village_in_kampot(gazetteer, q):
    found = _find(q)

    assert ([hit.code for hit in found.hits], found.count) == (KAMPOT, 1)
    assert found.hits[0].path_latin[0] == "Kampot"


def test_a_district_named_in_the_query_narrows_it(gazetteer):
    # Krong Poipet (0110) holds sangkat Poipet; "Poipet Banteay Meanchey" is the same.
    assert [hit.code for hit in _find("Poipet Banteay Meanchey").hits] == ["0110", "011002"]


def test_a_place_literally_named_with_a_province_name_comes_first(gazetteer):
    # Sangkat and village "Phnom Penh Thmei" before the Thmei villages of Phnom Penh.
    codes = [hit.code for hit in _find("Phnom Penh Thmei").hits]
    assert codes[:2] == ["120801", "12080105"]
    assert {"12050101", "12052002", "12060804"} <= set(codes)


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("Kompong Cham", ["03", "0305", "030502"]),
        ("Tropeang Chhuk", ["03020707", "03030607", "03130804"]),
        ("Trapaing Chuk", ["03020707", "03030607", "03130804"]),
        ("Trapeang Chhouk", ["03020707", "03030607", "03130804"]),
    ],
)
def test_common_romanisations_find_the_place(gazetteer, q, first):
    found = _find(q, limit=8)

    assert [hit.code for hit in found.hits][:3] == first
    assert found.hits[0].name_latin in ("Kampong Cham", "Trapeang Chhuk")


def test_open_vowels_are_tried_only_when_nothing_else_matches(gazetteer):
    # "Trapeang Chhuk" matches as written: "Trapeang Chak" (open vowels) is not added.
    names = {hit.name_latin for hit in _find("Trapeang Chhuk").hits}
    assert "Trapeang Chak" not in names
    assert "Trapeang Chhuk" in names


def test_a_code_counts_every_unit_under_it(gazetteer):
    found = _find("0110", limit=3)

    under = Commune.objects.filter(code__startswith="0110").count()
    under += Village.objects.filter(code__startswith="0110").count()
    assert found.hits[0].code == "0110"
    assert (len(found.hits), found.count) == (3, 1 + under)


def test_nothing_is_zero(gazetteer):
    assert _find("Nowhere at all") == locations_find(q="   ") == locations_find(q="")
    assert _find("Nowhere at all").count == 0

"""Countries: the full ISO 3166 list, the region first, named in the page's language."""

import pycountry
from django.utils import translation

from komar.core.countries import COUNTRIES, REGION, STATELESS, UNKNOWN, country_choices


def test_every_iso_country_is_accepted_with_stateless_and_unknown() -> None:
    assert len(pycountry.countries) == 249
    assert set(COUNTRIES) == {c.alpha_2 for c in pycountry.countries} | {"XS", "XX"}
    for code in ("IN", "BD", "NP", "LK", "PK", "KP", "TL"):
        assert code in COUNTRIES
    assert (STATELESS, UNKNOWN) == ("XS", "XX")


def test_the_region_comes_first_then_stateless_and_unknown() -> None:
    with translation.override("en"):
        codes = [code for code, _ in country_choices()]
    assert codes[:14] == [
        "KH", "TH", "VN", "LA", "MM", "MY", "CN", "ID", "SG", "PH", "BN", "TL", "XS", "XX"
    ]  # fmt: skip
    assert len(codes) == len(set(codes)) == 251
    assert codes[:12] == list(REGION)


def test_english_names_are_common_names_sorted_alphabetically() -> None:
    with translation.override("en"):
        choices = dict(country_choices())
        rest = [name for _, name in country_choices()[14:]]
    assert choices["IN"] == "India"
    assert choices["LA"] == "Laos"
    assert choices["VN"] == "Vietnam"
    assert choices["KR"] == "South Korea"
    assert choices["XS"] == "Stateless"
    assert choices["XX"] == "Unknown"
    assert rest[0] == "Afghanistan"
    assert rest[1] == "Åland Islands"  # with the A's, not after Zimbabwe
    assert rest[-1] == "Zimbabwe"


def test_khmer_names_komars_own_for_the_region_iso_codes_for_the_rest() -> None:
    with translation.override("km"):
        choices = dict(country_choices())
        labels = [name for _, name in country_choices()]
    assert choices["KH"] == "កម្ពុជា"
    assert choices["LA"] == "ឡាវ"  # Komar's word, not iso-codes' full official name
    assert choices["TW"] == "តៃវ៉ាន់"  # without iso-codes' political qualifier
    assert choices["IN"] == "ឥណ្ឌា"
    assert choices["BD"] == "បង់ក្លាដែស"
    assert choices["XS"] == "គ្មានសញ្ជាតិ"
    assert choices["XX"] == "មិនដឹង"
    # Every name is Khmer on a Khmer page, with no zero-width spaces.
    assert all(any("\u1780" <= ch <= "\u17ff" for ch in name) for name in labels)
    assert not any("\u200b" in name for name in labels)


def test_a_stored_name_follows_the_page_language() -> None:
    with translation.override("km"):
        assert str(COUNTRIES["MM"]) == "មីយ៉ាន់ម៉ា"
        assert str(COUNTRIES["NP"]) == "នេប៉ាល់"
    with translation.override("en"):
        assert str(COUNTRIES["MM"]) == "Myanmar"
        assert str(COUNTRIES["NP"]) == "Nepal"

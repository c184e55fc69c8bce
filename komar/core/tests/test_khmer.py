from hypothesis import given
from hypothesis import strategies as st

from komar.core.khmer import (
    ascii_digits,
    khmer_search_key,
    latin_search_key,
    name_keys,
    normalize_khmer,
)

KANDAL_TA = "កណ្តាល"  # subscript TA
KANDAL_DA = "កណ្ដាល"  # subscript DA: the gazetteer writes Kandal both ways


def test_subscript_da_folds_to_ta() -> None:
    assert KANDAL_TA != KANDAL_DA
    assert normalize_khmer(KANDAL_DA) == normalize_khmer(KANDAL_TA)


def test_zero_width_space_is_removed() -> None:
    assert normalize_khmer("សុខ\u200bសុធា") == "សុខសុធា"
    assert khmer_search_key("ស្រី\u200cពៅ") == khmer_search_key("ស្រីពៅ")


def test_khmer_digits_become_ascii() -> None:
    assert ascii_digits("០១២៣៤៥៦៧៨៩") == "0123456789"
    assert ascii_digits("012 ៣៤៥-678") == "012 345-678"


def test_search_key_flattens_subscripts() -> None:
    # COENG is dropped so a trigram index does not cut the word at each subscript.
    assert "\u17d2" not in khmer_search_key("ស្រី")


def test_latin_romanisation_variants_share_a_key() -> None:
    for variants in (
        ["Sok", "Sokh"],
        ["Chhay", "Chay", "Chhai"],
        ["Chea", "Cheah"],
        ["Srey", "Srei"],
    ):
        keys = {latin_search_key(v) for v in variants}
        assert len(keys) == 1, variants


def test_name_keys_cover_both_scripts_and_joined_words() -> None:
    keys = name_keys("សុខ សុធា Sok Sothea")
    assert "l:sok" in keys
    assert "l:sotea" in keys
    assert "k:" + khmer_search_key("សុខសុធា") in keys


@given(st.text(alphabet=st.sampled_from("០១២៣៤៥៦៧៨៩0123456789")))
def test_ascii_digits_always_ascii(text: str) -> None:
    assert ascii_digits(text).isascii()


def test_vowel_folding_joins_everyday_romanisations() -> None:
    from komar.core.khmer import fold_vowels

    pairs = [
        ("Keo", "Kaev"),
        ("Pich", "Pech"),
        ("Heng", "Haeng"),
        ("Ly", "Lee"),
        ("Kim", "Kem"),
        ("Um", "Oum"),
        ("Sreng", "Srieng"),
        ("Khieu", "Kheav"),
    ]
    for a, b in pairs:
        assert fold_vowels(latin_search_key(a)) == fold_vowels(latin_search_key(b)), (a, b)
    assert fold_vowels(latin_search_key("Vichea")) != fold_vowels(latin_search_key("Ichea"))

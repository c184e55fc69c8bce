"""Khmer text normalisation and the keys used to compare and index names.

Rules from the domain: invisible word breaks (U+200B/C/D) are dropped; subscript DA
(COENG + DA) is folded to subscript TA (COENG + TA), which look alike and are used
interchangeably; Khmer digits become ASCII digits in numbers, phones and identifiers.
"""

import re
import unicodedata

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
COENG = "\u17d2"
SUBSCRIPT_DA = COENG + "\u178a"
SUBSCRIPT_TA = COENG + "\u178f"
# Signs that PostgreSQL's trigram parser treats as word breaks; dropped from search keys
# together with COENG, so a name is not cut into fragments at every subscript.
_SEARCH_KEY_DROP = dict.fromkeys(map(ord, COENG + "\u17c9\u17cb\u17d0"))
_KHMER_RE = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
_NON_LETTER_RE = re.compile(r"[^a-z]+")


def has_khmer(text: str) -> bool:
    """Return True when the text contains Khmer script."""
    return bool(_KHMER_RE.search(text))


def normalize_khmer(text: str) -> str:
    """Return the canonical form of Khmer text for storage and comparison."""
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    return text.replace(SUBSCRIPT_DA, SUBSCRIPT_TA).strip()


def ascii_digits(text: str) -> str:
    """Return the text with Khmer digits replaced by ASCII digits."""
    return text.translate(KHMER_DIGITS)


def khmer_search_key(text: str) -> str:
    """Return the search key of one Khmer word: normalised, subscripts flattened."""
    key = normalize_khmer(text).translate(_SEARCH_KEY_DROP)
    return "".join(ch for ch in key if not ch.isspace())


def latin_search_key(text: str) -> str:
    """Return the spelling-tolerant key of one romanised Khmer word.

    Romanisation is not fixed (Sok/Sokh, Chhay/Chay/Chhai, Chea/Cheah, Srey/Srei), so
    the key drops accents and 'h', treats 'y' as 'i' and collapses doubled letters.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_LETTER_RE.sub("", text).replace("h", "").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", text)


_VOWEL_RUN_RE = re.compile(r"[aeiou]+")
_FINAL_GLIDE_RE = re.compile(r"(?<=[aeiou])[vw]$")


def fold_vowels(key: str) -> str:
    """Return a Latin search key with every run of vowels written as one "a".

    Romanisers disagree most on vowels (Keo/Kaev, Pich/Pech, Heng/Haeng, Ly/Lee,
    Um/Oum, Sreng/Srieng, Khieu/Kheav): the folded form lets them meet. A final "v"
    or "w" is a vowel sound in these spellings ("Kaev", "Peov").
    """
    return _VOWEL_RUN_RE.sub("a", _FINAL_GLIDE_RE.sub("", key))


def name_keys(text: str, *, joined: bool = True) -> list[str]:
    """Return the search keys of every word of a name, in either script.

    Khmer keys are prefixed ``k:`` and Latin keys ``l:`` so they never collide. With
    ``joined``, the words of each script run together are one more key.
    """
    keys: list[str] = []
    for word in re.split(r"[\s\u200b,;/()-]+", normalize_khmer(text)):
        if not word:
            continue
        if has_khmer(word):
            key = khmer_search_key(word)
            if key:
                keys.append("k:" + key)
        else:
            key = latin_search_key(word)
            if key:
                keys.append("l:" + key)
    # Khmer is written without spaces, so "សុខ សុធា" is also typed "សុខសុធា": the
    # words joined are a key of their own.
    for prefix in ("k:", "l:") if joined else ():
        parts = [k[2:] for k in keys if k.startswith(prefix)]
        if len(parts) > 1:
            keys.append(prefix + "".join(parts))
    return list(dict.fromkeys(keys))

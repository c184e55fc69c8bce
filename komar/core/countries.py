"""Countries and languages offered in forms.

Countries are the full ISO 3166-1 list from pycountry (a maintained copy of Debian's
iso-codes), with two codes of ISO's user-assigned range: ``XX`` "unknown" and ``XS``
"stateless" (no ISO code exists for either). The countries of the region come first,
in the order of Cambodia's trafficking routes; the rest follow in the alphabetical order
of the page's language.

Names: the region's countries and those Komar already named keep Komar's own wording
(its catalogue, reviewed by Khmer speakers: "ឡាវ" rather than iso-codes' full
"សាធារណរដ្ឋប្រជាធិបតេយ្យប្រជាមានិតឡាវ", "តៃវ៉ាន់" without iso-codes' political
qualifier). Every other country is named in Khmer from iso-codes' Khmer catalogue
(it names all 249) and in English by its common name.

Languages are ISO 639-1 (639-3 where there is no 639-1 code).
"""

import gettext
import unicodedata
from collections.abc import Callable
from functools import cache

import pycountry
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

UNKNOWN = "XX"
STATELESS = "XS"

# Komar's own names (its catalogue); every other code is named from iso-codes.
_OWN_NAMES: dict[str, Promise] = {
    "KH": _("Cambodia"),
    "TH": _("Thailand"),
    "VN": _("Vietnam"),
    "LA": _("Laos"),
    "MM": _("Myanmar"),
    "MY": _("Malaysia"),
    "CN": _("China"),
    "ID": _("Indonesia"),
    "SG": _("Singapore"),
    "PH": _("Philippines"),
    "KR": _("South Korea"),
    "JP": _("Japan"),
    "TW": _("Taiwan"),
    "SA": _("Saudi Arabia"),
    "AE": _("United Arab Emirates"),
    "US": _("United States"),
    "AU": _("Australia"),
    "GB": _("United Kingdom"),
    "FR": _("France"),
}
# The countries of the region, shown first in every list.
REGION = ("KH", "TH", "VN", "LA", "MM", "MY", "CN", "ID", "SG", "PH", "BN", "TL")

_SPECIAL: dict[str, Promise] = {
    STATELESS: _("Stateless"),
    UNKNOWN: _("Unknown"),
}


@cache
def _iso_khmer() -> Callable[[str], str]:
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["km"])
    return catalogue.gettext


def _iso_name(code: str) -> str:
    """Return the name of an ISO country in the active language (Khmer or English)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    if (get_language() or "en").startswith("km"):
        # iso-codes writes zero-width spaces as word breaks, some doubled and some
        # before a space: drop them, as Komar's own Khmer text has none.
        return _iso_khmer()(country.name).replace("\u200b", "")
    return str(english)


_lazy_iso_name = lazy(_iso_name, str)


def _label(code: str) -> Promise | str:
    return _OWN_NAMES.get(code) or _SPECIAL.get(code) or _lazy_iso_name(code)


# Every accepted code → its name, translated when shown. The region first, then the
# other countries in code order, then "stateless" and "unknown".
COUNTRIES: dict[str, Promise | str] = {
    **{code: _label(code) for code in REGION},
    **{
        c.alpha_2: _label(c.alpha_2)
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)
        if c.alpha_2 not in REGION
    },
    STATELESS: _SPECIAL[STATELESS],
    UNKNOWN: _SPECIAL[UNKNOWN],
}


def _sort_key(name: str) -> tuple[str, str]:
    # "Åland Islands" sorts with the A's, "Côte d'Ivoire" with the C's; Khmer names
    # sort by their consonants first, then as written.
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return bare, name


def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) in the order a form shows them, in the active language.

    The region first, then "stateless" and "unknown" (they are chosen often, so they
    are not buried at the end of 240 names), then every other country by name.
    """
    first = [(code, str(COUNTRIES[code])) for code in REGION]
    special = [(code, str(label)) for code, label in _SPECIAL.items()]
    rest = sorted(
        (
            (code, str(label))
            for code, label in COUNTRIES.items()
            if code not in REGION and code not in _SPECIAL
        ),
        key=lambda pair: _sort_key(pair[1]),
    )
    return first + special + rest


def country_label(code: str) -> str:
    """Return a country's name in the active language (the code itself if unknown)."""
    label = COUNTRIES.get(code)
    return str(label) if label is not None else code


LANGUAGES = {
    "km": _("Khmer"),
    "en": pgettext_lazy("language spoken", "English"),
    "vi": _("Vietnamese"),
    "th": _("Thai"),
    "zh": _("Chinese"),
    "lo": _("Lao"),
    "cjm": _("Cham"),
    "fr": _("French"),
    "other": _("Other language"),
}

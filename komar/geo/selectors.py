"""Reads of the gazetteer: single units, their paths, search and the picker lists.

The gazetteer is public reference data: no user scope applies to it.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from komar.core.countries import country_label
from komar.core.khmer import (
    ascii_digits,
    has_khmer,
    khmer_search_key,
    latin_search_key,
    normalize_khmer,
)
from komar.geo.models import (
    CODE_LENGTHS,
    LEVEL_BY_CODE_LENGTH,
    UNIT_MODELS,
    AdministrativeUnit,
    Commune,
    District,
    Level,
    PlaceAlias,
    Province,
    Village,
)

# Below this many characters a key only matches from the start of a name: one or two
# letters inside names would match thousands of villages and rank nothing useful.
_MIN_CONTAINS = 3
_EXACT, _PREFIX, _CONTAINS = 0, 1, 2
_LEVEL_RANK: dict[str, int] = {
    Level.PROVINCE: 0,
    Level.DISTRICT: 1,
    Level.COMMUNE: 2,
    Level.VILLAGE: 3,
}
# Words people put before or after a place name ("Krong Siem Reap", "Kampot province",
# "ខេត្តកំពត"), with the level they name: a query is also tried without them, and
# units of that level come first.
_LATIN_UNIT_WORDS: dict[str, str] = {
    "khaet": Level.PROVINCE,
    "khet": Level.PROVINCE,
    "province": Level.PROVINCE,
    "capital": Level.PROVINCE,
    "krong": Level.DISTRICT,
    "srok": Level.DISTRICT,
    "district": Level.DISTRICT,
    "khan": Level.DISTRICT,
    "city": Level.DISTRICT,
    "town": Level.DISTRICT,
    "municipality": Level.DISTRICT,
    "khum": Level.COMMUNE,
    "commune": Level.COMMUNE,
    "sangkat": Level.COMMUNE,
    "phum": Level.VILLAGE,
    "village": Level.VILLAGE,
}
_KHMER_UNIT_WORDS: tuple[tuple[str, str], ...] = tuple(
    (khmer_search_key(word), level)
    for word, level in (
        ("ខេត្ត", Level.PROVINCE),
        ("រាជធានី", Level.PROVINCE),
        ("ក្រុង", Level.DISTRICT),
        ("ស្រុក", Level.DISTRICT),
        ("ខណ្ឌ", Level.DISTRICT),
        ("ឃុំ", Level.COMMUNE),
        ("សង្កាត់", Level.COMMUNE),
        ("ភូមិ", Level.VILLAGE),
    )
)
_CODE_RE = re.compile(r"[0-9]{1,8}", re.ASCII)
_CODE_SEPARATORS_RE = re.compile(r"[\s.\-/]+")
_WORD_SPLIT_RE = re.compile(r"[\s,;/()-]+")


@dataclass(frozen=True)
class LocationHit:
    """One unit found by a search, with its parents' names (province first)."""

    code: str
    level: str
    unit_type: str
    name_km: str
    name_latin: str
    path_km: tuple[str, ...]
    path_latin: tuple[str, ...]

    @property
    def label(self) -> str:
        """Return the name in both scripts, as pickers show it."""
        return f"{self.name_km} / {self.name_latin}" if self.name_latin else self.name_km

    @property
    def path_label_km(self) -> str:
        """Return the parents' Khmer names, province first."""
        return " › ".join(self.path_km)

    @property
    def path_label_latin(self) -> str:
        """Return the parents' Latin names, province first."""
        return " › ".join(self.path_latin)


def code_clean(code: str | int | None, *, length: int | None = None) -> str | None:
    """Return a typed unit code as stored (ASCII digits, zero-padded), or None.

    Accepts Khmer digits, surrounding blanks and separators ("01 02 01 01"), and a
    dropped leading zero ("1020101"). With ``length`` the code must be of that level.
    """
    if code is None:
        return None
    text = _CODE_SEPARATORS_RE.sub("", ascii_digits(str(code)))
    if not _CODE_RE.fullmatch(text):
        return None
    if len(text) % 2:
        text = "0" + text
    if length is not None:
        text = text.zfill(length)
        if len(text) != length:
            return None
    return text


_PLACE_CODE_RE = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{7,8}", re.ASCII)


def place_code_parse(value: object) -> str | None:
    """Return a place or village code as stored (ASCII digits, zero-padded), or None.

    The one parser of the codes people type, for web forms, API serializers and services
    alike: ASCII or Khmer digits, blanks and separators ("01 02 01 01", "01-02-01-01"),
    and a village code whose leading zero was dropped ("1020101", or the number 1020101).
    A code has 2 (province), 4 (district), 6 (commune) or 8 digits (village; 7 when the
    leading zero was dropped). Whether a unit has the code is :func:`unit_get`'s answer.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = _CODE_SEPARATORS_RE.sub("", ascii_digits(str(value)))
    if not _PLACE_CODE_RE.fullmatch(text):
        return None
    return text.zfill(CODE_LENGTHS[Level.VILLAGE]) if len(text) == 7 else text


def village_code_parse(value: object) -> str | None:
    """Return a village code as stored (8 ASCII digits), or None: :func:`place_code_parse`
    restricted to villages."""
    code = place_code_parse(value)
    return code if code is not None and len(code) == CODE_LENGTHS[Level.VILLAGE] else None


def unit_get(*, code: object) -> AdministrativeUnit | None:
    """Return the unit of any level with this code (with its parents), or None."""
    clean = place_code_parse(code)
    if clean is None:
        return None
    level = LEVEL_BY_CODE_LENGTH[len(clean)]
    return _with_parents(UNIT_MODELS[level].objects.all(), level).filter(code=clean).first()  # type: ignore[misc]  # code is declared on each concrete level


def village_get(*, code: object) -> Village | None:
    """Return the village with this code (with its commune, district and province)."""
    clean = village_code_parse(code)
    if clean is None:
        return None
    return Village.objects.select_related("commune__district__province").filter(code=clean).first()


# The word before a unit's Khmer name that says what it is ("ក្រុងប៉ោយប៉ែត").
_KHMER_TYPE_WORDS = {
    "khaet": "ខេត្ត",
    "reach_theani": "រាជធានី",
    "srok": "ស្រុក",
    "krong": "ក្រុង",
    "khan": "ខណ្ឌ",
    "khum": "ឃុំ",
    "sangkat": "សង្កាត់",
    "phum": "ភូមិ",
}


@dataclass(frozen=True)
class PlaceName:
    """A place as a record shows it: a unit of the gazetteer at its level with its full
    path, or a country (and a region of it as people name it, "Sa Kaeo")."""

    code: str
    level: str
    country: str
    region: str
    names_km: tuple[str, ...]
    names_latin: tuple[str, ...]

    @property
    def label_km(self) -> str:
        """Return the path in Khmer, the place first ("ក្រុងប៉ោយប៉ែត, ខេត្តបន្ទាយមានជ័យ")."""
        return ", ".join(self.names_km)

    @property
    def label_latin(self) -> str:
        """Return the path in Latin script, the place first ("Poipet, Banteay Meanchey")."""
        return ", ".join(self.names_latin)

    @property
    def label(self) -> str:
        """Return the path in the active language."""
        khmer = (get_language() or "").startswith("km")
        return self.label_km if khmer else self.label_latin

    @property
    def level_label(self) -> str:
        """Return the level the place is known at, in the active language ("District"),
        or "Abroad" for a country."""
        if self.code:
            return str(Level(self.level).label)
        return str(_("Abroad"))


def place_name(unit: AdministrativeUnit) -> PlaceName:
    """Return a unit as a record shows it, with its parents (its unit's parents loaded)."""
    chain = [unit, *reversed(_parents(unit))]
    names_km = []
    names_latin = []
    for item in chain:
        word = _KHMER_TYPE_WORDS.get(getattr(item, "unit_type", "phum"), "")
        names_km.append(item.name_km if item.name_km.startswith(word) else word + item.name_km)
        names_latin.append(item.name_latin or item.name_km)
    return PlaceName(
        code=unit.code,
        level=str(unit.level),
        country="KH",
        region="",
        names_km=tuple(names_km),
        names_latin=tuple(names_latin),
    )


def place_name_of(*, code: str, country: str = "", region: str = "") -> PlaceName | None:
    """Return a stored place (a unit's code, or a country and region) as a record shows
    it, or None when nothing is known. A code no unit has any more shows as the code."""
    if code:
        unit = unit_get(code=code)
        if unit is not None:
            return place_name(unit)
        level = LEVEL_BY_CODE_LENGTH.get(len(code), Level.VILLAGE)
        return PlaceName(code, str(level), "KH", "", (code,), (code,))
    if country:
        names = {}
        for language in ("km", "en"):
            with translation.override(language):
                names[language] = tuple(n for n in (region, country_label(country)) if n)
        return PlaceName("", "", country, region, names["km"], names["en"])
    return None


def village_path(village: Village) -> dict[str, str]:
    """Return the codes and names in both scripts of a village and its parents."""
    commune = village.commune
    district = commune.district
    province = district.province
    path: dict[str, str] = {}
    for level, unit in (
        (Level.PROVINCE, province),
        (Level.DISTRICT, district),
        (Level.COMMUNE, commune),
        (Level.VILLAGE, village),
    ):
        path[f"{level}_code"] = unit.code
        path[f"{level}_name_km"] = unit.name_km
        path[f"{level}_name_latin"] = unit.name_latin
    return path


def provinces_list() -> QuerySet[Province]:
    """Return the current provinces, for the first list of a place picker."""
    return Province.objects.current().order_by("code")


def districts_of(province_code: str) -> QuerySet[District]:
    """Return the current districts of a province, for a place picker."""
    code = code_clean(province_code, length=CODE_LENGTHS[Level.PROVINCE])
    if code is None:
        return District.objects.none()
    return District.objects.current().filter(province_id=code).order_by("code")


def communes_of(district_code: str) -> QuerySet[Commune]:
    """Return the current communes of a district, for a place picker."""
    code = code_clean(district_code, length=CODE_LENGTHS[Level.DISTRICT])
    if code is None:
        return Commune.objects.none()
    return Commune.objects.current().filter(district_id=code).order_by("code")


def villages_of(commune_code: str) -> QuerySet[Village]:
    """Return the current villages of a commune, for a place picker."""
    code = code_clean(commune_code, length=CODE_LENGTHS[Level.COMMUNE])
    if code is None:
        return Village.objects.none()
    return Village.objects.current().filter(commune_id=code).order_by("code")


@dataclass(frozen=True)
class LocationSearch:
    """The answer of a place search: how many units matched in all, and the first ones."""

    count: int
    hits: list[LocationHit]


def locations_search(*, q: str, limit: int = 20) -> list[LocationHit]:
    """Return the first units matching the query (see :func:`locations_find`)."""
    return locations_find(q=q, limit=limit).hits


def locations_find(*, q: str, limit: int = 20) -> LocationSearch:
    """Return how many units match the query in all, and the first ``limit`` of them.

    The query may be Khmer (invisible word breaks and the subscript DA/TA variants do not
    matter), Latin in the official or an everyday spelling ("Siem Reap", "siemreap",
    "Poipet", "Koh Kong"), or a code in ASCII or Khmer digits (a dropped leading zero is
    restored). A unit word ("Krong Siem Reap", "ខេត្តកំពត") is also tried without the
    word and puts that level first. A province or district named before or after the
    place narrows it ("Trapeang Chhuk Kampot", "ត្រពាំងឈូក កំពង់ស្ពឺ"). When nothing
    matches, a Latin query is tried with its vowels left open, as romanisers disagree on
    them ("Kompong Cham", "Tropeang Chhuk", "Trapaing Chuk").

    Exact matches come first, then names that start with the query, then names that
    contain it; within each, the whole query before a narrowed one, then higher levels
    (province first) and current units first.
    """
    limit = max(0, min(int(limit), 100))
    text = normalize_khmer(q or "").strip()
    if not text or not limit:
        return LocationSearch(count=0, hits=[])
    code = code_clean(text)
    hint = None
    closed: set[str] = set()
    if code is not None:
        candidates = _code_candidates(code, closed)
    else:
        field, keys, hint = _query_keys(text)
        splits = _area_splits(text, field)
        candidates = _name_search(field, keys, splits, closed)
    return LocationSearch(count=len(candidates), hits=_hits(candidates, limit, hint, closed=closed))


# What a candidate's score adds for how the query matched: whole, without its unit word,
# narrowed by an area named in it. A match's rank (exact, prefix, contains) weighs more.
_WHOLE, _TRIMMED, _NARROWED = 0, 1, 2
_VARIANTS = 3


def _name_search(
    field: str, keys: list[str], splits: list[tuple[tuple[str, ...], str]], closed: set[str]
) -> dict[str, int]:
    """Return the codes matching the query's keys, then those matching a place within
    an area it names, each with its score; a Latin query that matches nothing is tried
    again with open vowels."""
    latin = field == "search_key_latin"

    def collect(searches: list[tuple[str, tuple[str, ...] | None, int]]) -> dict[str, int]:
        found: dict[str, int] = {}
        for fuzzy in (False, True) if latin else (False,):
            for key, within, variant in searches:
                for rank, found_code in _name_candidates(field, key, within, fuzzy, closed):
                    score = rank * _VARIANTS + variant
                    if score < found.get(found_code, 99):
                        found[found_code] = score
            if found:
                break
        return found

    whole = collect(
        [(key, None, _WHOLE if index == 0 else _TRIMMED) for index, key in enumerate(keys)]
    )
    narrowed = collect([(rest, areas, _NARROWED) for areas, rest in splits])
    return {**narrowed, **whole}


def _query_keys(text: str) -> tuple[str, list[str], str | None]:
    """Return the key column to search, the query's keys (whole first) and the level
    named by a unit word in it ("Krong", "ស្រុក"), if any."""
    hint = None
    if has_khmer(text):
        key = khmer_search_key(text)
        keys = [key]
        for unit_key, level in _KHMER_UNIT_WORDS:
            if key.startswith(unit_key) and len(key) > len(unit_key):
                keys.append(key[len(unit_key) :])
                hint = level
        return "search_key_km", [k for k in keys if k], hint
    words = [w for w in _WORD_SPLIT_RE.split(text) if w]
    trimmed = _without_unit_words(words)
    for word in (words[0], words[-1]) if len(trimmed) < len(words) else ():
        hint = _LATIN_UNIT_WORDS.get(word.lower(), hint)
    keys = [latin_search_key(text), latin_search_key(" ".join(trimmed))]
    return "search_key_latin", [k for k in dict.fromkeys(keys) if k], hint


def _without_unit_words(words: list[str]) -> list[str]:
    trimmed = list(words)
    while len(trimmed) > 1 and trimmed[0].lower() in _LATIN_UNIT_WORDS:
        trimmed.pop(0)
    while len(trimmed) > 1 and trimmed[-1].lower() in _LATIN_UNIT_WORDS:
        trimmed.pop()
    return trimmed


def _strip_khmer_unit_words(key: str) -> str:
    for unit_key, _level in _KHMER_UNIT_WORDS:
        if key.startswith(unit_key) and len(key) > len(unit_key):
            key = key[len(unit_key) :]
        if key.endswith(unit_key) and len(key) > len(unit_key):
            key = key[: -len(unit_key)]
    return key


# At most this many ways of reading a query as "place + area" are searched.
_MAX_SPLITS = 4
# An area key shorter than this is not looked for inside a Khmer query written without
# spaces: it would match the end of too many names.
_MIN_AREA_KEY = 3


def _area_keys(field: str) -> dict[str, set[str]]:
    """Return each province's and district's search key (names and aliases) → codes."""
    keys: dict[str, set[str]] = {}
    for model in (Province, District):
        for found_code, key in model.objects.values_list("code", field):
            if key:
                keys.setdefault(key, set()).add(found_code)
    aliases = PlaceAlias.objects.filter(code__regex=r"^([0-9]{2}|[0-9]{4})$")
    for found_code, key in aliases.values_list("code", field):
        if key:
            keys.setdefault(key, set()).add(found_code)
    return keys


def _area_codes(key: str, area_keys: dict[str, set[str]], field: str) -> set[str]:
    codes = set(area_keys.get(key, ()))
    if not codes and field == "search_key_latin":
        pattern = _open_vowels(key)
        if pattern is not None:
            for area_key, area in area_keys.items():
                if re.fullmatch(pattern, area_key):
                    codes |= area
    return codes


def _area_splits(text: str, field: str) -> list[tuple[tuple[str, ...], str]]:
    """Return the ways to read the query as a place and a province or district named
    before or after it: (the area's codes, the place's key)."""
    splits: list[tuple[tuple[str, ...], str]] = []
    if field == "search_key_km":
        key = _strip_khmer_unit_words(khmer_search_key(text))
        area_keys = _area_keys(field)
        for area_key, codes in area_keys.items():
            if len(area_key) < _MIN_AREA_KEY or len(key) <= len(area_key):
                continue
            for rest in (
                key[: -len(area_key)] if key.endswith(area_key) else "",
                key[len(area_key) :] if key.startswith(area_key) else "",
            ):
                rest = _strip_khmer_unit_words(rest)
                if rest:
                    splits.append((tuple(sorted(codes)), rest))
        return splits[:_MAX_SPLITS]
    words = [w for w in _WORD_SPLIT_RE.split(text) if w]
    if len(words) < 2:
        return []
    area_keys = _area_keys(field)
    for cut in range(1, len(words)):
        for place_words, area_words in (
            (words[:cut], words[cut:]),  # "Trapeang Chhuk Kampot"
            (words[cut:], words[:cut]),  # "Kampot Trapeang Chhuk"
        ):
            place_key = latin_search_key(" ".join(_without_unit_words(place_words)))
            area_key = latin_search_key(" ".join(_without_unit_words(area_words)))
            if not place_key or not area_key:
                continue
            codes = _area_codes(area_key, area_keys, field)
            if codes:
                splits.append((tuple(sorted(codes)), place_key))
    return splits[:_MAX_SPLITS]


_VOWELS_RE = re.compile(r"[aeiou]+")


def _open_vowels(key: str) -> str | None:
    """Return a regular expression matching a Latin key with any vowels where it has
    some ("kompongcam" → "k[aeiou]+mp[aeiou]+ngc[aeiou]+m"), or None for a key too short
    or without consonants to be worth it."""
    consonants = _VOWELS_RE.sub("", key)
    if len(key) < 4 or len(consonants) < 2:
        return None
    return _VOWELS_RE.sub("[aeiou]+", key)


def _closed_codes(rows: Any, closed: set[str]) -> None:
    today = timezone.localdate()
    for row_code, valid_from, valid_to in rows:
        if (valid_from is not None and valid_from > today) or (
            valid_to is not None and valid_to < today
        ):
            closed.add(row_code)


def _ranked(
    qs: QuerySet[Any],
    field: str,
    key: str,
    within: tuple[str, ...] | None,
    fuzzy: bool,
    closed: set[str] | None = None,
) -> list[tuple[int, str]]:
    if within is not None:
        area = Q()
        for area_code in within:
            area |= Q(code__startswith=area_code)
        qs = qs.filter(area)
    if fuzzy:
        pattern = _open_vowels(key)
        if pattern is None:
            return []
        exact: dict[str, str] = {f"{field}__regex": f"^{pattern}$"}
        prefix: dict[str, str] = {f"{field}__regex": f"^{pattern}"}
        match: dict[str, str] = {f"{field}__regex": pattern}
    else:
        exact = {field: key}
        prefix = {f"{field}__startswith": key}
        lookup = "contains" if len(key) >= _MIN_CONTAINS else "startswith"
        match = {f"{field}__{lookup}": key}
    rank = Case(
        When(**exact, then=Value(_EXACT)),
        When(**prefix, then=Value(_PREFIX)),
        default=Value(_CONTAINS),
        output_field=IntegerField(),
    )
    matches = qs.filter(**match)
    if closed is not None:
        # Units (not aliases) whose validity excludes today rank after current ones.
        _closed_codes(
            matches.exclude(valid_from__isnull=True, valid_to__isnull=True).values_list(
                "code", "valid_from", "valid_to"
            ),
            closed,
        )
    return list(matches.annotate(rank=rank).values_list("rank", "code"))


def _name_candidates(
    field: str, key: str, within: tuple[str, ...] | None, fuzzy: bool, closed: set[str]
) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for model in UNIT_MODELS.values():
        found += _ranked(model.objects.all(), field, key, within, fuzzy, closed)
    found += _ranked(PlaceAlias.objects.all(), field, key, within, fuzzy)
    return found


def _code_candidates(code: str, closed: set[str]) -> dict[str, int]:
    candidates: dict[str, int] = {}
    for level, model in UNIT_MODELS.items():
        if CODE_LENGTHS[level] < len(code):
            continue
        if CODE_LENGTHS[level] == len(code):
            matches = model.objects.filter(code=code)  # type: ignore[misc]  # code is declared on each concrete level
        else:
            matches = model.objects.filter(code__startswith=code)  # type: ignore[misc]  # code is declared on each concrete level
        for found in matches.values_list("code", flat=True):  # type: ignore[misc]  # code is declared on each concrete level
            candidates[found] = 0 if found == code else 2 * _VARIANTS
        _closed_codes(
            matches.exclude(valid_from__isnull=True, valid_to__isnull=True).values_list(  # type: ignore[misc]  # code is declared on each concrete level
                "code", "valid_from", "valid_to"
            ),
            closed,
        )
    return candidates


def _with_parents(qs: QuerySet[AdministrativeUnit], level: str) -> QuerySet[AdministrativeUnit]:
    related_by_level: dict[str, tuple[str, ...]] = {
        Level.PROVINCE: (),
        Level.DISTRICT: ("province",),
        Level.COMMUNE: ("district__province",),
        Level.VILLAGE: ("commune__district__province",),
    }
    related = related_by_level[level]
    return qs.select_related(*related) if related else qs


def _parents(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    parents: list[AdministrativeUnit] = []
    parent = unit.parent
    while parent is not None:
        parents.insert(0, parent)
        parent = parent.parent
    return parents


def _hits(
    candidates: dict[str, int], limit: int, hint: str | None = None, *, closed: set[str]
) -> list[LocationHit]:
    # Order the codes first, then load only the units shown (with their parents).
    ordered = sorted(
        candidates,
        key=lambda c: (
            candidates[c],
            LEVEL_BY_CODE_LENGTH[len(c)] != hint,
            len(c),
            c in closed,
            c,
        ),
    )[:limit]
    by_level: dict[str, list[str]] = {}
    for code in ordered:
        by_level.setdefault(LEVEL_BY_CODE_LENGTH[len(code)], []).append(code)
    loaded: dict[str, AdministrativeUnit] = {}
    for level, codes in by_level.items():
        for unit in _with_parents(UNIT_MODELS[level].objects.filter(code__in=codes), level):  # type: ignore[misc]  # code is declared on each concrete level
            loaded[unit.code] = unit
    units = [loaded[code] for code in ordered if code in loaded]
    hits = []
    for unit in units[:limit]:
        parents = _parents(unit)
        hits.append(
            LocationHit(
                code=unit.code,
                level=str(unit.level),
                unit_type=getattr(unit, "unit_type", "phum"),
                name_km=unit.name_km,
                name_latin=unit.name_latin,
                path_km=tuple(p.name_km for p in parents),
                path_latin=tuple(p.name_latin for p in parents),
            )
        )
    return hits


def province_choices() -> list[tuple[str, str]]:
    """Return (code, "Khmer name / Latin name") of the current provinces, for a filter."""
    return [(province.code, province.label) for province in provinces_list()]

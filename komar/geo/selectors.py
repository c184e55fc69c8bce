"""Reads of the gazetteer: single units, their paths, search and the picker lists.

The gazetteer is public reference data: no user scope applies to it.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

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


def unit_get(*, code: str) -> AdministrativeUnit | None:
    """Return the unit of any level with this code, or None."""
    clean = code_clean(code)
    level = LEVEL_BY_CODE_LENGTH.get(len(clean or ""))
    if clean is None or level is None:
        return None
    return _with_parents(UNIT_MODELS[level].objects.all(), level).filter(code=clean).first()  # type: ignore[misc]  # code is declared on each concrete level


def village_get(*, code: str) -> Village | None:
    """Return the village with this code (with its commune, district and province)."""
    clean = code_clean(code, length=CODE_LENGTHS[Level.VILLAGE])
    if clean is None:
        return None
    return Village.objects.select_related("commune__district__province").filter(code=clean).first()


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


def locations_search(*, q: str, limit: int = 20) -> list[LocationHit]:
    """Return the units whose name, everyday name or code matches the query.

    The query may be Khmer (invisible word breaks and the subscript DA/TA variants do not
    matter), Latin in the official or an everyday spelling ("Siem Reap", "siemreap",
    "Poipet", "Koh Kong"), or a code in ASCII or Khmer digits (a dropped leading zero is
    restored). A unit word ("Krong Siem Reap", "ខេត្តកំពត") is also tried without the
    word and puts that level first. Exact matches come first, then names that start with
    the query, then names that contain it; within each, higher levels (province first)
    and then current units come first.
    """
    limit = max(0, min(int(limit), 100))
    text = normalize_khmer(q or "")
    if not text or not limit:
        return []
    code = code_clean(text)
    hint = None
    if code is not None:
        candidates = _code_candidates(code, limit)
    else:
        field, keys, hint = _query_keys(text)
        # A match of the whole query ranks before a match without its unit word.
        candidates = {}
        for index, key in enumerate(keys):
            for rank, found in _name_candidates(field, key, limit):
                score = rank * 2 + min(index, 1)
                if score < candidates.get(found, 99):
                    candidates[found] = score
    return _hits(candidates, limit, hint)


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
    trimmed = list(words)
    while len(trimmed) > 1 and trimmed[0].lower() in _LATIN_UNIT_WORDS:
        hint = _LATIN_UNIT_WORDS[trimmed.pop(0).lower()]
    while len(trimmed) > 1 and trimmed[-1].lower() in _LATIN_UNIT_WORDS:
        hint = _LATIN_UNIT_WORDS[trimmed.pop().lower()]
    keys = [latin_search_key(text), latin_search_key(" ".join(trimmed))]
    return "search_key_latin", [k for k in dict.fromkeys(keys) if k], hint


def _ranked(qs: QuerySet[Any], field: str, key: str, limit: int) -> list[tuple[int, str]]:
    rank = Case(
        When(**{field: key}, then=Value(_EXACT)),
        When(**{f"{field}__startswith": key}, then=Value(_PREFIX)),
        default=Value(_CONTAINS),
        output_field=IntegerField(),
    )
    lookup = "contains" if len(key) >= _MIN_CONTAINS else "startswith"
    matches = qs.filter(**{f"{field}__{lookup}": key}).annotate(rank=rank)
    return list(matches.order_by("rank", "code").values_list("rank", "code")[:limit])


def _name_candidates(field: str, key: str, limit: int) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for model in UNIT_MODELS.values():
        found += _ranked(model.objects.all(), field, key, limit)
    found += _ranked(PlaceAlias.objects.all(), field, key, limit)
    return found


def _code_candidates(code: str, limit: int) -> dict[str, int]:
    candidates: dict[str, int] = {}
    for level, model in UNIT_MODELS.items():
        if CODE_LENGTHS[level] < len(code):
            continue
        if CODE_LENGTHS[level] == len(code):
            matches = model.objects.filter(code=code)  # type: ignore[misc]  # code is declared on each concrete level
        else:
            matches = model.objects.filter(code__startswith=code)  # type: ignore[misc]  # code is declared on each concrete level
        for found in matches.order_by("code").values_list("code", flat=True)[:limit]:  # type: ignore[misc]  # code is declared on each concrete level
            candidates[found] = 0 if found == code else 2
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


def _hits(candidates: dict[str, int], limit: int, hint: str | None = None) -> list[LocationHit]:
    by_level: dict[str, list[str]] = {}
    for code in candidates:
        by_level.setdefault(LEVEL_BY_CODE_LENGTH[len(code)], []).append(code)
    units: list[AdministrativeUnit] = []
    for level, codes in by_level.items():
        units += _with_parents(UNIT_MODELS[level].objects.filter(code__in=codes), level)  # type: ignore[misc]  # code is declared on each concrete level
    units.sort(
        key=lambda u: (
            candidates[u.code],
            u.level != hint,
            _LEVEL_RANK[u.level],
            not u.is_current(),
            u.code,
        )
    )
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

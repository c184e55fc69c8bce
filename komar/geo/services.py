"""Writes to the gazetteer: loading the NCDD data and maintaining place aliases."""

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from komar.core.khmer import (
    ZERO_WIDTH,
    ascii_digits,
    has_khmer,
    khmer_search_key,
    latin_search_key,
)
from komar.geo.models import (
    CODE_LENGTHS,
    LEVEL_BY_CODE_LENGTH,
    UNIT_MODELS,
    AdministrativeUnit,
    Commune,
    CommuneType,
    District,
    DistrictType,
    Level,
    PlaceAlias,
    Province,
    ProvinceType,
    Village,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 500
_COORDINATE = Decimal("0.0000001")

# The gazetteer's ``administrative_unit.latin`` → our unit types.
_UNIT_TYPES: dict[str, dict[str, str]] = {
    Level.PROVINCE: {"Khaet": ProvinceType.KHAET, "Reach Theani": ProvinceType.REACH_THEANI},
    Level.DISTRICT: {
        "Srok": DistrictType.SROK,
        "Krong": DistrictType.KRONG,
        "Khan": DistrictType.KHAN,
    },
    Level.COMMUNE: {"Khum": CommuneType.KHUM, "Sangkat": CommuneType.SANGKAT},
    Level.VILLAGE: {"Phum": ""},
}

# Everyday, older and official spellings, each with the codes it names. The gazetteer's
# own `latin` names change between releases (this release says "Poipet" where older ones
# said "Paoy Paet"), so both spellings are seeded. Every code is checked against the data
# by the tests.
SEED_ALIASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Poipet", ("0110", "011002"), "Krong and Sangkat Paoy Paet, Banteay Meanchey"),
    ("Paoy Paet", ("0110", "011002"), "Official romanisation of Poipet"),
    ("Koh Kong", ("09", "0903", "0904"), "Province; the town is Krong Khemara Phoumin"),
    ("Kaoh Kong", ("09", "0904"), "Official romanisation of Koh Kong"),
    ("Kep", ("23", "2302", "230201"), "Province and Krong Kaeb"),
    ("Kaeb", ("23", "2302", "230201"), "Official romanisation of Kep"),
    ("Siem Reap", ("17", "1710", "171009"), "Province and Krong Siem Reab"),
    ("Siem Reab", ("17", "1710", "171009"), "Official romanisation of Siem Reap"),
    ("Sihanoukville", ("18", "1801"), "Preah Sihanouk province and its krong"),
    ("Kampong Som", ("18", "1801", "1806"), "Former name of Preah Sihanouk; Krong Kampong Soam"),
    ("Kompong Som", ("18", "1801", "1806"), "Former name of Preah Sihanouk; Krong Kampong Soam"),
    ("Phnom Penh", ("12",), "The capital"),
    ("Phnum Penh", ("12",), "Official romanisation of Phnom Penh"),
    ("Battambang", ("02", "0203"), "Province and krong"),
    ("Batdambang", ("02", "0203"), "Official romanisation of Battambang"),
    ("Ratanakiri", ("16",), "Province"),
    ("Rotanak Kiri", ("16",), "Official romanisation of Ratanakiri"),
    ("Mondulkiri", ("11",), "Province"),
    ("Mondol Kiri", ("11",), "Official romanisation of Mondulkiri"),
    ("Tbong Khmum", ("25", "2507"), "Everyday spelling of Tboung Khmum"),
    ("Tboung Khmum", ("25", "2507"), "Province and srok"),
)


class GazetteerError(ValueError):
    """The gazetteer files are malformed or inconsistent."""


def search_keys(*, name_km: str, name_latin: str) -> tuple[str, str]:
    """Return the Khmer and Latin search keys of a unit's names."""
    return khmer_search_key(name_km), latin_search_key(name_latin)


def alias_search_keys(name: str) -> tuple[str, str]:
    """Return the Khmer and Latin search keys of an alias, written in either script."""
    if has_khmer(name):
        return khmer_search_key(name), ""
    return "", latin_search_key(name)


def code_normalize(code: Any, *, length: int) -> str:
    """Return a unit code as a zero-padded string of the given length.

    Sources drop the leading zero ("1020101", or the integer 1020101) or use Khmer
    digits; the code is the key of everything, so every import goes through here.
    """
    text = ascii_digits(str(code)).strip()
    if not text.isascii() or not text.isdigit() or len(text) > length:
        raise GazetteerError(f"Invalid code {code!r} for a {length}-digit unit.")
    return text.zfill(length)


def _clean_km(text: str) -> str:
    # Keep the official spelling (subscript DA or TA as written); drop only the invisible
    # word breaks, which would otherwise make equal names compare unequal.
    return unicodedata.normalize("NFC", str(text)).translate(ZERO_WIDTH).strip()


def _coordinate(geodata: dict[str, Any] | None, key: str) -> Decimal | None:
    if not geodata or geodata.get(key) in (None, ""):
        return None
    try:
        return Decimal(str(geodata[key])).quantize(_COORDINATE)
    except InvalidOperation as exc:
        raise GazetteerError(f"Invalid coordinate {geodata[key]!r}.") from exc


def _read(data_dir: Path, level: str) -> dict[str, dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    key = f"{level}s"
    with (data_dir / f"{key}.yml").open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)
    if not isinstance(document, dict) or not isinstance(document.get(key), dict):
        raise GazetteerError(f"{key}.yml has no '{key}' mapping.")
    rows: dict[str, dict[str, Any]] = {}
    for raw_code, row in document[key].items():
        code = code_normalize(raw_code, length=CODE_LENGTHS[level])
        if code in rows:
            raise GazetteerError(f"Duplicate {level} code {code}.")
        rows[code] = row
    return rows


def _common(level: str, code: str, row: dict[str, Any]) -> dict[str, Any]:
    try:
        name_km = _clean_km(row["name"]["km"])
        name_latin = str(row["name"]["latin"]).strip()
        type_latin = row.get("administrative_unit", {}).get("latin", "")
        unit_type = _UNIT_TYPES[level][type_latin]
    except (KeyError, TypeError) as exc:
        raise GazetteerError(f"{level} {code}: missing name or unknown unit type.") from exc
    # One village (02010508) has a blank Latin name in the gazetteer: the Khmer name is
    # the official one, so only it is required.
    if not name_km:
        raise GazetteerError(f"{level} {code}: no Khmer name.")
    key_km, key_latin = search_keys(name_km=name_km, name_latin=name_latin)
    fields: dict[str, Any] = {
        "code": code,
        "name_km": name_km,
        "name_latin": name_latin,
        "search_key_km": key_km,
        "search_key_latin": key_latin,
    }
    if level != Level.VILLAGE:
        fields["unit_type"] = unit_type
        fields["latitude"] = _coordinate(row.get("geodata"), "lat")
        fields["longitude"] = _coordinate(row.get("geodata"), "long")
    return fields


def _upsert(
    model: type[AdministrativeUnit],
    objects: Sequence[AdministrativeUnit],
    update_fields: Iterable[str],
) -> None:
    # Validity dates are not in the gazetteer: an update keeps the ones set here.
    model.objects.bulk_create(  # type: ignore[misc]  # code is declared on each concrete level
        objects,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=list(update_fields),
    )


_NAME_FIELDS = ("name_km", "name_latin", "search_key_km", "search_key_latin")
_PLACE_FIELDS = ("unit_type", "latitude", "longitude")


@transaction.atomic
def gazetteer_load(*, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load the NCDD gazetteer files into the four unit tables.

    Idempotent: units are upserted by code, so running it again (or with a newer
    gazetteer) updates names and types in place. Units missing from the files are kept,
    since records may point at them; close them with ``valid_to``. Seeds the common
    place aliases when the alias table is empty. Return the number of units per level
    read from the files.
    """
    data_dir = Path(data_dir)
    rows = {level: _read(data_dir, level) for level in CODE_LENGTHS}

    parent_level = {
        Level.DISTRICT: Level.PROVINCE,
        Level.COMMUNE: Level.DISTRICT,
        Level.VILLAGE: Level.COMMUNE,
    }
    for level, parent in parent_level.items():
        known = rows[parent].keys() | set(
            UNIT_MODELS[parent].objects.values_list("code", flat=True)  # type: ignore[misc]  # code is declared on each concrete level
        )
        for code in rows[level]:
            if code[:-2] not in known:
                raise GazetteerError(f"{level} {code} has no parent {parent} {code[:-2]}.")

    provinces = []
    for code, row in rows[Level.PROVINCE].items():
        fields = _common(Level.PROVINCE, code, row)
        provinces.append(Province(iso3166_2=str(row.get("iso3166_2") or ""), **fields))
    _upsert(Province, provinces, (*_NAME_FIELDS, *_PLACE_FIELDS, "iso3166_2"))

    districts = [
        District(province_id=code[:2], **_common(Level.DISTRICT, code, row))
        for code, row in rows[Level.DISTRICT].items()
    ]
    _upsert(District, districts, (*_NAME_FIELDS, *_PLACE_FIELDS, "province"))

    communes = [
        Commune(district_id=code[:4], **_common(Level.COMMUNE, code, row))
        for code, row in rows[Level.COMMUNE].items()
    ]
    _upsert(Commune, communes, (*_NAME_FIELDS, *_PLACE_FIELDS, "district"))

    villages = [
        Village(commune_id=code[:6], **_common(Level.VILLAGE, code, row))
        for code, row in rows[Level.VILLAGE].items()
    ]
    _upsert(Village, villages, (*_NAME_FIELDS, "commune"))

    if not PlaceAlias.objects.exists():
        place_aliases_seed()

    return {f"{level}s": len(rows[level]) for level in CODE_LENGTHS}


@transaction.atomic
def place_aliases_seed() -> int:
    """Add the common everyday spellings whose unit exists; return how many were added.

    Existing aliases are left alone, so edits made in the admin survive.
    """
    added = 0
    for name, codes, note in SEED_ALIASES:
        for code in codes:
            if not UNIT_MODELS[LEVEL_BY_CODE_LENGTH[len(code)]].objects.filter(code=code).exists():  # type: ignore[misc]  # code is declared on each concrete level
                continue
            if PlaceAlias.objects.filter(name=name, code=code).exists():
                continue
            place_alias_save(alias=PlaceAlias(name=name, code=code, note=note))
            added += 1
    return added


@transaction.atomic
def place_alias_save(*, alias: PlaceAlias) -> PlaceAlias:
    """Validate and store an alias with its search keys (used by the admin and seeding)."""
    alias.name = _clean_km(alias.name)
    alias.code = ascii_digits(alias.code).strip()
    alias.search_key_km, alias.search_key_latin = alias_search_keys(alias.name)
    alias.full_clean()
    alias.save()
    return alias

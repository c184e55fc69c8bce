"""A few real units of the gazetteer, for tests that need places but not all 14,578.

Other apps' tests call ``load_small_gazetteer()`` (or use the ``small_gazetteer``
fixture). It is idempotent, so it may run in every test, and beside the full loader.

Units created (real codes and names from ``komar/geo/data/``)::

    01        បន្ទាយមានជ័យ / Banteay Meanchey   (khaet)
    0102      មង្គលបូរី / Mongkol Borey         (srok)
    010201    បន្ទាយនាង / Banteay Neang          (khum)
    01020101  អូរធំ / Ou Thum                    (village)
    01020102  ភ្នំ / Phnum                      (village)
    12        ភ្នំពេញ / Phnom Penh               (reach theani)
    1201      ចំការមន / Chamkar Mon              (khan)
    120101    ទន្លេបាសាក់ / Tonle Basak           (sangkat)
    12010101  ភូមិ ១ / Phum 1                    (village)
"""

from dataclasses import dataclass

import pytest

from komar.geo.models import (
    Commune,
    CommuneType,
    District,
    DistrictType,
    Province,
    ProvinceType,
    Village,
)
from komar.geo.services import search_keys

VILLAGE_OU_THUM = "01020101"
VILLAGE_PHNUM = "01020102"
VILLAGE_PHUM_1 = "12010101"

_PROVINCES = [
    ("01", "បន្ទាយមានជ័យ", "Banteay Meanchey", ProvinceType.KHAET, "KH-1"),
    ("12", "ភ្នំពេញ", "Phnom Penh", ProvinceType.REACH_THEANI, "KH-12"),
]
_DISTRICTS = [
    ("0102", "មង្គលបូរី", "Mongkol Borey", DistrictType.SROK),
    ("1201", "ចំការមន", "Chamkar Mon", DistrictType.KHAN),
]
_COMMUNES = [
    ("010201", "បន្ទាយនាង", "Banteay Neang", CommuneType.KHUM),
    ("120101", "ទន្លេបាសាក់", "Tonle Basak", CommuneType.SANGKAT),
]
_VILLAGES = [
    (VILLAGE_OU_THUM, "អូរធំ", "Ou Thum"),
    (VILLAGE_PHNUM, "ភ្នំ", "Phnum"),
    (VILLAGE_PHUM_1, "ភូមិ ១", "Phum 1"),
]


@dataclass
class SmallGazetteer:
    provinces: dict[str, Province]
    districts: dict[str, District]
    communes: dict[str, Commune]
    villages: dict[str, Village]


def _names(name_km: str, name_latin: str) -> dict[str, str]:
    key_km, key_latin = search_keys(name_km=name_km, name_latin=name_latin)
    return {
        "name_km": name_km,
        "name_latin": name_latin,
        "search_key_km": key_km,
        "search_key_latin": key_latin,
    }


def load_small_gazetteer() -> SmallGazetteer:
    """Create two provinces, each with one district and commune, and three villages.

    Needs database access (``db`` fixture or ``django_db`` mark).
    """
    provinces = {
        code: Province.objects.update_or_create(
            code=code, defaults={**_names(km, latin), "unit_type": kind, "iso3166_2": iso}
        )[0]
        for code, km, latin, kind, iso in _PROVINCES
    }
    districts = {
        code: District.objects.update_or_create(
            code=code,
            defaults={**_names(km, latin), "unit_type": kind, "province_id": code[:2]},
        )[0]
        for code, km, latin, kind in _DISTRICTS
    }
    communes = {
        code: Commune.objects.update_or_create(
            code=code,
            defaults={**_names(km, latin), "unit_type": kind, "district_id": code[:4]},
        )[0]
        for code, km, latin, kind in _COMMUNES
    }
    villages = {
        code: Village.objects.update_or_create(
            code=code, defaults={**_names(km, latin), "commune_id": code[:6]}
        )[0]
        for code, km, latin in _VILLAGES
    }
    return SmallGazetteer(provinces, districts, communes, villages)


@pytest.fixture
def small_gazetteer(db: None) -> SmallGazetteer:
    """Return the small gazetteer, loaded for this test."""
    return load_small_gazetteer()

"""Invariants the database itself keeps."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from komar.geo.models import District, Level, PlaceAlias, Village

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code",
    [
        "01020201",  # does not start with its commune's code
        "0102010",  # too short
        "0102010x",  # not digits
    ],
)
def test_village_code_must_extend_its_communes(small_gazetteer, code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(code=code, commune_id="010201", name_km="ក", name_latin="K")


def test_validity_dates_must_be_in_order(small_gazetteer):
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.filter(code="0102").update(
            valid_from=datetime.date(2020, 1, 2), valid_to=datetime.date(2020, 1, 1)
        )


def test_alias_level_follows_its_code():
    assert PlaceAlias(name="Kep", code="23").level == Level.PROVINCE
    assert PlaceAlias(name="Ou Thum", code="01020101").level == Level.VILLAGE
    assert PlaceAlias(name="?", code="123").level is None


def test_unit_label_and_validity(small_gazetteer):
    village = small_gazetteer.villages["01020101"]
    assert str(village) == "អូរធំ / Ou Thum"
    assert village.is_current()
    village.valid_to = datetime.date(2020, 1, 1)
    assert not village.is_current()
    assert village.is_current(on=datetime.date(2019, 12, 31))

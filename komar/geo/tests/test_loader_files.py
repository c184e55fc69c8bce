"""Loading gazetteer files other than the shipped ones: padding and consistency.

Kept apart from test_services.py, whose module loads the full gazetteer: these tests
need an empty one.
"""

import pytest

from komar.geo.models import District, Province, Village
from komar.geo.services import GazetteerError, gazetteer_load

pytestmark = pytest.mark.django_db


def _write(path, name, body):
    (path / f"{name}.yml").write_text(body, encoding="utf-8")


def _unit(code, km, latin, kind):
    return f"  {code}:\n    name:\n      km: {km}\n      latin: {latin}\n    administrative_unit:\n      latin: {kind}\n"


def test_load_pads_codes_that_lost_their_leading_zero(tmp_path):
    # Given files whose codes are unquoted numbers (YAML reads 01 as the integer 1)
    _write(
        tmp_path, "provinces", "provinces:\n" + _unit(1, "បន្ទាយមានជ័យ", "Banteay Meanchey", "Khaet")
    )
    _write(tmp_path, "districts", "districts:\n" + _unit(102, "មង្គលបូរី", "Mongkol Borey", "Srok"))
    _write(tmp_path, "communes", "communes:\n" + _unit(10201, "បន្ទាយនាង", "Banteay Neang", "Khum"))
    _write(
        tmp_path,
        "villages",
        "villages:\n"
        + _unit(1020101, "អូរធំ", "Ou Thum", "Phum")
        + _unit("'1020102'", "ភ្នំ", "Phnum", "Phum"),
    )
    # when they are loaded
    counts = gazetteer_load(data_dir=tmp_path)
    # then every code is zero-padded and points at its padded parent.
    assert counts == {"provinces": 1, "districts": 1, "communes": 1, "villages": 2}
    assert list(Village.objects.order_by("code").values_list("code", "commune_id")) == [
        ("01020101", "010201"),
        ("01020102", "010201"),
    ]
    assert District.objects.get().province_id == "01"


def test_load_refuses_an_orphan(tmp_path):
    _write(
        tmp_path,
        "provinces",
        "provinces:\n" + _unit("'01'", "បន្ទាយមានជ័យ", "Banteay Meanchey", "Khaet"),
    )
    _write(tmp_path, "districts", "districts:\n" + _unit("'0299'", "x", "X", "Srok"))
    _write(tmp_path, "communes", "communes: {}\n")
    _write(tmp_path, "villages", "villages: {}\n")
    with pytest.raises(GazetteerError, match="0299 has no parent province 02"):
        gazetteer_load(data_dir=tmp_path)
    assert Province.objects.count() == 0  # the transaction rolled back

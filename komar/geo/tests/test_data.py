"""The gazetteer files shipped with the app, read without the database."""

import hashlib

import pytest
import yaml

from komar.geo.services import DATA_DIR, SEED_ALIASES

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CHECKSUMS = {
    "provinces.yml": "0adf181867580e19f238ed627c37953c6dbd81dd84f8833fb57b46bc1e2e2211",
    "districts.yml": "2f1f62f1f5a8743213c7781f26205160195d627dbe4dcee181d123ae5b0c3068",
    "communes.yml": "7256c11c0c47be5796cde8b0d34c62d66690420f972a63d85163b3bbed261434",
    "villages.yml": "a7b55b293fbfc94354da6c4bc67fa0b906764df10fc6384cda043ca396ab3a82",
}


def _parse(text: str) -> dict:
    return yaml.load(text, Loader=LOADER)  # noqa: S506 (LOADER is a safe loader)


@pytest.fixture(scope="module")
def data() -> dict[str, dict]:
    return {
        level: _parse((DATA_DIR / f"{level}.yml").read_text("utf-8"))[level]
        # villages.yml takes seconds to parse; the loader's tests count its rows.
        for level in ("provinces", "districts", "communes")
    }


@pytest.mark.parametrize(("name", "digest"), CHECKSUMS.items())
def test_files_are_the_published_copies(name, digest):
    assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == digest


def test_readme_gives_attribution_licence_commit_and_counts():
    readme = (DATA_DIR / "README.md").read_text("utf-8")
    assert "NCDD gazetteer, via pumi" in readme
    assert "MIT" in readme
    assert "3a5c2bebc567d6240ba28e59fd5f6cdeb384a9b2" in readme
    for count in ("| 25 |", "| 210 |", "| 1,652 |", "| 14,578 |"):
        assert count in readme
    assert (DATA_DIR / "LICENSE.txt").read_text("utf-8").startswith("The MIT License")


def test_row_counts(data):
    assert {level: len(rows) for level, rows in data.items()} == {
        "provinces": 25,
        "districts": 210,
        "communes": 1652,
    }


def test_every_seed_alias_names_a_unit_in_the_data(data):
    codes = set().union(*(rows.keys() for rows in data.values()))
    missing = [
        (name, code)
        for name, targets, _note in SEED_ALIASES
        for code in targets
        if code not in codes
    ]
    assert missing == []


def test_kandal_is_written_with_both_subscripts(data):
    # The domain rule the search must cope with: the province with subscript TA, a
    # district with subscript DA.
    assert "\u17d2\u178f" in data["provinces"]["08"]["name"]["km"]
    assert "\u17d2\u178a" in data["districts"]["0801"]["name"]["km"]

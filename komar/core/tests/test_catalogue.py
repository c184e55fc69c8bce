"""Every string Komar shows is translated to Khmer: `makemessages` finds nothing new.

The check runs Django's `makemessages -l km` on a temporary copy of the source tree and of
the catalogues, so the committed catalogues are never rewritten, then lists every entry
that is untranslated or fuzzy in the refreshed copies.
"""

import ast
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

SOURCE_SUFFIXES = {".py", ".html", ".txt"}


def _copy_sources(src: Path, dest: Path) -> None:
    """Copy Komar's translatable sources and its app catalogues (not tests or caches)."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory) / name
            if name in {"__pycache__", "tests", "static", "migrations"}:
                skipped.add(name)
            elif path.is_file() and path.suffix not in SOURCE_SUFFIXES | {".po"}:
                skipped.add(name)
        return skipped

    shutil.copytree(src, dest, ignore=ignore)


def refreshed_catalogues(tmp_path: Path) -> list[Path]:
    """Run makemessages for Khmer on a copy and return the refreshed .po files."""
    root = Path(settings.BASE_DIR)
    work = tmp_path / "tree"
    _copy_sources(root / "komar", work / "komar")
    shutil.copytree(root / "locale", work / "locale")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[str(work / "locale")]):
            call_command("makemessages", locale=["km"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    return sorted(work.rglob("km/LC_MESSAGES/django.po"))


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())  # type: ignore[no-any-return]


def parse_po(text: str) -> list[dict[str, object]]:
    """Parse a .po file into entries: msgid, msgstrs and whether it is fuzzy."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += _unquote(line)
                continue
            key, _, rest = line.partition(" ")
            current = key
            fields[current] = _unquote(rest)
        if "msgid" not in fields:
            continue
        strs = [value for key, value in fields.items() if key.startswith("msgstr")]
        entries.append({"msgid": fields["msgid"], "msgstrs": strs, "fuzzy": fuzzy})
    return entries


def missing_entries(po_path: Path) -> list[str]:
    """Return every untranslated or fuzzy msgid of one catalogue, labelled."""
    missing = []
    for entry in parse_po(po_path.read_text(encoding="utf-8")):
        if entry["msgid"] == "":
            continue  # the header
        if entry["fuzzy"]:
            missing.append(f"fuzzy: {entry['msgid']!r}")
        elif not all(entry["msgstrs"]):
            missing.append(f"untranslated: {entry['msgid']!r}")
    return missing


def test_makemessages_finds_no_untranslated_or_fuzzy_entry(tmp_path: Path) -> None:
    committed = (Path(settings.BASE_DIR) / "locale/km/LC_MESSAGES/django.po").read_bytes()
    catalogues = refreshed_catalogues(tmp_path)

    assert tmp_path / "tree/locale/km/LC_MESSAGES/django.po" in catalogues
    problems = [
        f"{path.relative_to(tmp_path / 'tree')}: {line}"
        for path in catalogues
        for line in missing_entries(path)
    ]
    assert problems == [], "Untranslated or fuzzy Khmer entries:\n" + "\n".join(problems)
    # The committed catalogue is untouched.
    assert (Path(settings.BASE_DIR) / "locale/km/LC_MESSAGES/django.po").read_bytes() == committed


def test_the_check_catches_a_new_untranslated_string(tmp_path: Path) -> None:
    """The check can fail: a new string in a template shows up as untranslated."""
    root = Path(settings.BASE_DIR)
    work = tmp_path / "tree"
    _copy_sources(root / "komar", work / "komar")
    shutil.copytree(root / "locale", work / "locale")
    (work / "komar/templates/probe.html").write_text(
        '{% load i18n %}{% translate "A sentence nobody has translated yet" %}\n'
    )
    cwd = os.getcwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[str(work / "locale")]):
            call_command("makemessages", locale=["km"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    missing = missing_entries(work / "locale/km/LC_MESSAGES/django.po")
    assert "untranslated: 'A sentence nobody has translated yet'" in missing


def test_gettext_is_installed_by_ci() -> None:
    ci = (Path(settings.BASE_DIR) / ".ci/run").read_text()
    assert "gettext" in ci
    assert shutil.which("msgmerge") is not None

"""The Arabic catalogs are complete: every user-facing string in the code has a translation.

Runs Django's makemessages over a copy of the sources, so a string added without its
Arabic translation fails here with its text.
"""
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ["maydan/conf/locale/ar/LC_MESSAGES/django.po", "lti_tool/locale/ar/LC_MESSAGES/django.po"]


def entries(po_text):
    """(msgid, [msgstr…], fuzzy) for each entry of a .po file."""
    result = []
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, strs, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
            elif line.startswith("msgstr"):
                strs.append([])
                current = strs[-1]
            elif line.startswith("msgid_plural") or line.startswith("#") or line.startswith("msgctxt"):
                current = None if not line.startswith("msgid_plural") else []
                continue
            if current is not None and '"' in line:
                current.append(line[line.index('"') + 1:line.rindex('"')])
        if msgid or strs:
            result.append(("".join(msgid), ["".join(s) for s in strs], fuzzy))
    return result


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.fail("GNU gettext is missing: `make test` installs it (apt-get install gettext).")
    copy = tmp_path_factory.mktemp("src")
    for name in ("maydan", "lti_tool", "xblocks", "manage.py"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete", "--extension", "html,py"],
        cwd=copy, check=True, capture_output=True,
    )
    return copy


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_string_in_the_code_is_translated(extracted, catalog):
    missing = [msgid for msgid, strs, fuzzy in entries((extracted / catalog).read_text("utf-8"))
               if msgid and (fuzzy or not all(strs))]
    assert missing == [], f"untranslated in {catalog} (run `make messages` and translate): {missing}"


@pytest.mark.parametrize("catalog", CATALOGS)
def test_compiled_catalog_matches_its_source(tmp_path, catalog):
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(ROOT / catalog)], check=True)
    shipped = (ROOT / catalog).with_suffix(".mo")
    load = lambda path: dict(gettext.GNUTranslations(open(path, "rb"))._catalog)  # noqa: E731
    assert load(shipped) == load(fresh), f"{shipped} is stale: run `make messages`"


def test_arabic_plural_forms_are_declared():
    for catalog in CATALOGS:
        text = (ROOT / catalog).read_text("utf-8")
        assert "nplurals=6" in text, catalog

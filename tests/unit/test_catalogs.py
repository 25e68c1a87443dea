"""The Arabic catalogs are complete: every user-facing string in the code has a translation.

Runs Django's makemessages over a copy of the sources, so a string added without its
Arabic translation fails here with its text.
"""
import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ["maydan/conf/locale/ar/LC_MESSAGES/django.po", "lti_tool/locale/ar/LC_MESSAGES/django.po"]
PACKAGES = ("maydan", "lti_tool", "xblocks")  # what the product marks for translation


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
    for name in (*PACKAGES, "manage.py"):
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


# A literal string handed to gettext in Python, or translated in a template.
_LITERAL = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|gettext_noop|ngettext|ngettext_lazy|pgettext|pgettext_lazy)\(\s*(?:[a-z]+=)?["']"""
    r"""|\{%\s*(?:translate|trans|blocktranslate|blocktrans)\b"""
)


def sources():
    """Every .py and .html file of the product with a translatable literal, relative to the root."""
    found = []
    for name in PACKAGES:
        for path in sorted((ROOT / name).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts and _LITERAL.search(
                    path.read_text("utf-8")):
                found.append(path.relative_to(ROOT).as_posix())
    return found


def test_the_extraction_reads_every_package_and_template_with_strings(extracted):
    """Every subpackage (simulation, grading, sessions, content…), template folder and block is extracted."""
    located = set()
    for catalog in CATALOGS:
        for line in (extracted / catalog).read_text("utf-8").splitlines():
            if line.startswith("#: "):
                located.update(ref.rsplit(":", 1)[0] if ref[-1].isdigit() else ref for ref in line[3:].split())
    files = sources()
    assert any(f.startswith("xblocks/") for f in files) and any(f.startswith("lti_tool/") for f in files)
    assert [f for f in files if f not in located] == []


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_plural_has_its_six_arabic_forms(extracted, catalog):
    """Arabic has six plural forms (zero, one, two, few, many, other): each is written, and they are not
    one text copied six times."""
    wrong = []
    for block in (extracted / catalog).read_text("utf-8").split("\n\n"):
        if "msgid_plural" not in block or block.lstrip().startswith("#~"):
            continue
        forms = dict(re.findall(r'^msgstr\[(\d)\] "(.*)"', block, re.M))
        # A form may continue on the next lines: take the whole msgstr[i] text.
        texts = re.findall(r'^msgstr\[\d\] ((?:".*"\n?)+)', block + "\n", re.M)
        texts = ["".join(re.findall(r'"(.*)"', t)) for t in texts]
        if sorted(forms) != [str(i) for i in range(6)] or not all(texts) or len(set(texts)) == 1:
            wrong.append(block.split("msgid_plural")[0].strip().splitlines()[-1])
    assert wrong == [], f"plural entries without six distinct Arabic forms in {catalog}: {wrong}"


# gettext's names and, for each, the place of its message among the call's arguments.
_MESSAGE_AT = {"_": 0, "gettext": 0, "gettext_lazy": 0, "gettext_noop": 0, "ngettext": 0, "ngettext_lazy": 0,
               "pgettext": 1, "pgettext_lazy": 1, "npgettext": 1}


def marked_in_python():
    """{(file, message)} for every literal message a Python file of the product hands to gettext."""
    marked = set()
    for name in PACKAGES:
        for path in sorted((ROOT / name).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Call):
                    called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                    at = _MESSAGE_AT.get(called)
                    if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant) \
                            and isinstance(node.args[at].value, str):
                        marked.add((path.relative_to(ROOT).as_posix(), node.args[at].value))
    return marked


def test_every_message_the_code_marks_is_extracted(extracted):
    """A message makemessages cannot see (inside an f-string's braces, say) keeps only the translation written
    by hand, and the next `make messages` drops it: the page then shows that text in English."""
    found = {ast.literal_eval(f'"{msgid}"')  # unescaped: a .po file writes \" and \n as Python does
             for catalog in CATALOGS for msgid, _strs, _fuzzy in entries((extracted / catalog).read_text("utf-8"))}
    marked = marked_in_python()
    assert len(marked) > 500
    assert sorted((where, message) for where, message in marked if message not in found) == []


def test_a_message_in_both_catalogs_reads_the_same_in_each():
    """Django gives a message one translation whichever catalog holds it (the core's first): a different one in
    the other catalog would never be shown, and a translator correcting it there would see nothing change."""
    read = [gettext.GNUTranslations(open((ROOT / catalog).with_suffix(".mo"), "rb"))._catalog for catalog in CATALOGS]
    differ = sorted(str(key) for key in read[0].keys() & read[1].keys() if key and read[0][key] != read[1][key])
    assert differ == []

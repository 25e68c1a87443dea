"""An XLSX workbook of one sheet written as it goes, for files too large to hold.

openpyxl (even write-only) and XlsxWriter assemble the ZIP only when the workbook is saved, so nothing
leaves before the last row is read. Here openpyxl writes the workbook's parts for an empty sheet (its
view right-to-left or not, styles, properties), stream-zip packs them, and the sheet's rows are written
between its `<sheetData>` tags as they come, each text an inline string (never a formula), each number a
number.
"""
import io
import re
import zipfile
import zlib
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from stream_zip import ZIP_32, stream_zip

SHEET = "xl/worksheets/sheet1.xml"
_OPEN, _CLOSE = "<sheetData>", "</sheetData>"
ROWS_PER_CHUNK = 500
# XML's three, and a carriage return, which a parser would read as a line feed.
_SPECIAL = re.compile("[&<>\r]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def chunks(name, rows, *, right_to_left=False):
    """The workbook's bytes, a piece at a time; `rows` are lists of str, int, float, Decimal, bool or None
    (text already free of characters XML cannot carry)."""
    parts = _parts(name, right_to_left)
    now = datetime.now()

    def members():
        for part, data in parts.items():
            if part == SHEET:
                before, after = data.split(_OPEN.encode() + _CLOSE.encode())
                yield part, now, 0o600, ZIP_32, _sheet(before + _OPEN.encode(), rows, _CLOSE.encode() + after)
            else:
                yield part, now, 0o600, ZIP_32, (data,)

    return stream_zip(members(), chunk_size=64 * 1024, get_compressobj=_deflate)


def _deflate():
    # zlib's default level, as Python's zipfile (and so openpyxl) uses: stream-zip's 9 costs twice the time
    # for a file a few per cent smaller.
    return zlib.compressobj(wbits=-zlib.MAX_WBITS, level=zlib.Z_DEFAULT_COMPRESSION)


def _parts(name, right_to_left):
    """{part name: bytes} of openpyxl's workbook of one empty sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    if right_to_left:
        sheet.sheet_view.rightToLeft = True
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as saved:
        return {part: saved.read(part) for part in saved.namelist()}


def _sheet(before, rows, after):
    yield before
    lines = []
    for number, row in enumerate(rows, start=1):
        lines.append(_row(number, row))
        if len(lines) == ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    yield "".join(lines).encode() + after


def _row(number, values):
    cells = "".join(_cell(f"{_column(index)}{number}", value) for index, value in enumerate(values)
                    if value is not None)
    return f'<row r="{number}">{cells}</row>'


def _cell(ref, value):
    if isinstance(value, str):
        return f'<c r="{ref}"{_text(value)}'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{_number(value)}'
    raise TypeError(f"An exported cell holds text or a number, not {type(value).__name__}.")


# As openpyxl writes a cell: an empty text with no content, numbers as %.16g (none for NaN or infinity).
# Cached: a column's codes, labels and small numbers repeat row after row.
@lru_cache(maxsize=4096)
def _text(value):
    if not value:
        return ' t="inlineStr"/>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    if _SPECIAL.search(value):
        value = value.translate(_ESCAPES)
    return f' t="inlineStr"><is><t{space}>{value}</t></is></c>'


@lru_cache(maxsize=4096)
def _number(value):
    return f' t="n"><v>{safe_string(value)}</v></c>'


@lru_cache(maxsize=None)
def _column(index):
    return get_column_letter(index + 1)

"""The one writer of every CSV, XLSX and SPSS file the product hands out: the cells stay inert.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and tab or
carriage return lead some programs to the same; a student's `=HYPERLINK(...)` would then
run on a coordinator's computer. Following OWASP's CSV injection guidance, such text is
written with a leading apostrophe (which spreadsheets hide) and `restored` on the way back
in. Numbers stay numbers: -2 is written as -2, only the *text* "-2" is quoted. XLSX cells
holding text are typed as text, never formulas, and characters XML cannot carry are dropped.
Pure Python; openpyxl, polars and pyreadstat are imported when a file of theirs is made.
"""
import csv
import io
import os
import re
import tempfile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters; openpyxl refuses a cell holding one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert(value):
    """`value` as a spreadsheet shows it without running it; numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restored(text):
    """The text a person typed, from a cell this module wrote (for files filled in and imported back)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _csv_cell(value):
    return "" if value is None else inert(value)


def csv_text(rows):
    """CSV text of rows (lists of cells; the header is a row like the others)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_bytes(rows):
    """CSV as UTF-8 with a byte-order mark, so that Excel reads Arabic right."""
    return ("\ufeff" + csv_text(rows)).encode()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_NOT_XML.sub("", value))
        cell.data_type = "s"  # openpyxl would make text starting with "=" a formula
        return cell
    return value


def xlsx_bytes(name, rows, *, right_to_left=False):
    """An XLSX workbook of one sheet; every text cell is typed as text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    if right_to_left:
        sheet.sheet_view.rightToLeft = True
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# SPSS keeps at most 64 bytes of a file label, 255 of a variable label and 120 of a value label.
FILE_LABEL_BYTES, VARIABLE_LABEL_BYTES, VALUE_LABEL_BYTES = 64, 255, 120


def label(text, limit):
    """An SPSS label: inert, cut at a character boundary so its UTF-8 bytes fit SPSS's limit."""
    return _NOT_XML.sub("", str(inert(text))).encode()[:limit].decode(errors="ignore")


def sav_bytes(frame, *, file_label, column_labels, value_labels, measures):
    """An SPSS .sav file of a polars frame (text cells already `inert`), its labels made inert and fitted."""
    import pyreadstat

    file_label = label(file_label, FILE_LABEL_BYTES)
    column_labels = {name: label(text, VARIABLE_LABEL_BYTES) for name, text in column_labels.items()}
    value_labels = {name: {code: label(text, VALUE_LABEL_BYTES) for code, text in codes.items()}
                    for name, codes in value_labels.items()}

    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(frame, path, file_label=file_label, column_labels=column_labels,
                             variable_value_labels=value_labels, variable_measure=measures)
        with open(path, "rb") as saved:
            return saved.read()
    finally:
        os.unlink(path)

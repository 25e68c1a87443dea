"""The one writer of every CSV, XLSX and SPSS file the product hands out: the cells stay inert.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and tab or
carriage return lead some programs to the same; a student's `=HYPERLINK(...)` would then
run on a coordinator's computer. Following OWASP's CSV injection guidance, such text is
written with a leading apostrophe (which spreadsheets hide) and `restored` on the way back
in. Numbers stay numbers: -2 is written as -2, only the *text* "-2" is quoted. XLSX cells
holding text are typed as text, never formulas, and characters XML cannot carry are dropped.
Every file is written as it goes (a few rows at a time), so a program's whole data never sits in memory;
openpyxl, stream-zip, polars and pyreadstat are imported when a file of theirs is made.
"""
import csv
import io
import itertools
import re

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


def csv_chunks(rows, rows_per_chunk=1000):
    """CSV as UTF-8 with a byte-order mark (so that Excel reads Arabic right), a few rows at a time; the
    first row (the header) goes alone, before the rest are read."""
    rows = iter(rows)
    yield ("\ufeff" + csv_text(itertools.islice(rows, 1))).encode()
    while batch := list(itertools.islice(rows, rows_per_chunk)):
        yield csv_text(batch).encode()


def _xlsx_cell(value):
    # Text goes as an inline string, never a formula, whatever it starts with.
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def xlsx_chunks(name, rows, *, right_to_left=False):
    """An XLSX workbook of one sheet, a piece at a time; every text cell is typed as text."""
    from . import xlsx_stream

    return xlsx_stream.chunks(name, ([_xlsx_cell(v) for v in row] for row in rows), right_to_left=right_to_left)


# SPSS keeps at most 64 bytes of a file label, 255 of a variable label and 120 of a value label.
FILE_LABEL_BYTES, VARIABLE_LABEL_BYTES, VALUE_LABEL_BYTES = 64, 255, 120


def label(text, limit):
    """An SPSS label: inert, cut at a character boundary so its UTF-8 bytes fit SPSS's limit."""
    return _NOT_XML.sub("", str(inert(text))).encode()[:limit].decode(errors="ignore")


def sav_chunks(template, widths, cases, *, file_label, column_labels, value_labels, measures, cases_per_chunk=1000):
    """An SPSS .sav file, a piece at a time (maydan.sav_stream): the dictionary pyreadstat writes for the
    one-case polars frame `template`, its labels made inert and fitted, then `cases` (lists of numbers, or
    texts already `inert`); `widths` gives each text variable's width in bytes, None for a number."""
    from . import sav_stream

    head = sav_stream.header(
        template, file_label=label(file_label, FILE_LABEL_BYTES),
        column_labels={name: label(text, VARIABLE_LABEL_BYTES) for name, text in column_labels.items()},
        variable_value_labels={name: {code: label(text, VALUE_LABEL_BYTES) for code, text in codes.items()}
                               for name, codes in value_labels.items()},
        variable_measure=measures)

    def pieces():
        yield head
        encoded = sav_stream.Cases(widths)
        for number, case in enumerate(cases, start=1):
            encoded.add(case)
            if number % cases_per_chunk == 0:
                yield encoded.take()
        yield encoded.take(last=True)

    return pieces()

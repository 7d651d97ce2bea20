"""The first worksheet of an .xlsx as rows of values, read by calamine (python-calamine, in Rust).

The values are those openpyxl's read-only mode gives (`iter_rows(values_only=True)`, data_only) and the
hand-written lxml reader gave before: text, int or float, bool, a datetime (time, timedelta) for a number in
a date (duration) format, None for an empty cell; a missing row comes as an empty row, so row numbers stay
the sheet's, and rows past a short <dimension> are read. calamine's own values are brought to those here
(`_row`): an empty cell is "" there, a whole number a float, a date without time a date, its rows start at
the first column that holds something and are padded to the sheet's width.

calamine reads an error cell (#N/A of a VLOOKUP, #DIV/0!, …) as empty; openpyxl gives its code as text, and
the import checks that as the field's value: `_error_cells` finds them in the sheet's XML (only when the
sheet has any) and puts their codes back.

One difference remains, where calamine follows Excel and openpyxl does not: _xHHHH_ escapes in text are
decoded, as Excel shows them ("_x000D_" is a carriage return; openpyxl left the escape in the text).
Cells no ledger holds read differently too: a number written as "88.0" or "1E3" in the XML (Excel writes
"88" and "1000") is the int 88, 1000; a negative number in a date format is a time of day (openpyxl: a day
in December 1899); a date past 9999-12-31 is its number (openpyxl: "#VALUE!"); a duration of millions of
years makes the file unreadable (XlsxError).
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)  # no XXE, long texts kept
EXACT = float(2**53)  # whole floats below this are ints in the file ("88"); above, openpyxl read "1E+20" as float


class XlsxError(ValueError):
    """The file is no readable workbook (the caller says so in Chinese)."""


def rows(path: Path) -> Iterator[list]:
    """Every row of the workbook's first worksheet, in order, as a list of values (short rows not padded)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            first = next((i for i, m in enumerate(book.sheets_metadata) if m.typ == SheetTypeEnum.WorkSheet), None)
            if first is None:  # openpyxl's worksheets[0]: chart sheets are not worksheets
                raise XlsxError("no worksheet")
            sheet = book.get_sheet_by_index(first)
    except (CalamineError, OSError) as e:
        raise XlsxError(type(e).__name__) from None
    start = sheet.start
    if start is None:  # an empty sheet
        return
    errors = _error_cells(path)
    pad: list = [None] * start[1]  # calamine's rows begin at the first column that holds something
    try:
        for number, cells in enumerate(sheet.iter_rows(), 1):
            values: list = pad + cells if pad else cells
            for column, code in errors.get(number, ()):
                values.extend([None] * (column - len(values)))
                values[column - 1] = code
            yield _row(values)
    except OverflowError:  # a duration of millions of years: no file a desk wrote
        raise XlsxError("OverflowError") from None


def _row(values: list) -> list:
    """calamine's values as openpyxl gives them, trailing empty cells left out."""
    for i, v in enumerate(values):
        kind = v.__class__
        if kind is str:
            if not v:
                values[i] = None
        elif kind is float:
            if v.is_integer() and -EXACT < v < EXACT:
                values[i] = int(v)
        elif kind is dt.date:
            values[i] = dt.datetime(v.year, v.month, v.day)
    while values and values[-1] is None:
        values.pop()
    return values


ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)  # <c …/> holds nothing
REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Z]+)(\d+)["']""")
VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>')


def _error_cells(path: Path) -> dict[int, list[tuple[int, str]]]:
    """The error cells of the first worksheet: row number -> [(column number, code such as "#N/A")].
    The sheet is scanned as it decompresses; only a sheet that has error cells is read whole."""
    with zipfile.ZipFile(path) as archive:
        sheet = _parts(archive).get("worksheet")
        if sheet is None:
            return {}
        with archive.open(sheet) as source:
            tail, found = b"", False
            while not found and (chunk := source.read(1 << 20)):
                found, tail = ERROR_TYPE.search(tail + chunk) is not None, chunk[-16:]
            if not found:
                return {}
        xml = archive.read(sheet)
    errors: dict[int, list[tuple[int, str]]] = {}
    for cell in ERROR_CELL.finditer(xml):
        attributes, body = cell.groups()
        if body is None or not ERROR_TYPE.search(attributes):
            continue
        reference, value = REFERENCE.search(attributes), VALUE.search(body)
        if reference and value:
            column, row = _column(reference.group(1).decode()), int(reference.group(2))
            errors.setdefault(row, []).append((column, value.group(1).decode("utf-8", "replace")))
    return errors


def _column(letters: str) -> int:
    """1 for A, 28 for AB."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def estimate_rows(path: Path) -> int | None:
    """About how many data rows (after the header) the first worksheet has, without reading it: from its
    <dimension> (Excel and WPS write one), else from how many rows its first megabyte holds and its size.
    (openpyxl's max_row parses a sheet without <dimension>, as openpyxl's write-only mode and our own
    exports make them, to its end: 7 s for 100k rows, before the reading proper.)"""
    with zipfile.ZipFile(path) as archive:
        sheet = _parts(archive).get("worksheet")
        if sheet is None:
            return None
        size = archive.getinfo(sheet).file_size
        with archive.open(sheet) as source:
            head = source.read(1 << 20)
    found = re.search(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head[:4096])
    if found:
        return max(0, int(found.group(1)) - 1)
    rows = len(re.findall(rb"<(?:\w+:)?row[ >]", head))
    if not rows:
        return 0
    return max(0, round(rows * size / len(head)) - 1) if len(head) < size else rows - 1


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as fh:
            return etree.parse(fh, PARSER).getroot()
    except KeyError:
        raise XlsxError(f"{name} missing") from None
    except etree.XMLSyntaxError as e:
        raise XlsxError(str(e)) from None


def _related(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (kind, e.g. 'worksheet', and the archive name of the target)."""
    folder, name = posixpath.split(part)
    try:
        rels = _xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    except XlsxError:
        return {}
    out = {}
    for rel in rels.iter(f"{PACKAGE_REL}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def _workbook(archive: zipfile.ZipFile) -> str:
    """The workbook part's name (xl/workbook.xml, unless the package says otherwise)."""
    found = [path for kind, path in _related(archive, "").values() if kind == "officeDocument"]
    return found[0] if found else "xl/workbook.xml"


def _parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Archive names of the workbook, its first worksheet (in the workbook's order), shared strings, styles."""
    book = _workbook(archive)
    workbook = _xml(archive, book)
    targets = _related(archive, book)
    out = {kind: name for kind, name in targets.values() if kind in ("sharedStrings", "styles")}
    out["workbook"] = book
    for sheet in workbook.iter(f"{MAIN}sheet"):
        kind, name = targets.get(sheet.get(f"{REL}id"), ("", ""))
        if kind == "worksheet":  # openpyxl's worksheets[0]: chart sheets are not worksheets
            out["worksheet"] = name
            break
    return out

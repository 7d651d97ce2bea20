"""The first worksheet of an .xlsx as rows of values, read with lxml as the file streams by.

The values are those openpyxl's read-only mode gives (`iter_rows(values_only=True)`, data_only): text, int
or float, bool, a datetime (time, timedelta) for a number in a date (duration) format, error codes as text,
None for an empty cell; a missing row comes as an empty row, so row numbers stay the sheet's. openpyxl made
a Python object of every shared string and cell through ElementTree, half of a 100k-row ledger import (22 s);
its public helpers still decide what a date format is and turn serial numbers into dates.
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)  # no XXE, long texts kept


class XlsxError(ValueError):
    """The file is no readable workbook (the caller says so in Chinese)."""


def rows(path: Path) -> Iterator[list]:
    """Every row of the workbook's first worksheet, in order, as a list of values (short rows not padded)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise XlsxError(type(e).__name__) from None
    with archive:
        parts = _parts(archive)
        strings = _shared_strings(archive, parts.get("sharedStrings"))
        dates, durations = _date_styles(archive, parts.get("styles"))
        epoch = _epoch(_xml(archive, parts["workbook"]))
        sheet = parts.get("worksheet")
        if sheet is None:
            raise XlsxError("no worksheet")
        with archive.open(sheet) as source:
            yield from _sheet_rows(source, strings, dates, durations, epoch)


def estimate_rows(path: Path) -> int | None:
    """About how many data rows (after the header) the first worksheet has, without reading it: from its
    <dimension> (Excel and WPS write one), else from how many rows its first megabyte holds and its size.
    (openpyxl's max_row parses a sheet without <dimension>, as openpyxl's write-only mode and our own
    exports make them, to its end: 7 s for 100k rows, before the reading proper.)"""
    import re

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


T_TAG = f"{MAIN}t"


def _text(element) -> str:
    """A string item's text as openpyxl's Text.content: its <t>, then each run's <t>; phonetic runs left out."""
    if len(element) == 1 and element[0].tag == T_TAG:  # plain text, nearly every string
        return element[0].text or ""
    plain = element.find(T_TAG)
    parts = [plain.text or ""] if plain is not None else []
    parts += [t.text or "" for t in element.iterfind(f"{MAIN}r/{MAIN}t")]
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None or name not in archive.namelist():
        return []
    strings = []
    with archive.open(name) as fh:
        for _event, si in etree.iterparse(fh, tag=f"{MAIN}si", huge_tree=True, resolve_entities=False):
            strings.append(_text(si).replace("x005F_", ""))  # as openpyxl reads them
            si.clear()
            while si.getprevious() is not None:
                del si.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """Indexes of the cell styles whose number format is a date (and of those that are a duration)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    if name is None or name not in archive.namelist():
        return set(), set()
    styles = _xml(archive, name)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iterfind(f"{MAIN}numFmts/{MAIN}numFmt")}
    dates, durations = set(), set()
    for index, xf in enumerate(styles.iterfind(f"{MAIN}cellXfs/{MAIN}xf")):
        number_format = int(xf.get("numFmtId", 0))
        code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, "General"))
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _epoch(workbook):
    """The workbook's date system: 1900 (Windows) unless it says 1904 (old Mac files)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    pr = workbook.find(f"{MAIN}workbookPr")
    mac = pr is not None and pr.get("date1904", "false").lower() in ("1", "true")
    return CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900


_COLUMNS: dict[str, int] = {}  # column letters -> number, worked out once each


def _column(reference: str) -> int:
    """1 for A1, 28 for AB7."""
    letters = reference.rstrip("0123456789")
    n = _COLUMNS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64 if "A" <= ch <= "Z" else n
        _COLUMNS[letters] = n
    return n


def _number(text: str):
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _sheet_rows(source, strings: list[str], dates: set[int], durations: set[int], epoch) -> Iterator[list]:
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    row_tag, c_tag, v_tag, is_tag = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is"
    expected = 1  # the next row number: missing rows come out empty
    for _event, row in etree.iterparse(source, tag=row_tag, huge_tree=True, resolve_entities=False):
        number = int(float(row.get("r"))) if row.get("r") else expected
        while expected < number:
            yield []
            expected += 1
        values: list = []
        for cell in row.iterchildren(c_tag):
            attributes = cell.attrib
            reference = attributes.get("r")
            column = _column(reference) if reference else len(values) + 1
            kind = attributes.get("t", "n")
            if kind == "s":  # a shared string, most cells of a ledger
                value = cell.findtext(v_tag)
                value = strings[int(value)] if value else None
            elif kind == "inlineStr":
                inline = cell.find(is_tag)
                value = _text(inline) if inline is not None else None
            else:
                value = cell.findtext(v_tag) or None
                if value is not None:
                    if kind == "n":
                        value = _number(value)
                        style = int(attributes.get("s", 0) or 0)
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in durations)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "d":
                        value = from_ISO8601(value)
            if column > len(values) + 1:
                values.extend([None] * (column - len(values) - 1))
            if column == len(values) + 1:
                values.append(value)
            else:
                values[column - 1] = value
        yield values
        expected = number + 1
        row.clear()
        while row.getprevious() is not None:  # the rows read so far go: memory stays flat
            del row.getparent()[0]

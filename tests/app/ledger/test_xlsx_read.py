"""app/ledger/xlsx_read gives the values openpyxl's read-only mode gives (the import read .xlsx through it before),
except the _xHHHH_ escapes in text, decoded as Excel shows them."""
import datetime as dt
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from app.ledger import xlsx_read, xlsx_stream

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _openpyxl(path):
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [[_as_excel_shows(v) for v in row] for row in _trimmed(wb.worksheets[0].iter_rows(values_only=True))]
    finally:
        wb.close()


def _as_excel_shows(value):
    """openpyxl leaves OOXML's escapes in text ("_x000D_" for a carriage return); Excel and calamine decode them."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if isinstance(value, str) else value


def _trimmed(rows):
    """Rows without trailing empty cells, without trailing empty rows (openpyxl pads both to the sheet's size)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _varied_workbook(path, epoch=None):
    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "台账"
    ws.append(["登记时间", "类型", "金额", "是否", "空", "备注"])
    ws.append([dt.datetime(2026, 3, 4, 10, 30), "投诉", 88, True, None, "月饼发霉"])
    ws.append([dt.date(2026, 3, 5), "咨询", 12.5, False, None, "  前后空格  "])
    ws.append([dt.time(9, 15), "投诉", -3, None, None, "x"])
    ws.append([])
    ws.append([None, None, None, None, None, "只有最后一列"])
    ws["A8"] = "=SUM(C2:C3)"  # a formula without a cached value reads as empty
    ws["B9"], ws["C9"], ws["D9"] = 1e20, 0, "0"
    ws["A10"] = dt.timedelta(hours=30)
    ws["A10"].number_format = "[h]:mm:ss"
    ws["A11"] = 45000
    ws["A11"].number_format = "yyyy\\-mm\\-dd"
    ws["A12"] = 45000.75
    ws["A12"].number_format = "0.00"
    ws["A13"] = CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), "尾"])
    ws["A14"] = "_x000D_换行\n第二行"
    ws["A15"] = "很长" * 5000
    wb.create_sheet("第二张")["A1"] = "不读"
    wb.save(path)


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904])
def test_values_as_openpyxl_reads_them(tmp_path, epoch):
    path = tmp_path / "varied.xlsx"
    _varied_workbook(path, epoch)
    ours = _trimmed(xlsx_read.rows(path))
    assert ours == _openpyxl(path)
    assert ours[1][0] == dt.datetime(2026, 3, 4, 10, 30) and ours[12] == ["普通加粗尾"] and ours[4] == []
    assert ours[13] == ["\r换行\n第二行"]


def test_cells_of_every_type_written_by_hand_and_our_own_export(tmp_path):
    base = tmp_path / "varied.xlsx"
    _varied_workbook(base)
    path = tmp_path / "hand.xlsx"
    extra = (b'<row r="20"><c r="A20" t="e"><v>#N/A</v></c><c r="C20" t="str"><f>A1</f><v>cached</v></c>'
             b'<c r="D20" t="inlineStr"><is><t xml:space="preserve"> inline </t></is></c><c r="E20" t="b"><v>1</v>'
             b'</c><c r="F20" t="d"><v>2026-03-04T10:30:00</v></c></row></sheetData>')
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"A1:F15", b"A1:F20").replace(b"</sheetData>", extra)
            dst.writestr(item, data)
    ours = _trimmed(xlsx_read.rows(path))
    assert ours == _openpyxl(path)
    assert ours[19] == ["#N/A", None, "cached", " inline ", True, dt.datetime(2026, 3, 4, 10, 30)]
    export = tmp_path / "export.xlsx"
    xlsx_stream.write(export, ["编号", "金额", "事实"], [["20260101-0001", Decimal("12.50"), "=1+1"],
                                                      ["<&>\"'", -1.5, "换\n行"]], "导出")
    assert _trimmed(xlsx_read.rows(export)) == _openpyxl(export)


def test_error_cells_keep_their_codes_and_leading_empty_rows_and_columns_keep_their_place(tmp_path):
    """calamine reads an error cell as empty; its code comes back from the sheet's XML, as openpyxl gave it."""
    wb = Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["C4"] = "表头", "第二列", 1
    wb.save(tmp_path / "base.xlsx")
    path = tmp_path / "errors.xlsx"
    extra = (b'<row r="5"><c r="B5" s="0"/><c r="C5" t="e"><v>#N/A</v></c><c r="D5" s="0"/>'
             b"<c r='F5' t='e'><f>1/0</f><v>#DIV/0!</v></c></row>"
             b'<row r="7"><c r="A7" t="e"><v>#REF!</v></c></row></sheetData>')
    with zipfile.ZipFile(tmp_path / "base.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"C3:D4", b"A1:F7").replace(b"</sheetData>", extra)
            dst.writestr(item, data)
    ours = _trimmed(xlsx_read.rows(path))
    assert ours == _openpyxl(path)
    assert ours[2] == [None, None, "表头", "第二列"] and ours[4] == [None, None, "#N/A", None, None, "#DIV/0!"]
    assert ours[6] == ["#REF!"]


def test_rows_past_a_short_dimension_are_read_and_a_broken_file_is_refused(tmp_path):
    """openpyxl stops at the row its <dimension> names; Excel shows every row, and so does the import."""
    base = tmp_path / "varied.xlsx"
    _varied_workbook(base)
    path = tmp_path / "short.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"A1:F15", b"A1:F3")
            dst.writestr(item, data)
    assert len(_trimmed(xlsx_read.rows(path))) == 15
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(xlsx_read.XlsxError):
        list(xlsx_read.rows(tmp_path / "bad.xlsx"))


def test_the_row_estimate_reads_the_dimension_or_extrapolates_the_first_megabyte(tmp_path):
    path = tmp_path / "varied.xlsx"
    _varied_workbook(path)
    assert xlsx_read.estimate_rows(path) == 14  # <dimension ref="A1:F15">, the header not counted
    wb = Workbook(write_only=True)  # no <dimension>
    ws = wb.create_sheet("x")
    for i in range(40_000):
        ws.append([f"第{i}行，演示数据", i, "某某经营者（演示）"])
    wb.save(tmp_path / "big.xlsx")
    assert 38_000 <= xlsx_read.estimate_rows(tmp_path / "big.xlsx") <= 42_000

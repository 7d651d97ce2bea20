"""The streaming .xlsx writer: what goes in comes back out through openpyxl, and every part is XML."""
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from app.ledger import xlsx_stream


def test_values_come_back_as_written(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [["a&b <c> \"d\" 'e'", "", None, 3, 2.5, Decimal("12.30"), True, "=HYPERLINK(\"x\")"],
            ["控\x01制\x0b字符\x1f", "  前后空格  ", "第一行\n第二行\t制表", "x" * 40000, 0, False, "", "尾"]]
    xlsx_stream.write(path, ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"], iter(rows), "台账")
    wb = load_workbook(path)
    ws = wb.active
    assert ws.title == "台账" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
    assert all(c.font.b for c in ws[1]) and not ws["A2"].font.b
    first = [c.value for c in ws[2]]
    assert first == ["a&b <c> \"d\" 'e'", None, None, 3, 2.5, 12.3, "是", "=HYPERLINK(\"x\")"]
    assert ws["H2"].data_type == "s"  # formula-like text is a string cell, never a formula
    second = [c.value for c in ws[3]]
    assert second[:3] == ["控制字符", "  前后空格  ", "第一行\n第二行\t制表"]  # XML cannot carry \x01
    assert second[3] == "x" * xlsx_stream.MAX_CELL_TEXT  # Excel's limit for one cell
    assert second[4:] == [0, "否", None, "尾"]
    assert ws.column_dimensions["A"].width == 10
    assert ws.max_row == 3 and not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_every_part_is_well_formed_xml(tmp_path):
    path = tmp_path / "t.xlsx"
    xlsx_stream.write(path, ["<头>"], ([f"行{i} & <{i}>"] for i in range(1000)), "表<1>")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))
    ws = load_workbook(path, read_only=True).worksheets[0]
    values = [r[0] for r in ws.iter_rows(values_only=True)]
    assert values[0] == "<头>" and values[-1] == "行999 & <999>" and len(values) == 1001


def test_an_empty_table_has_its_header(tmp_path):
    path = tmp_path / "t.xlsx"
    xlsx_stream.write(path, ["案件编号", "状态"], [], "台账")
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["案件编号", "状态"] and ws.max_row == 1

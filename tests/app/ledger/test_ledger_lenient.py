"""The ledger as clerks fill it in: the template's sheets, drop-downs and example row; dates, money and labels
written the usual ways."""
import pytest
from openpyxl import Workbook, load_workbook

from app.ledger import lenient
from app.ledger.exchange import COLUMNS


@pytest.mark.parametrize("text,expected", [
    ("2026/11/1", "2026-11-01"), ("2026.11.1", "2026-11-01"), ("2026年11月1日", "2026-11-01"),
    ("20261101", "2026-11-01"), ("2026-11-01", "2026-11-01"), ("2026/11/1 9:05", "2026-11-01T09:05:00"),
    ("2026年11月1日 10时15分", "2026-11-01T10:15:00"), ("下周一", "下周一"),
])
def test_dates(text, expected):
    assert lenient.date_text(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("3000元", "3000"), ("¥3,000", "3000"), ("￥3,000.50", "3000.50"), ("人民币 299 元", "299"),
    ("3万", "3万"), ("三千", "三千"),
])
def test_money(text, expected):
    assert lenient.money_text(text) == expected


def test_labels_and_synonyms():
    from app.core import codes

    assert lenient.demands_text("退款、赔偿") == ["refund", "compensation"]
    assert lenient.demands_text("refund;维修") == ["refund", "repair"]
    assert lenient.code(codes.CATEGORY, "家用电子电器") == "appliances"
    assert lenient.code(codes.PURCHASE_CHANNEL, "直播") == "livestream"
    assert lenient.code(codes.NATURE, "Quality") == "quality"
    assert lenient.code(codes.NATURE, "不知道") == "不知道"  # left for validation to name


def test_template_sheets_dropdowns_and_example(desk, tmp_path):
    path = tmp_path / "模板.xlsx"
    desk.ledger.template(path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["台账", "填写说明"]
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == [label for label, _ in COLUMNS]
    assert ws.cell(2, 1).value == "示例"
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    category_col = [f for _, f in COLUMNS].index("category") + 1
    from openpyxl.utils import get_column_letter

    assert any(ref.startswith(get_column_letter(category_col) + "2") for ref in lists)
    assert "日期" in [c.value for c in wb["填写说明"]["A"]]
    # The template as it comes imports nothing: its example row is skipped.
    from app.core.errors import FieldError

    with pytest.raises(FieldError, match="没有案件"):
        desk.ledger.import_file(path)


def test_import_accepts_the_clerks_ways(desk, tmp_path):
    headers = [label for label, _ in COLUMNS]
    row = {"登记时间": "2026/11/1 10:15", "类型": "投诉", "来源": "来访", "消费者姓名": "李某", "消费者电话": "13900003333",
           "经营者名称": "某超市（虚构）", "投诉类别": "食品", "投诉性质": "安全", "商品或服务": "月饼",
           "购买日期": "2026年10月28日", "购买方式": "实体店", "购买金额": "¥3,000", "诉求金额": "3000元",
           "事实": "月饼发霉", "诉求": "退款、赔偿"}
    wb = Workbook()
    wb.active.append(headers)
    wb.active.append([row.get(h, "") for h in headers])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    numbers = desk.ledger.import_file(path)
    assert len(numbers) == 1
    case = desk.cases.show(numbers[0]).as_json()
    assert case["purchase_date"] == "2026-10-28" and case["amount_paid"] == "3000.00"
    assert case["demands"] == ["refund", "compensation"] and case["category"] == "food"
    assert case["received_at"].startswith("2026-11-01T10:15")

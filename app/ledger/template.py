"""The ledger template a point fills in: the columns, one example row, drop-down lists for coded columns
and a sheet that says how to fill it in (fictitious example data only)."""
from __future__ import annotations

from pathlib import Path

from app.core import codes
from app.ledger.exchange import CODE_TABLES, COLUMNS, EXAMPLE_MARK, write

# The example row: plainly fictitious, marked so the import skips it.
EXAMPLE = {
    "case_no": EXAMPLE_MARK, "received_at": "2026/11/1 10:15", "kind": "投诉", "channel": "来访",
    "consumer.name": "王某（示例）", "consumer.phone": "13900000000", "consumer.group": "无",
    "consumer.consent_to_share": "否", "merchant.name": "某电器店（示例）", "merchant.shop_no": "B1-023",
    "category": "家用电子电器类", "nature": "质量", "product": "电热水壶", "brand": "某牌",
    "purchase_date": "2026年10月28日", "purchase_channel": "实体店", "amount_paid": "299元",
    "amount_claimed": "¥299", "facts": "购买三天后底座漏电，经营者拒绝退货。", "demands": "退款、赔偿",
    "state": "登记", "fast_track": "否",
}

INSTRUCTIONS = [
    ("怎样填写", ""),
    ("每行一件案件", "第一行是列名，请不要修改；从第三行起填写（第二行是示例，导入时自动跳过，可以删除）。"),
    ("必填", "投诉：消费者姓名、消费者电话、经营者名称、投诉类别、投诉性质、事实、诉求；咨询：姓名或电话、事实（咨询的问题）。"),
    ("带下拉框的列", "类型、来源、特殊群体、投诉类别、投诉性质、购买方式、状态：请从下拉框中选择，也可以写代码。"),
    ("日期", "2026-11-01、2026/11/1、2026.11.1、2026年11月1日都可以；登记时间可以带时分，如 2026/11/1 10:15。"),
    ("金额", "3000、3000.00、3000元、¥3,000 都可以；不要写“3千”“3万”。"),
    ("诉求", "可写多项，用顿号或逗号分开，如：退款、赔偿。退款、退货、换货、维修、赔偿、道歉等常用写法都认得。"),
    ("是否", "“同意向消保委提供个人信息”“小额快速处理”写 是 或 否。"),
    ("不用填", "案件编号、受理期限、调解期限由系统生成，填了也不会使用。"),
    ("导入", "在“台账导入导出”中选择本文件。全部行都正确才会导入；有错时列出每一行的错误，一行也不导入。"),
]

_LIST_SHEET = "代码表"


def write_template(path: Path) -> None:
    """.xlsx: 台账 (columns, example, drop-downs), 填写说明, and the hidden lists the drop-downs use;
    .csv/.jsonl: the columns and the example row only."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        write(path, [])
        return
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([label for label, _ in COLUMNS])
    ws.append([EXAMPLE.get(field, "") for _, field in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    ws.freeze_panes = "A2"
    for i, (label, _field) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(label) * 2 + 2)

    lists = wb.create_sheet(_LIST_SHEET)
    tables = dict(CODE_TABLES)
    tables["consumer.consent_to_share"] = {"yes": "是", "no": "否"}
    tables["fast_track"] = {"yes": "是", "no": "否"}
    for n, (field, table) in enumerate(tables.items(), 1):
        letter = get_column_letter(n)
        lists.cell(1, n, field)
        for r, label in enumerate(table.values(), 2):
            lists.cell(r, n, label)
        col = next(i for i, (_l, f) in enumerate(COLUMNS, 1) if f == field)
        rule = DataValidation(type="list", formula1=f"'{_LIST_SHEET}'!${letter}$2:${letter}${len(table) + 1}",
                              allow_blank=True, showErrorMessage=False)
        rule.promptTitle = COLUMNS[col - 1][0]
        rule.prompt = "请从下拉框中选择"
        ws.add_data_validation(rule)
        target = get_column_letter(col)
        rule.add(f"{target}2:{target}5000")
    lists.sheet_state = "hidden"

    guide = wb.create_sheet("填写说明", 1)  # after 台账: the import reads the first sheet
    for r, (head, text) in enumerate(INSTRUCTIONS, 1):
        guide.cell(r, 1, head).font = Font(bold=True, size=14 if r == 1 else 11)
        guide.cell(r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 100
    guide.cell(len(INSTRUCTIONS) + 2, 1, "诉求写法").font = Font(bold=True)
    guide.cell(len(INSTRUCTIONS) + 2, 2, "、".join(codes.DEMAND.values()))
    wb.active = 0
    wb.save(path)

"""转办汇总 as an Excel workbook: typed cells (dates as dates, amounts as numbers), its own sheet, page setup."""
from __future__ import annotations

from pathlib import Path

from app.core import codes, money
from app.core.clock import LOCAL_TZ
from app.core.privacy import mask_name, mask_phone
from app.printing.referral import referral_day, referral_reason, target_name
from app.storage.models import Case

SHEET = "转办汇总"
# (header, width in characters, number format or None)
COLUMNS = [
    ("序号", 6, None), ("案件编号", 18, None), ("登记日期", 12, "yyyy-mm-dd"), ("受理日期", 12, "yyyy-mm-dd"),
    ("消费者", 12, None), ("消费者电话", 15, None), ("个人信息", 18, None), ("被投诉经营者", 32, None), ("统一社会信用代码", 21, None), ("类别", 14, None),
    ("性质", 10, None), ("商品或服务", 20, None), ("购买金额（元）", 14, "#,##0.00"), ("投诉事实", 50, None),
    ("消费者诉求", 16, None), ("移送对象", 24, None), ("移送日期", 12, "yyyy-mm-dd"), ("移送理由", 36, None),
]


def _consumer(c: Case) -> tuple[str, str, str]:
    """Name and phone in full only where the consumer agreed to share them with the council."""
    if c.consumer.consent_to_share:
        return c.consumer.name, c.consumer.phone, "消费者同意提供"
    return mask_name(c.consumer.name), mask_phone(c.consumer.phone), "未同意提供，已遮盖"


def _row(i: int, c: Case, settings: dict) -> list:
    m = c.merchant
    return [
        i, c.case_no, c.received_at.astimezone(LOCAL_TZ).date(), c.accepted_on, *_consumer(c),
        m.name if m else "", m.uscc if m else "", codes.label(codes.CATEGORY, c.category),
        codes.label(codes.NATURE, c.nature), "　".join(x for x in (c.product, c.brand) if x),
        float(money.to_decimal(c.amount_paid)) if c.amount_paid else None, c.facts,
        "、".join(codes.label(codes.DEMAND, d) for d in c.demands.split(",") if d), target_name(c, settings),
        referral_day(c), referral_reason(c),
    ]


def write(path: Path, items: list[Case], settings: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    point = settings.get("point.name") or "消费维权联络点"
    ws.append([f"{point} 消费投诉转办汇总"])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.append([label for label, _w, _f in COLUMNS])
    thin = Side(style="thin", color="999999")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for i, c in enumerate(items, 1):
        ws.append(_row(i, c, settings))
        for col, (_label, _w, fmt) in enumerate(COLUMNS, 1):
            cell = ws.cell(ws.max_row, col)
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # text that looks like a formula stays text
            if fmt:
                cell.number_format = fmt
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for col, (_label, w, _f) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.save(path)

"""消费投诉告知函: the notice asking a merchant to answer a complaint by a date (consumer masked)."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.core import clock, codes
from app.core.clock import LOCAL_TZ
from app.core.privacy import mask_name
from app.printing import layout
from app.storage.models import Case, MerchantRequest

TITLE = "消费投诉告知函"


def _reply_slip(width: float, case_no: str, due: dt.date) -> Table:
    """The tear-off part the merchant fills in and sends back."""
    third = width / 3
    rows = [[layout.para(f"经营者答复（回执）　投诉编号 {case_no}　请于{layout.chinese_date(due)}前交回", "label"), "", ""],
            [layout.para("处理意见：", "cell"), "", ""],
            [layout.para("经营者（盖章）：", "cell"), layout.para("联系人：", "cell"), layout.para("电话：", "cell")],
            [layout.para("答复日期：　　　年　　月　　日", "cell"), "", ""]]
    t = Table(rows, colWidths=[third] * 3, rowHeights=[None, 80 * mm, 12 * mm, 10 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), layout.fonts.BODY),
                           ("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, 1), (-1, 1)), ("SPAN", (0, 3), (-1, 3)),
                           ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                           ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                           ("VALIGN", (0, 1), (-1, -1), "TOP")]))
    return t


def render(case: Case, req: MerchantRequest, working_days: int, settings: dict,
           printed: dt.date | None = None, register_no: str = "") -> bytes:
    printed = printed or clock.today()
    point = settings.get("point.name") or "消费维权联络点"
    merchant = case.merchant.name if case.merchant else "经营者"
    width = layout.content_width()
    received = layout.chinese_date(case.received_at.astimezone(LOCAL_TZ).date())
    due = layout.chinese_date(req.reply_due)
    goods = "　".join(x for x in (case.product, case.brand and f"品牌：{case.brand}") if x) or "—"
    purchase = "　".join(x for x in (
        case.purchase_date and f"购买日期：{case.purchase_date.isoformat()}",
        case.purchase_channel and codes.label(codes.PURCHASE_CHANNEL, case.purchase_channel),
        case.amount_paid and f"金额：¥{case.amount_paid:.2f}") if x) or "—"
    demands = "、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d) or "—"
    if case.amount_claimed:
        demands += f"（主张金额 ¥{case.amount_claimed:.2f}）"
    contact = "　".join(x for x in (settings.get("point.contact_name", "") and f"联系人：{settings['point.contact_name']}",
                                     settings.get("point.contact_phone", "") and f"电话：{settings['point.contact_phone']}",
                                     settings.get("point.address", "") and f"地址：{settings['point.address']}") if x)
    rows = [
        ("投诉编号", case.case_no),
        ("收到投诉日期", received),
        ("投诉人", mask_name(case.consumer.name) or "—"),
        ("商品或服务", goods),
        ("购买情况", purchase),
        ("投诉类别", "　".join(x for x in (codes.label(codes.CATEGORY, case.category),
                                           codes.label(codes.NATURE, case.nature)) if x) or "—"),
        ("投诉事实", case.facts or "—"),
        ("消费者诉求", demands),
        ("答复期限", f"{due}前（告知之日起{working_days}个工作日内）"),
        ("联络点联系方式", contact or point),
    ]
    story = [
        layout.para(point, "issuer"), layout.para(TITLE, "title"),
        layout.para(f"编号：{case.case_no}", "caseno"),
        layout.para(f"{merchant}：", "body_left"),
        layout.para(f"本联络点于{received}收到消费者对贵单位的投诉，现将投诉内容告知如下。请贵单位本着诚信原则，"
                    f"于{due}前与消费者协商处理，并将处理意见书面答复本联络点（可填写下方回执，或电话、当面答复）。", "body"),
        layout.para("按期答复的情况将记入经营者诚信档案，并在本联络点的投诉信息公示中公布各经营者的答复率。"
                    "逾期未答复的，本联络点将视情况组织调解或移送市场监督管理部门处理。", "body"),
        Spacer(1, 2 * mm),
        *layout.form_rows(rows),
        Spacer(1, 3 * mm),
        KeepTogether([layout.IssuerBlock(point, req.asked_on, size=26 * mm)]),
        # The reply slip is its own sheet: the merchant fills it in and sends it back.
        PageBreak(), layout.para(point, "issuer"), layout.para("消费投诉告知函回执", "title"),
        layout.para(f"编号：{case.case_no}", "caseno"),
        layout.para(f"{merchant}：请于{due}前填写本回执交回{point}，或以电话、当面方式答复。", "body_left"),
        Spacer(1, 3 * mm), _reply_slip(width, case.case_no, req.reply_due),
    ]
    out = io.BytesIO()
    layout.build(story, title=f"{TITLE} {case.case_no}", point_name=point, case_no=case.case_no, printed=printed,
                 out=out, register_no=register_no)
    return out.getvalue()

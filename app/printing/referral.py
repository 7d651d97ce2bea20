"""转办单: the referral summary sent to the district council or 市场监管 — per case, and a batch per target."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from app.core import codes, money
from app.core.clock import LOCAL_TZ
from app.core.privacy import mask_address, mask_id_number, mask_name, mask_phone
from app.printing import fonts, layout
from app.printing.typeset import width as text_width
from app.storage.models import Case

TARGETS = ("council", "samr")
TARGET_SHORT = {"council": "消保委", "samr": "市场监管"}


def referral_reason(case: Case) -> str:
    """Why the case was referred, without the “移送……：” the event note starts with."""
    for e in reversed(case.events):
        if e.to_state == "referred" and e.action == "move":
            note = e.note or ""
            head, sep, rest = note.partition("：")
            return rest if sep and head.startswith("移送") else note
    return ""


def referral_day(case: Case) -> dt.date | None:
    """The day the case was referred (its last move, or imported state, to 移送), None if never."""
    for e in reversed(case.events):
        if e.to_state == "referred" and e.action in ("move", "import"):
            return e.at.astimezone(LOCAL_TZ).date()
    return None


def target_name(case: Case, settings: dict) -> str:
    if case.referred_to == "samr":
        return codes.REFERRAL_TARGET["samr"]
    return settings.get("point.council") or codes.REFERRAL_TARGET["council"]


def _consumer(case: Case) -> str:
    c = case.consumer
    if c.consent_to_share:  # the consumer agreed at intake that the council may have their details
        parts = [c.name, f"电话 {c.phone}", c.id_number and f"身份证号 {c.id_number}", c.address and f"地址 {c.address}"]
        return "　".join(p for p in parts if p) + "（消费者同意提供个人信息）"
    parts = [mask_name(c.name), f"电话 {mask_phone(c.phone)}", c.id_number and mask_id_number(c.id_number),
             c.address and mask_address(c.address)]
    return "　".join(p for p in parts if p) + "（未同意提供，已遮盖）"


@dataclass(frozen=True)
class Evidence:
    """What a referral says of the case's attachments: the list (label, type, size, SHA-256; no file
    names, which may carry personal data) and, when asked for, the images printed as pages."""

    listed: tuple[dict, ...] = ()  # app.attachments.attachment_json plus label_text and type_text
    images: tuple[tuple[int, str, bytes], ...] = ()  # (number in the list, label, JPEG)


def attachment_text(listed: tuple[dict, ...]) -> str:
    """The 附件 cell: each attachment numbered, with its SHA-256 on the line below (to check the copy)."""
    if not listed:
        return "投诉登记表、购物凭证及聊天记录复印件（以实际移交为准）"
    return "\n".join(f"{i}．{a['label_text']}（{a['type_text']}，{_size(a['bytes'])}）\n{_grouped(a['sha256'])}"
                     for i, a in enumerate(listed, 1))


def _grouped(digest: str) -> str:
    """SHA-256 in groups of 8, four to a line: read and compared group by group, never cut mid-group."""
    groups = [digest[i:i + 8] for i in range(0, len(digest), 8)]
    return "SHA-256：" + " ".join(groups[:4]) + "\n　　　　　" + " ".join(groups[4:])


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def image_pages(images: tuple[tuple[int, str, bytes], ...], case_no: str) -> list:
    """Each attached image on a page of its own, scaled to the text area, captioned with its number."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    story: list = []
    width, height = layout.content_width(), 210 * mm
    for number, label, data in images:
        w, h = ImageReader(io.BytesIO(data)).getSize()
        scale = min(width / w, height / h)
        story += [PageBreak(), layout.para(f"附件 {number}：{label}（案件 {case_no}）", "heading"), Spacer(1, 2 * mm),
                  Image(io.BytesIO(data), width=w * scale, height=h * scale)]
    return story


def case_rows(case: Case, sessions: list, evidence: Evidence | None = None) -> list[tuple[str, str]]:
    m = case.merchant
    received = case.received_at.astimezone(LOCAL_TZ)
    log = "\n".join(
        f"{layout.chinese_date(s.at.astimezone(LOCAL_TZ).date())} {codes.label(codes.MEDIATION_MODE, s.mode)}"
        f"（{'、'.join(codes.label(codes.PARTICIPANT, p) for p in s.participants.split(',') if p)}）："
        + "；".join(x for x in (s.offer and f"方案：{s.offer}", s.answer and f"答复：{s.answer}", s.note) if x)
        for s in sessions) or "未组织调解"
    referred = referral_day(case)
    return [
        ("案件编号", case.case_no),
        ("登记日期", f"{layout.chinese_date(received.date())}（{codes.label(codes.CHANNEL, case.channel)}）"
                     + (f"　受理日期 {layout.chinese_date(case.accepted_on)}" if case.accepted_on else "")),
        ("消费者", _consumer(case)),
        ("被投诉经营者", (m.name if m else "—") + (f"　统一社会信用代码 {m.uscc}" if m and m.uscc else "")
         + (f"　铺位 {m.shop_no}" if m and m.shop_no else "") + (f"　电话 {m.phone}" if m and m.phone else "")),
        ("类别与性质", f"{codes.label(codes.CATEGORY, case.category)}　{codes.label(codes.NATURE, case.nature)}"),
        ("商品或服务", "　".join(x for x in (case.product, case.brand,
                                         case.amount_paid and f"金额 {money.yuan(case.amount_paid)}") if x)),
        ("投诉事实", case.facts),
        ("消费者诉求", "、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d) or "—"),
        ("调解经过", log),
        ("移送日期", layout.chinese_date(referred) if referred else "（尚未移送）"),
        ("移送理由", referral_reason(case) or "（尚未移送：本单为移送前草稿）"),
        ("附件", attachment_text(evidence.listed if evidence else ())),
    ]


def _case_pages(case: Case, sessions: list, settings: dict, point: str, printed: dt.date, staff: str,
                evidence: Evidence | None = None) -> list:
    rows = case_rows(case, sessions, evidence)
    sign = KeepTogether([
        *layout.form_rows(rows[-2:], label_width=30 * mm),
        Spacer(1, 4 * mm),
        layout.para(f"经办人：{staff or case.owner}　　联系人：{settings.get('point.contact_name', '')}　　"
                    f"电话：{settings.get('point.contact_phone', '')}", "note"),
        Spacer(1, 2 * mm),
        layout.IssuerBlock(point, referral_day(case) or printed)])
    return [layout.CaseMark(case.case_no), layout.para(point, "issuer"), layout.para("消费投诉转办单", "title"),
            layout.para(f"致：{target_name(case, settings)}", "body_left"), Spacer(1, 2 * mm),
            *layout.form_rows(rows[:-2], label_width=30 * mm), sign,
            *image_pages(evidence.images if evidence else (), case.case_no)]


def render_one(case: Case, sessions: list, settings: dict, printed: dt.date, staff: str = "",
               register_no: str = "", evidence: Evidence | None = None) -> bytes:
    point = settings.get("point.name") or "消费维权联络点"
    out = io.BytesIO()
    layout.build(_case_pages(case, sessions, settings, point, printed, staff, evidence),
                 title=f"消费投诉转办单 {case.case_no}",
                 point_name=point, case_no=case.case_no, printed=printed, out=out, register_no=register_no)
    return out.getvalue()


def _summary_table(items: list[tuple[Case, list]], settings: dict, width: float) -> Table:
    st = layout.styles()
    header = ["序号", "案件编号", "登记日期", "被投诉经营者", "类别", "移送对象", "移送日期", "移送理由"]
    numbers = [c.case_no for c, _s in items]
    # the case number's column is as wide as the longest number: it never breaks
    no_w = max(text_width(n, fonts.BODY, st["table"].fontSize) for n in numbers) + 10
    widths = [12 * mm, max(no_w, 24 * mm), 22 * mm, 0, 31 * mm, 34 * mm, 22 * mm, 48 * mm]
    widths[3] = width - sum(widths)
    data = [[layout.para(h, "table_label") for h in header]]
    for i, (c, _s) in enumerate(items, 1):
        day = referral_day(c)
        cells = [str(i), c.case_no, c.received_day.isoformat(), c.merchant.name if c.merchant else "—",
                 codes.label(codes.CATEGORY, c.category), target_name(c, settings),
                 day.isoformat() if day else "—", referral_reason(c) or "—"]
        data.append([layout.para(x, "table") for x in cells])
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                           ("GRID", (0, 0), (-1, -1), layout.RULE, colors.black),
                           ("BACKGROUND", (0, 0), (-1, 0), layout.LABEL_BACK),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                           ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5)]))
    return t


def render_batch(items: list[tuple[Case, list]], settings: dict, printed: dt.date,
                 period: tuple[dt.date, dt.date] | None, hot: dict | None = None, staff: str = "",
                 evidence: dict[str, Evidence] | None = None) -> bytes:
    """A period's referrals to ONE target (landscape summary table, then each case's 转办单), or a hot-issue
    draft to 市场监管 with the cases behind it."""
    point = settings.get("point.name") or "消费维权联络点"
    story: list = []
    landscape_first = period is not None
    if period is not None:
        targets = {target_name(c, settings) for c, _s in items}
        to = "、".join(sorted(targets))
        width = landscape(A4)[0] - layout.MARGINS["leftMargin"] - layout.MARGINS["rightMargin"]
        last = max((day for c, _s in items if (day := referral_day(c))), default=printed)
        story += [layout.para(point, "issuer"), layout.para("消费投诉转办汇总表", "title"),
                  layout.para(f"报送：{to}　　移送期间：{layout.chinese_date(period[0])}至{layout.chinese_date(period[1])}"
                              f"　　共{len(items)}件", "body_left"), Spacer(1, 3 * mm),
                  _summary_table(items, settings, width),
                  KeepTogether([Spacer(1, 4 * mm),
                                layout.para(f"经办人：{staff}", "body_left") if staff
                                else layout.SignatureBlock(["经办人（签字）："], dated=False),
                                layout.IssuerBlock(point, last)]),
                  NextPageTemplate("portrait"), PageBreak()]
    if hot is not None:  # a hot issue drafted as a report to 市场监管 (seed 002, duty 4)
        story += [layout.para(point, "issuer"), layout.para("消费者反映集中问题情况反映（草稿）", "title"),
                  layout.para(f"致：{codes.REFERRAL_TARGET['samr']}", "body_left"),
                  layout.para(f"近30日内，本联络点收到涉及{hot['label']}“{hot['value']}”的投诉{hot['count']}件"
                              f"（{'、'.join(hot['case_nos'])}），现将有关情况反映如下，请予关注并依法查处。", "body"),
                  PageBreak()]
    for i, (case, sessions) in enumerate(items):
        if i:
            story.append(PageBreak())
        story += _case_pages(case, sessions, settings, point, printed, staff, (evidence or {}).get(case.case_no))
    out = io.BytesIO()
    layout.build(story, title="消费投诉转办汇总" if period else "消费投诉转办单", point_name=point,
                 case_no=items[0][0].case_no if len(items) == 1 and period is None else "", printed=printed, out=out,
                 landscape_first=landscape_first)
    return out.getvalue()

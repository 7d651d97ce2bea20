"""转办单: the referral summary sent to the district council or 市场监管 — per case, and a batch."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from app import codes
from app.intake import LOCAL_TZ
from app.models import Case
from app.printing import evidence as evidence_blocks
from app.printing import layout
from app.privacy import mask_address, mask_id_number, mask_name, mask_phone


def referral_reason(case: Case) -> str:
    for e in reversed(case.events):
        if e.to_state == "referred" and e.action == "move":
            return e.note
    return ""


def _consumer(case: Case) -> str:
    c = case.consumer
    if c.consent_to_share:  # the consumer agreed at intake that the council may have their details
        parts = [c.name, f"电话 {c.phone}", c.id_number and f"身份证号 {c.id_number}", c.address and f"地址 {c.address}"]
        return "　".join(p for p in parts if p) + "（消费者同意提供个人信息）"
    parts = [mask_name(c.name), f"电话 {mask_phone(c.phone)}", c.id_number and mask_id_number(c.id_number),
             c.address and mask_address(c.address)]
    return "　".join(p for p in parts if p) + "（未同意提供，已遮盖）"


def case_story(case: Case, sessions: list, settings: dict, width: float, attachments: list[dict] | None = None) -> list:
    m = case.merchant
    received = case.received_at.astimezone(LOCAL_TZ)
    log = "\n".join(
        f"{s.at.astimezone(LOCAL_TZ):%Y-%m-%d} {codes.label(codes.MEDIATION_MODE, s.mode)}"
        f"（{'、'.join(codes.label(codes.PARTICIPANT, p) for p in s.participants.split(',') if p)}）："
        + "；".join(x for x in (s.offer and f"方案：{s.offer}", s.answer and f"答复：{s.answer}", s.note) if x)
        for s in sessions) or "未组织调解"
    rows = [
        ("案件编号", case.case_no),
        ("登记日期", f"{layout.chinese_date(received.date())}　（{codes.label(codes.CHANNEL, case.channel)}）"
                     + (f"　受理日期 {layout.chinese_date(case.accepted_on)}" if case.accepted_on else "")),
        ("消费者", _consumer(case)),
        ("被投诉经营者", (m.name if m else "—") + (f"　统一社会信用代码 {m.uscc}" if m and m.uscc else "")
         + (f"　铺位 {m.shop_no}" if m and m.shop_no else "") + (f"　电话 {m.phone}" if m and m.phone else "")),
        ("类别与性质", f"{codes.label(codes.CATEGORY, case.category)}　{codes.label(codes.NATURE, case.nature)}"),
        ("商品或服务", "　".join(x for x in (case.product, case.brand, case.amount_paid and f"金额 ¥{case.amount_paid:.2f}")
                               if x)),
        ("投诉事实", case.facts),
        ("消费者诉求", "、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d) or "—"),
        ("调解经过", log),
        ("移送理由", referral_reason(case) or "（尚未移送：本单为移送前草稿）"),
        ("附件", evidence_blocks.attachment_rows(attachments) if attachments
         else "投诉登记表、购物凭证及聊天记录复印件（以实际移交为准）"),
    ]
    return [layout.form_table(rows, width, label_width=30 * mm)]


def render_one(case: Case, sessions: list, settings: dict, printed: dt.date, attachments: list[dict] | None = None,
               images: list[tuple[str, bytes]] | None = None) -> bytes:
    return render_batch([(case, sessions)], settings, printed, None, evidence={case.case_no: attachments or []},
                        images={case.case_no: images or []})


def render_batch(items: list[tuple[Case, list]], settings: dict, printed: dt.date,
                 period: tuple[dt.date, dt.date] | None, hot: dict | None = None,
                 evidence: dict[str, list[dict]] | None = None,
                 images: dict[str, list[tuple[str, bytes]]] | None = None) -> bytes:
    """`evidence`: attachments listed per case number; `images`: (name, bytes) printed as pages after it."""
    point = settings.get("point.name") or "消费维权联络点"
    council = settings.get("point.council") or "区消费者权益保护委员会"
    width = layout.content_width()
    story = []
    if period is not None:
        story += [layout.para(point, "issuer"), layout.para("消费投诉转办汇总表", "title"),
                  layout.para(f"报送：{council}　　期间：{layout.chinese_date(period[0])}至{layout.chinese_date(period[1])}"
                              f"　　共 {len(items)} 件", "note"), Spacer(1, 3 * mm)]
        rows = [("案件编号", "登记日期　被投诉经营者　类别　移送理由")]
        rows += [(c.case_no, f"{c.received_day.isoformat()}　{c.merchant.name if c.merchant else '—'}　"
                             f"{codes.label(codes.CATEGORY, c.category)}　{referral_reason(c)}") for c, _s in items]
        story += [layout.form_table(rows, width, label_width=38 * mm), PageBreak()]
    if hot is not None:  # a hot issue drafted as a report to 市场监管 (seed 002, duty 4)
        story += [layout.para(point, "issuer"), layout.para("消费者反映集中问题情况反映（草稿）", "title"),
                  layout.para(f"致：{codes.REFERRAL_TARGET['samr']}", "body_left"),
                  layout.para(f"近30日内，本联络点收到涉及{hot['label']}“{hot['value']}”的投诉{hot['count']}件"
                              f"（{'、'.join(hot['case_nos'])}），现将有关情况反映如下，请予关注并依法查处。", "body"),
                  PageBreak()]
    for i, (case, sessions) in enumerate(items):
        if i:
            story.append(PageBreak())
        to = codes.REFERRAL_TARGET["samr"] if case.referred_to == "samr" else council
        story += [layout.para(point, "issuer"), layout.para("消费投诉转办单", "title"),
                  layout.para(f"致：{to}", "body_left"), Spacer(1, 2 * mm)]
        story += case_story(case, sessions, settings, width, (evidence or {}).get(case.case_no))
        story.append(KeepTogether([
            Spacer(1, 4 * mm),
            layout.para(f"经办人：{case.owner}　　联系人：{settings.get('point.contact_name', '')}　　"
                        f"电话：{settings.get('point.contact_phone', '')}", "note"),
            layout.IssuerBlock(point, printed)]))
        for name, data in (images or {}).get(case.case_no, []):
            story += [PageBreak(), *image_page(name, data, width)]
    out = io.BytesIO()
    layout.build(story, title="消费投诉转办单", point_name=point,
                 case_no=items[0][0].case_no if len(items) == 1 else "", printed=printed, out=out)
    return out.getvalue()


def image_page(name: str, data: bytes, width: float) -> list:
    """One attached image on its own page, scaled to the text area, captioned with its name."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(data))
    w, h = reader.getSize()
    height = 200 * mm
    scale = min(width / w, height / h)
    return [layout.para(f"附件：{name}", "note"), Spacer(1, 2 * mm),
            Image(io.BytesIO(data), width=w * scale, height=h * scale)]

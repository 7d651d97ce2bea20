"""投诉登记回执: the receipt a consumer takes home (personal data masked)."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.calendar.deadlines import WorkCalendar, rule_set_by_code
from app.cases.records import answer_of
from app.core import clock, codes, money
from app.core.clock import LOCAL_TZ
from app.core.privacy import mask_name, mask_phone
from app.printing import layout
from app.storage.models import Case

TITLES = {"complaint": "投诉登记回执", "consultation": "咨询登记回执", "report": "举报登记回执"}


@dataclass(frozen=True)
class ReceiptData:
    kind: str
    case_no: str
    received_at: dt.datetime
    channel: str
    consumer: str
    phone: str
    priority_group: str
    merchant: str
    product: str
    purchase: str
    category: str
    facts: str
    demands: str
    acceptance_due: dt.date | None
    acceptance_rule: str
    mediation_rule: str
    owner: str
    fast_track: bool
    settings: dict
    printed: dt.date
    answer: str = ""  # a consultation's answer, once given
    check_code: str = ""  # 查询码 (app/cases/check_codes.py): with the case number, a caller's proof on the phone
    register_no: str = ""  # 文书编号 in the print register, with 补打 on a reprint
    materials: tuple[tuple[str, int], ...] = ()  # 材料清单: (label, count) of the attachments received

    @classmethod
    def from_case(cls, case: Case, settings: dict, cal: WorkCalendar, printed: dt.date | None = None,
                  check_code: str = "", register_no: str = "", materials: tuple[tuple[str, int], ...] = ()):
        rs = rule_set_by_code(case.rule_set)
        merchant = ""
        if case.merchant:
            merchant = case.merchant.name + (f"（铺位 {case.merchant.shop_no}）" if case.merchant.shop_no else "")
        purchase = []
        if case.purchase_date:
            purchase.append(f"购买日期 {layout.chinese_date(case.purchase_date)}")
        if case.purchase_channel:
            purchase.append(codes.label(codes.PURCHASE_CHANNEL, case.purchase_channel))
        if case.amount_paid:
            purchase.append(f"金额 {money.yuan(case.amount_paid)}")
        product = "　".join(p for p in (case.product, case.brand and f"品牌：{case.brand}") if p)
        mediation_unit = "个工作日" if rs.mediation.unit == "working" else "日"
        category = "　".join(x for x in (codes.label(codes.CATEGORY, case.category),
                                        codes.label(codes.NATURE, case.nature)) if x)
        return cls(
            kind=case.kind, case_no=case.case_no, received_at=case.received_at, channel=case.channel,
            consumer=mask_name(case.consumer.name), phone=mask_phone(case.consumer.phone),
            priority_group=case.consumer.group if case.priority else "",
            merchant=merchant, product=product, purchase="　".join(purchase), category=category,
            facts=case.facts, demands="、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d),
            acceptance_due=case.acceptance_due, acceptance_rule=f"{rs.acceptance.days}个工作日",
            mediation_rule=f"{rs.mediation.days}{mediation_unit}", owner=case.owner, fast_track=case.fast_track,
            settings=settings, printed=printed or clock.today(), answer=answer_of(case),
            check_code=check_code, register_no=register_no, materials=materials,
        )


def materials_text(materials: tuple[tuple[str, int], ...]) -> str:
    """材料清单: each kind of material received with its count, e.g. 发票 1 份　商品照片 3 份."""
    return "　".join(f"{label} {count} 份" for label, count in materials)


FACTS_SHOWN = 300  # the consumer's copy shows the start of the facts; the registration form has them all


def facts_excerpt(facts: str, limit: int = FACTS_SHOWN) -> str:
    """The first ~300 characters, cut after a sentence (or at least between atoms), then “（全文见登记表）”."""
    from app.printing.typeset import atoms

    if len(facts) <= limit + 20:
        return facts
    cut, length = [], 0
    for a in atoms(facts):
        if length + len(a) > limit:
            break
        cut.append(a)
        length += len(a)
    head = "".join(cut)
    end = max(head.rfind(p) for p in "。！？；")
    if end >= limit * 2 // 3:
        head = head[:end + 1]
    else:
        head = head.rstrip("，、：（《“‘ ") + "……"
    return head + "（全文见登记表）"


def _next_steps(d: ReceiptData) -> list[str]:
    if d.kind == "consultation":
        first = "您的咨询已登记并答复（答复内容见上）。" if d.answer else "您的咨询已登记，本联络点将尽快答复。"
        return [first + "如需进一步投诉，请携带购物凭证、聊天记录等材料到本联络点登记投诉。"]
    if d.kind == "report":
        return ["您反映的情况已登记，本联络点将按规定移送市场监督管理部门或消费者权益保护委员会处理。"]
    steps = []
    if d.acceptance_due:
        steps.append(f"本联络点将于{layout.chinese_date(d.acceptance_due)}前（收到投诉之日起{d.acceptance_rule}内）"
                     f"作出是否受理的决定，并告知您。")
    steps.append(f"受理后，本联络点组织您与经营者调解；自受理之日起{d.mediation_rule}内未达成调解协议的，终止调解，"
                 "并告知您其他解决途径（12315、仲裁、向人民法院起诉）。")
    if d.fast_track:
        steps.append("本案诉求金额较小，适用小额纠纷快速处理，力争当日办结。")
    if d.priority_group:
        steps.append(f"您属于{codes.label(codes.CONSUMER_GROUP, d.priority_group)}，本案进入绿色通道优先办理。")
    steps.append("请妥善保管购物凭证、发票、聊天记录等证据材料，调解时请携带本回执。")
    return steps


def render(d: ReceiptData) -> bytes:
    """The receipt on one sheet: the facts excerpt shortens (300, then fewer characters) until it fits."""
    for limit in (FACTS_SHOWN, 240, 180, 120):
        pdf, pages = _render(d, limit)
        if pages == 1:
            break
    return pdf


def _render(d: ReceiptData, facts_limit: int) -> tuple[bytes, int]:
    s = d.settings
    point = s.get("point.name") or "消费维权联络点"
    received = d.received_at.astimezone(LOCAL_TZ)
    rows = [
        ("登记时间", f"{layout.chinese_date(received.date())} {received:%H:%M}　（{codes.label(codes.CHANNEL, d.channel)}）"),
        ("消费者", f"{d.consumer}　　联系电话：{d.phone}" if d.phone else d.consumer),
    ]
    if d.kind != "consultation" or d.merchant:
        rows.append(("被投诉经营者" if d.kind == "complaint" else "经营者", d.merchant or "—"))
    if d.product or d.purchase:
        rows.append(("商品或服务", "　".join(x for x in (d.product, d.purchase) if x)))
    if d.category:
        rows.append(("类别与性质", d.category))
    rows.append(("咨询问题" if d.kind == "consultation" else "投诉事实" if d.kind == "complaint" else "举报事实",
                 facts_excerpt(d.facts, facts_limit)))
    if d.demands:
        rows.append(("诉求", d.demands))
    if d.answer:
        rows.append(("答复内容", d.answer))
    if d.materials:
        rows.append(("材料清单", materials_text(d.materials)))
    rows.append(("首问责任人", d.owner))

    story = [
        layout.para(point, "issuer"),
        layout.para(TITLES.get(d.kind, "登记回执"), "title"),
        layout.para(f"编号：{d.case_no}" + (f"　查询码：{d.check_code[:3]} {d.check_code[3:]}" if d.check_code else ""),
                    "caseno"),
        Spacer(1, 2 * mm),
        *layout.form_rows(rows),
        Spacer(1, 4 * mm),
        layout.para("后续办理", "heading"),
    ]
    for i, step in enumerate(_next_steps(d), 1):
        story.append(layout.para(f"{i}．{step}", "body"))
    notes = ["　".join([f"联系人：{s.get('point.contact_name') or '—'}", f"电话：{s.get('point.contact_phone') or '—'}"])]
    if s.get("point.address"):
        notes.append(f"地址：{s['point.address']}")
    if s.get("point.council"):
        notes.append(f"协助单位：{s['point.council']}")
    notes.append("本回执所载个人信息已作遮盖处理。")
    # the receipt is dated the day the complaint was registered, whenever it is (re)printed
    story += [Spacer(1, 3 * mm), layout.IssuerBlock(point, received.date(), notes=notes)]
    out = io.BytesIO()
    pages, _fill = layout.build(story, title=f"{TITLES.get(d.kind, '登记回执')} {d.case_no}", point_name=point,
                                case_no=d.case_no, printed=d.printed, out=out, register_no=d.register_no,
                                corner=_qr_corner(d) if d.check_code else None)
    return out.getvalue(), pages


def qr_text(case_no: str, check_code: str) -> str:
    """What the receipt's QR code holds: readable as it is by a phone's camera."""
    return f"案件编号 {case_no} 查询码 {check_code}"


def _qr_corner(d: ReceiptData):
    """The QR code (case number and check code) with a two-line caption, for the page's top left corner:
    beside the heading, so it takes no room from the facts. A caller gives these two, never a name or phone."""
    from reportlab.graphics.shapes import Drawing, Group, String

    qr = layout.qr_drawing(qr_text(d.case_no, d.check_code), size_mm=20)
    caption = 6 * mm
    corner = Drawing(qr.width, qr.height + caption)
    corner.add(Group(*qr.contents, transform=(1, 0, 0, 1, 0, caption)))
    for i, line in enumerate(("来电查询请报案件", "编号和查询码即可")):
        corner.add(String(qr.width / 2, caption - (i + 1) * 2.8 * mm, line, fontName=layout.fonts.SANS,
                          fontSize=6.5, textAnchor="middle"))
    return corner

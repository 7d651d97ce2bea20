"""投诉登记表 (咨询登记表, 举报登记表): the desk's own record of a case as registered, in full, signed by the
consumer and the clerk. The receipt the consumer takes home shows the start of the facts; this form has them all.

The desk keeps it, so personal data is printed in full; a `masked` copy (one that leaves the desk) masks the
consumer's name, phone, ID number and address as the 转办单 does without consent, and lists the evidence
without its file names (which may carry personal data).
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.cases.records import answer_of
from app.core import codes, money
from app.core.clock import LOCAL_TZ
from app.core.privacy import mask_address, mask_id_number, mask_name, mask_phone
from app.core.validation import phone_shown
from app.printing import layout
from app.storage.models import Case

TITLES = {"complaint": "投诉登记表", "consultation": "咨询登记表", "report": "举报登记表"}
LABEL_W = 30 * mm  # the form's label column (the second label of a pair row too)


def title(kind: str) -> str:
    return TITLES.get(kind, "登记表")


@dataclass(frozen=True)
class Material:
    """One attachment as the form lists it: its label (发票, 商品照片…), file type and original name."""

    label: str
    type_text: str
    name: str


def _consumer_rows(case: Case, masked: bool) -> list:
    c = case.consumer
    if c.purged_on:  # removed after the retention period: nothing left to print
        gone = f"（个人信息已于{layout.chinese_date(c.purged_on)}按保存期限删除）"
        return [layout.FormRow("消费者", gone, LABEL_W)]
    name, phone, id_number, address = c.name, c.phone, c.id_number, c.address
    if masked:
        name, phone = mask_name(name), mask_phone(phone)
        id_number, address = mask_id_number(id_number), mask_address(address)
    group = codes.label(codes.CONSUMER_GROUP, c.group) if c.group and c.group != "none" else "无"
    if case.priority and c.group != "none":
        group += "（绿色通道）"
    return [layout.PairRow(("姓名", name), ("联系电话", phone_shown(phone)), LABEL_W),
            layout.PairRow(("身份证号", id_number), ("特殊群体", group), LABEL_W),
            layout.FormRow("住址", address or "—", LABEL_W)]


def _merchant_rows(case: Case) -> list:
    m = case.merchant
    if m is None:
        return [layout.FormRow("名称", "—", LABEL_W)]
    return [layout.FormRow("名称", m.name, LABEL_W),
            layout.PairRow(("统一社会信用代码", m.uscc or ""), ("铺位号", m.shop_no), LABEL_W),
            layout.PairRow(("联系电话", phone_shown(m.phone)), ("地址", m.address), LABEL_W)]


def _purchase_rows(case: Case) -> list:
    category = "　".join(x for x in (codes.label(codes.CATEGORY, case.category),
                                    codes.label(codes.NATURE, case.nature)) if x)
    return [layout.PairRow(("商品或服务", case.product), ("品牌", case.brand), LABEL_W),
            layout.PairRow(("购买日期", layout.chinese_date(case.purchase_date) if case.purchase_date else ""),
                           ("购买渠道", codes.label(codes.PURCHASE_CHANNEL, case.purchase_channel)
                            if case.purchase_channel else ""), LABEL_W),
            layout.PairRow(("实付金额", money.yuan(case.amount_paid) if case.amount_paid else ""),
                           ("类别与性质", category), LABEL_W)]


def materials_text(materials: tuple[Material, ...], masked: bool) -> str:
    """Each attachment numbered: label, type and (in the desk's own copy) its file name."""
    if not materials:
        return "未提交（如有纸质材料，请另附并注明份数）"
    return "\n".join(f"{i}．{m.label}（{m.type_text}）" + ("" if masked else f"　{m.name}")
                     for i, m in enumerate(materials, 1))


def _consent(case: Case, council: str) -> str:
    whom = council or "消费者权益保护委员会"
    if case.consumer.consent_to_share:
        return f"本人同意将个人信息提供给{whom}，仅用于处理本{_matter(case.kind)}。"
    return f"本人未同意向{whom}提供个人信息（移送时遮盖）。"


def _matter(kind: str) -> str:
    return {"complaint": "投诉", "consultation": "咨询", "report": "举报"}.get(kind, "投诉")


def story(case: Case, settings: dict, staff: str, materials: tuple[Material, ...], masked: bool) -> list:
    point = settings.get("point.name") or "消费维权联络点"
    received = case.received_at.astimezone(LOCAL_TZ)
    matter = _matter(case.kind)
    parts: list = [
        layout.para(point, "issuer"),
        layout.para(title(case.kind), "title"),
        layout.para(f"编号：{case.case_no}", "caseno"),
        Spacer(1, 1 * mm),
        layout.PairRow(("登记时间", f"{layout.chinese_date(received.date())} {received:%H:%M}"),
                       ("登记方式", codes.label(codes.CHANNEL, case.channel)), LABEL_W),
    ]
    sections = [("消费者", _consumer_rows(case, masked))]
    if case.kind != "consultation" or case.merchant is not None:
        sections.append(("被投诉经营者" if case.kind == "complaint" else "经营者", _merchant_rows(case)))
    if case.kind != "consultation" or any((case.product, case.brand, case.purchase_date, case.purchase_channel,
                                           case.amount_paid)):
        sections.append(("商品或服务", _purchase_rows(case)))
    demands = "、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d)
    facts_label = {"consultation": "咨询问题", "report": "举报事实"}.get(case.kind, "投诉事实")
    content: list = [layout.FormRow(facts_label, case.facts or "—", LABEL_W)]
    if case.kind != "consultation" or demands or case.amount_claimed:
        content.append(layout.PairRow(("诉求", demands), ("要求金额", money.yuan(case.amount_claimed)
                                                            if case.amount_claimed else ""), LABEL_W))
    answer = answer_of(case) if case.kind == "consultation" else ""
    if answer:
        content.append(layout.FormRow("答复内容", answer, LABEL_W))
    sections += [(f"{matter}内容", content),
                 ("证据材料与登记人员", [layout.FormRow("证据材料", materials_text(materials, masked), LABEL_W),
                                      layout.PairRow(("首问责任人", case.owner), ("经办人", staff or case.owner),
                                                     LABEL_W)])]
    *before, (last_name, last_rows) = sections
    for i, (name, rows) in enumerate(before):
        parts += [*layout.form_band(f"{NUMERALS[i]}、{name}"), *rows]
    notes = [_consent(case, settings.get("point.council", "")), "以上登记内容经本人核对，与本人所述一致。"]
    if masked:
        notes.append("本表为外送副本，消费者个人信息已作遮盖处理。")
    # the last section, what the consumer confirms and the signatures: on one page, never a page of signatures alone
    parts.append(KeepTogether([
        layout.FormBand(f"{NUMERALS[len(before)]}、{last_name}"), *last_rows,
        Spacer(1, 4 * mm),
        *[layout.para(n, "cell") for n in notes],
        Spacer(1, 3 * mm),
        layout.SignatureBlock(["消费者签名：", "经办人签名："]),
    ]))
    return parts


NUMERALS = "一二三四五六七八九"


def render(case: Case, settings: dict, printed: dt.date, *, staff: str = "", materials: tuple[Material, ...] = (),
           masked: bool = False, register_no: str = "") -> bytes:
    """The form on A4 portrait: one page for a short case, the facts running on to a second page (or more)
    when long, their label repeated as “…（续）”; the consent and signatures are kept together."""
    point = settings.get("point.name") or "消费维权联络点"
    out = io.BytesIO()
    layout.build(story(case, settings, staff, materials, masked), title=f"{title(case.kind)} {case.case_no}",
                 point_name=point, case_no=case.case_no, printed=printed, out=out, register_no=register_no)
    return out.getvalue()

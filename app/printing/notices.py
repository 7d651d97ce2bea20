"""告知书 and 调解协议书: the notices a consumer takes home after a decision or an outcome."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.calendar.deadlines import Grounds, RuleSet, rule_set_by_code
from app.core import clock, codes, money
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.core.privacy import mask_name
from app.printing import layout
from app.storage.models import Case

KINDS = {"not-accepted": "不予受理告知书", "agreement": "调解协议书", "terminated": "终止调解告知书"}


def _article(key: str) -> str:
    from app.calendar.statutes import statute

    return statute(key).quote(full_name=True)


def _basis(rs: RuleSet) -> str:
    """A liaison point is no regulator: it handles complaints by analogy with (参照) the SAMR measures."""
    return f"本联络点为消费维权联络点，不是行政机关，参照{rs.name}（{rs.source}）处理消费投诉。"


def _decision(case: Case, rs: RuleSet, grounds: Grounds, note: str, decided: str, on: dt.date) -> str:
    """因……，本联络点参照《…》第十五条第（一）项的规定，于…决定不予受理。 — the case's own rule set and ground."""
    when = f"于{layout.chinese_date(on)}"
    ground = grounds.get(case.ground_code) if case.ground_code else None
    if ground is None:
        return f"因{note}，本联络点参照{rs.cite('', True)}，{when}决定{decided}。"
    extra = note[len(ground.text):].lstrip("；") if note.startswith(ground.text) else ""
    return (f"因{ground.text.removesuffix('的')}" + (f"（{extra}）" if extra else "")
            + f"，本联络点参照{rs.ground_cite(grounds, ground.code)}的规定，{when}决定{decided}。")


def _decided(case: Case, state: str) -> dt.date:
    """The decision's day; a FieldError (not an AttributeError deep in the layout) when the case has none."""
    day = layout.decision_day(case, state)
    if day is None:  # no move into the state and no outcome day (an imported case)
        raise FieldError("state", "该案件没有决定日期，不能打印该文书")
    return day


def _received(case: Case) -> str:
    return layout.chinese_date(case.received_at.astimezone(LOCAL_TZ).date())


def _last_note(case: Case, state: str) -> str:
    for e in reversed(case.events):
        if e.to_state == state and e.action == "move":
            return e.note
    return ""


def _routes(point_council: str) -> list[str]:
    return [
        "您可以通过以下途径继续维护自身权益：",
        "（一）拨打12315热线或登录全国12315平台向市场监督管理部门投诉；",
        f"（二）向{point_council or '当地消费者权益保护委员会'}反映，请求调解；",
        "（三）根据与经营者达成的仲裁协议申请仲裁；",
        "（四）向人民法院提起诉讼。",
    ]


def _notice_body(case: Case, kind: str, settings: dict, masked: bool) -> tuple[str, list, dt.date]:
    # the consumer's own copy greets them by full name; a copy that leaves the desk is masked
    consumer = (mask_name(case.consumer.name) if masked else case.consumer.name) or "消费者"
    merchant = case.merchant.name if case.merchant else "经营者"
    rs = rule_set_by_code(case.rule_set)
    story = []
    if kind == "not-accepted":
        if case.state not in ("not_accepted", "closed") or not _last_note(case, "not_accepted"):
            raise FieldError("state", "该案件没有不予受理的决定，不能打印不予受理告知书")
        title = "不予受理告知书"
        decided = _decided(case, "not_accepted")
        story.append(layout.para(f"{consumer}：", "letter_left"))
        story.append(layout.para(
            f"您于{_received(case)}反映的与{merchant}之间的消费争议（编号：{case.case_no}），经审查，"
            + _decision(case, rs, rs.not_accepted, _last_note(case, "not_accepted"), "不予受理", decided),
            "letter"))
        story.append(layout.para(_basis(rs), "letter"))
        for line in _routes(settings.get("point.council", "")):
            story.append(layout.para(line, "letter"))
        story.append(layout.para(_article("pql_47"), "letter"))
        return title, story, decided
    state: str = case.state
    if state == "closed":
        state = next((e.from_state for e in reversed(case.events) if e.to_state == "closed" and e.from_state
                      and e.from_state != "closed"), state)
    if state not in ("terminated", "failed"):
        raise FieldError("state", "该案件没有终止调解或调解不成的结果，不能打印该告知书")
    title = "终止调解告知书" if state == "terminated" else "调解不成告知书"
    decided = _decided(case, state)
    story.append(layout.para(f"{consumer}：", "letter_left"))
    reason = _last_note(case, state) or "双方未能达成调解协议"
    period = f"调解期限为自受理之日起{rs.mediation.words}，检定、检验、检测、鉴定所需时间不计入"
    accepted = f"于{layout.chinese_date(case.accepted_on)}" if case.accepted_on else ""
    story.append(layout.para(
        f"您于{_received(case)}反映的与{merchant}之间的消费争议（编号：{case.case_no}），"
        f"本联络点{accepted}受理并组织调解（{period}）。"
        + (_decision(case, rs, rs.termination, reason, "终止调解", decided)
           if state == "terminated" else f"经调解，{reason}，本联络点于{layout.chinese_date(decided)}终止调解。"),
        "letter"))
    story.append(layout.para(_basis(rs), "letter"))
    for line in _routes(settings.get("point.council", "")):
        story.append(layout.para(line, "letter"))
    story.append(layout.para(_article("cpl_39"), "letter"))
    return title, story, decided


def _agreement(case: Case, settings: dict, staff: str) -> tuple[str, list, dt.date]:
    if case.state not in ("resolved", "closed") or not case.outcome_terms:
        raise FieldError("state", "该案件没有达成调解协议，不能打印调解协议书")
    decided = _decided(case, "resolved")
    c, m = case.consumer, case.merchant
    rows = [
        ("消费者（甲方）", f"{c.name}　　电话：{c.phone}" + (f"　　身份证号：{c.id_number}" if c.id_number else "")),
        ("经营者（乙方）", (m.name if m else "") + (f"　　统一社会信用代码：{m.uscc}" if m and m.uscc else "")
         + (f"　　铺位：{m.shop_no}" if m and m.shop_no else "")),
        ("调解组织", settings.get("point.name", "") + (f"　　调解员：{staff}" if staff else "")),
        ("争议事实", case.facts),
        ("消费者诉求", "、".join(codes.label(codes.DEMAND, d) for d in case.demands.split(",") if d)),
    ]
    amount = (f"{money.yuan(case.amount_recovered)}（人民币{money.capital(case.amount_recovered)}）"
              if case.amount_recovered else "—")
    terms = [
        ("协议内容", case.outcome_terms),
        ("处理方式", "、".join(codes.label(codes.REMEDY, r) for r in case.remedy.split(",") if r) or "—"),
        ("涉及金额", amount),
    ]
    # the terms, the closing clauses, the signatures and the seal stay on one page
    story = [layout.para(f"编号：{case.case_no}", "caseno"), *layout.form_rows(rows), KeepTogether([
        *layout.form_rows(terms),
        Spacer(1, 3 * mm),
        layout.para("双方在本联络点主持下，本着自愿、平等的原则，就上述消费争议达成如上协议，"
                    "双方应当自觉履行。本协议自双方签字（盖章）之日起生效。", "body"),
        layout.para("如一方不履行本协议，另一方可以依照《中华人民共和国消费者权益保护法》第三十九条的规定，"
                    "通过向有关行政部门投诉、申请仲裁或者向人民法院提起诉讼等途径解决。", "body"),
        layout.para("本协议一式三份，消费者、经营者、联络点各执一份。", "body"),
        Spacer(1, 5 * mm),
        layout.SignatureBlock(["消费者（签字）：", "经营者（签字、盖章）：", "调解员（签字）："]),
        Spacer(1, 2 * mm),
        layout.IssuerBlock(settings.get("point.name") or "消费维权联络点", decided),
    ])]
    return "调解协议书", story, decided


def render(case: Case, kind: str, settings: dict, printed: dt.date | None = None, masked: bool = False,
           staff: str = "", register_no: str = "") -> bytes:
    """The notice `kind` (not-accepted | agreement | terminated) for a case, as PDF bytes, dated by the
    decision; `masked` for a copy that leaves the desk; `staff` the mediator the desk names."""
    if kind not in KINDS:
        raise FieldError("kind", f"文书种类须为：{'、'.join(KINDS)}")
    printed = printed or clock.today()
    point = settings.get("point.name") or "消费维权联络点"
    if kind == "agreement":
        title, body, decided = _agreement(case, settings, staff)
    else:
        title, body, decided = _notice_body(case, kind, settings, masked)
    story = [layout.para(point, "issuer"), layout.para(title, "title")]
    if kind != "agreement":
        story.append(layout.para(f"编号：{case.case_no}", "caseno"))
    contact = "　".join(x for x in (f"联系人：{settings.get('point.contact_name', '')}",
                                     f"电话：{settings.get('point.contact_phone', '')}") if x.split("：")[1])
    if kind == "agreement":
        story += body
    else:  # the last paragraph, the contact line and the issuer's block stay together
        story += body[:-1]
        story.append(KeepTogether([body[-1], *([Spacer(1, 2 * mm), layout.para(contact, "note")] if contact else []),
                                   Spacer(1, 4 * mm), layout.IssuerBlock(point, decided)]))
    # a letter fits one sheet where it can: 14.5 pt first, then 14 pt set a little closer (never below 14)
    for size, leading in ((14.5, 25), (14, 23), (14, 21.5)):
        _letter_size(story, size, leading)
        out = io.BytesIO()
        pages, _fill = layout.build(story, title=f"{title} {case.case_no}", point_name=point, case_no=case.case_no,
                                    printed=printed, out=out, register_no=register_no)
        if pages == 1 or kind == "agreement":
            break
    return out.getvalue()


def _letter_size(flowables: list, size: float, leading: float) -> None:
    """Set the letter paragraphs (also inside KeepTogether) in `size` on `leading`."""
    from reportlab.lib.styles import ParagraphStyle

    from app.printing.typeset import TextBlock

    for f in flowables:
        if isinstance(f, KeepTogether):
            _letter_size(f._content, size, leading)
        elif isinstance(f, TextBlock) and f.style.name.startswith("letter"):
            base = layout.styles()[getattr(f, "letter_style", f.style.name)]
            f.letter_style = base.name
            f.style = ParagraphStyle(f"{base.name}_{size}", parent=base, fontSize=size, leading=leading,
                                     firstLineIndent=2 * size if base.firstLineIndent else 0)
            f._lines = None



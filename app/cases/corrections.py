"""Correcting a registered case: what may change, checked as at intake, and the change kept as an event.

A correction is a JSON object of corrected fields in the case's own codes (interchange.md, `liaison case
correct`), e.g. {"consumer": {"phone": "13912345678"}, "product": "电动自行车"}. The case's current
values with the corrections laid over them are checked by the intake parser as a whole, so a correction
can never leave a case that intake would refuse. Case number, state, deadlines, the time of receipt and
the kind are not corrected: they carry the deadlines and the lifecycle.

The event keeps old and new values so the history shows what changed, and a `corrections` row per field
keeps the same per field; personal values are masked in both (neither is encrypted at rest, and the
history is shown to whoever opens the case).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from app.cases import records
from app.cases.intake import CONSUMER_FIELDS, MERCHANT_FIELDS, TOP_FIELDS, CaseInput, parse_case
from app.core import clock, codes, privacy
from app.core.errors import FieldError, InputError
from app.ledger.exchange import COLUMNS
from app.merchants import registry, scam_watch
from app.staff import audit, identity
from app.storage.models import Case, Correction, Event

FIXED = {"case_no": "案件编号", "state": "状态", "acceptance_due": "受理期限", "mediation_due": "调解期限",
         "received_at": "登记时间", "kind": "类型", "amount_recovered": "挽回经济损失",
         "advance_paid": "先行赔付金额", "fast_track": "小额快速处理"}
CORRECTABLE_TOP = TOP_FIELDS - set(FIXED) - {"consumer", "merchant"}
LABELS = dict((path, label) for label, path in COLUMNS)
MASKS = {"consumer.name": privacy.mask_name, "consumer.phone": privacy.mask_phone,
         "consumer.id_number": privacy.mask_id_number, "consumer.address": privacy.mask_address}
MAX_REASON = 500


def _current(case: Case) -> dict:
    """The case as intake JSON (full personal data), only the fields intake reads."""
    data = records.case_json(case, full=True)
    return {k: v for k, v in data.items() if k in TOP_FIELDS and k not in ("case_no", "acceptance_due",
                                                                           "mediation_due")}


def _check_shape(changes: object) -> list[FieldError]:
    if not isinstance(changes, dict):
        return [FieldError("case", "更正内容应为一个 JSON 对象，如 {\"product\": \"电动自行车\"}")]
    errors = []
    for key in sorted(changes, key=str):
        if key in FIXED:
            errors.append(FieldError(key, f"{FIXED[key]}不能更正"))
        elif key in ("consumer", "merchant"):
            section, allowed = changes[key], (CONSUMER_FIELDS if key == "consumer" else MERCHANT_FIELDS)
            if not isinstance(section, dict):
                errors.append(FieldError(key, f"{key} 应为 JSON 对象"))
                continue
            errors.extend(FieldError(f"{key}.{k}", f"未知字段“{key}.{k}”") for k in sorted(set(section) - allowed))
        elif key not in CORRECTABLE_TOP:
            errors.append(FieldError(key, f"未知字段“{key}”，请检查拼写（字段名见接口说明）"))
    if not errors and not changes:
        errors.append(FieldError("case", "没有要更正的字段"))
    return errors


def _shown(path: str, value) -> str:
    """A value as the history shows it: personal data masked, codes as their labels."""
    if path in MASKS:
        return MASKS[path](str(value or "")) or "（空）"
    if isinstance(value, list):
        return "、".join(codes.label(codes.DEMAND, v) for v in value) or "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    table = {"category": codes.CATEGORY, "nature": codes.NATURE, "purchase_channel": codes.PURCHASE_CHANNEL,
             "channel": codes.CHANNEL, "consumer.group": codes.CONSUMER_GROUP}.get(path)
    text = codes.label(table, value) if table and value else str(value if value is not None else "")
    return (text[:60] + "…" if len(text) > 60 else text) or "（空）"


def _normal(parsed: CaseInput) -> dict:
    """The checked values as flat paths, in the JSON form, to compare old with new."""
    out = {f"consumer.{k}": getattr(parsed.consumer, k) for k in CONSUMER_FIELDS}
    out.update({f"merchant.{k}": getattr(parsed.merchant, k) for k in MERCHANT_FIELDS})
    for key in CORRECTABLE_TOP:
        value = getattr(parsed, key)
        out[key] = value.isoformat() if hasattr(value, "isoformat") else (f"{value:.2f}" if key.startswith("amount")
                                                                          else value)
    return out


def correct(session: Session, case_no: str, changes: dict, reason: str, distinct_merchant: bool = False) -> Case:
    """Apply checked corrections to a case; raises InputError naming every wrong field, changing nothing."""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    errors = _check_shape(changes)
    if not reason:
        errors.append(FieldError("reason", "请填写更正原因"))
    elif len(reason) > MAX_REASON:
        errors.append(FieldError("reason", f"更正原因过长（最多{MAX_REASON}字）"))
    if errors:
        raise InputError(errors)
    case = records.get_case(session, case_no)
    if case.consumer.purged_on is not None:
        raise InputError([FieldError("case_no", f"案件 {case_no} 的个人信息已按保存期限删除，不能更正")])
    current = _current(case)
    merged = dict(current)
    for key, value in changes.items():
        merged[key] = {**current[key], **value} if key in ("consumer", "merchant") else value
    before = _normal(parse_case(current, historical=True))
    after_input = parse_case(merged, historical=True)
    after = _normal(after_input)
    changed = [p for p in after if after[p] != before[p]]
    if not changed:
        raise InputError([FieldError("case", "更正后的内容与原来相同，没有需要更正的地方")])
    consumer = case.consumer
    for path in changed:
        section, _, name = path.partition(".")
        if section == "consumer":
            setattr(consumer, name, after[path])
    if any(p.startswith("merchant.") for p in changed):
        merchant = registry.find_or_create(session, after_input.merchant, distinct=distinct_merchant)
        case.merchant_id = merchant.id if merchant else None
        case.merchant = merchant
    for path in changed:
        if "." not in path:
            value = getattr(after_input, path)
            setattr(case, path, ",".join(value) if path == "demands" else value)
    if "consumer.group" in changed:
        case.priority = consumer.group in codes.PRIORITY_GROUPS
    session.flush()
    if "facts" in changed or "merchant.phone" in changed:
        scam_watch.record(session, case)
    lines = [f"{LABELS.get(p, p)}：{_shown(p, before[p])} → {_shown(p, after[p])}" for p in changed]
    note = "更正（原因：" + reason + "）\n" + "\n".join(lines)
    event = Event(case_id=case.id, at=clock.utcnow(), actor=identity.actor(session), action="correct",
                  from_state=case.state, to_state=case.state, note=note)
    session.add(event)
    session.flush()
    # One row per field for reports on what gets corrected; values as the history shows them (masked).
    session.add_all(Correction(case_id=case.id, event_id=event.id, field=p, old_value=_shown(p, before[p]),
                               new_value=_shown(p, after[p])) for p in changed)
    audit.record(session, "correct", case.case_no, "更正 " + "、".join(LABELS.get(p, p) for p in changed)
                 + f"（原因：{reason[:100]}）")
    return case

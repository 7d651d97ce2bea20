"""Values as clerks write them in a ledger (2026/11/1, 2026年11月1日, ¥3,000, 3000元, 退款) turned into the
interchange format's (2026-11-01, 3000, refund); anything not understood is passed on unchanged, so the
validation that follows names the field and says how to write it."""
from __future__ import annotations

import re

from app.core import codes

# Words clerks use for a demand or remedy that are not its label.
SYNONYMS: dict[str, str] = {
    "退款": "refund", "退货": "refund", "退钱": "refund", "退费": "refund", "全额退款": "refund",
    "换货": "exchange", "更换": "exchange", "换新": "exchange",
    "维修": "repair", "修理": "repair", "返修": "repair",
    "赔偿": "compensation", "赔钱": "compensation", "补偿": "compensation",
    "道歉": "apology", "赔礼": "apology",
    "网上": "online", "网店": "online", "直播": "livestream", "实体": "store", "门店": "store", "商场": "store",
    "来电": "phone", "上门": "visit", "到访": "visit", "来访": "visit", "网络": "online",
    "满意": "satisfied", "不满意": "dissatisfied",
}

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[\sT]+(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2})\s*秒?)?)?\s*$")
_DATE_8 = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # 20261101, as some ledgers keep it


def date_text(text: str) -> str:
    """'2026/11/1', '2026.11.1', '2026年11月1日', '20261101' -> '2026-11-01'; with a time ('2026/11/1 9:05')
    -> '2026-11-01T09:05:00'. ISO text and anything unreadable come back as they were."""
    m = _DATE.match(text) or _DATE_8.match(text)
    if not m:
        return text
    groups = m.groups()
    day = f"{int(groups[0]):04d}-{int(groups[1]):02d}-{int(groups[2]):02d}"
    if len(groups) > 3 and groups[3] is not None:
        return f"{day}T{int(groups[3]):02d}:{int(groups[4]):02d}:{int(groups[5] or 0):02d}"
    return day


_MONEY_NOISE = re.compile(r"[¥￥,，\s]|人民币|RMB|CNY|元整|元|圆", re.IGNORECASE)


def money_text(text: str) -> str:
    """'¥3,000', '3000元', '3,000.50 元', '人民币3000元' -> '3000', '3000.50'; otherwise unchanged."""
    cleaned = _MONEY_NOISE.sub("", text)
    if cleaned.endswith("角") or "万" in cleaned:
        return text  # 3万 or 5角: too easy to misread, the clerk writes the number
    return cleaned if re.fullmatch(r"-?\d+(\.\d+)?", cleaned) else text


def code(table: dict[str, str], text: str) -> str:
    """The code of `table` a clerk meant: the code itself (any case), its Chinese label, the label
    without its class word (家用电子电器 for 家用电子电器类), a common synonym (退款), or the one label that
    contains the text; else the text unchanged."""
    value = text.strip()
    if value in table:
        return value
    if value.lower() in table:
        return value.lower()
    by_label = {label: c for c, label in table.items()}
    if value in by_label:
        return by_label[value]
    for c, label in table.items():
        if label.rstrip("类") == value.rstrip("类"):
            return c
    if SYNONYMS.get(value) in table:
        return SYNONYMS[value]
    containing = [c for c, label in table.items() if value and value in label]
    return containing[0] if len(containing) == 1 else value


def demands_text(text: str) -> list[str]:
    """'退款、赔偿' / 'refund;repair' -> ['refund', 'compensation']: each part a demand code if it is one."""
    parts = re.split(r"[;；、,，/\s]+", text)
    return [code(codes.DEMAND, p) for p in parts if p.strip()]

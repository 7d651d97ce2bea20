"""Money as printed: ¥193,657.00, and in Chinese capital figures (大写) for agreements."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def to_decimal(amount) -> Decimal:
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def yuan(amount, sign: bool = True) -> str:
    """¥193,657.00 (thousands separators, two decimals)."""
    return ("¥" if sign else "") + f"{to_decimal(amount):,.2f}"


def _four(n: int) -> str:
    """0–9999 in capital figures, with 零 where a place is skipped."""
    out, zero = "", False
    for place in range(3, -1, -1):
        d = n // 10 ** place % 10
        if d:
            if zero and out:
                out += "零"
            out += _DIGITS[d] + _SMALL[place]
            zero = False
        else:
            zero = True
    return out


def capital(amount) -> str:
    """人民币大写: 11798 → 壹万壹仟柒佰玖拾捌元整; 1002.05 → 壹仟零贰元零伍分."""
    value = to_decimal(amount)
    if value < 0:
        return "负" + capital(-value)
    whole = int(value)
    cents = int((value - whole) * 100)
    text = ""
    if whole:
        groups = []
        n = whole
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g:
                if need_zero or (text and g < 1000):
                    text += "零"
                text += _four(g) + _BIG[i]
                need_zero = False
            else:
                need_zero = bool(text)
        text += "元"
    jiao, fen = divmod(cents, 10)
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += ("零" if whole and whole % 10 == 0 else "") + _DIGITS[jiao] + "角"
    if fen:
        text += ("零" if whole and not jiao else "") + _DIGITS[fen] + "分"
    return text

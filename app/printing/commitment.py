"""商品质量安全承诺: the commitment a merchant signs, in the seed's words, for its shop window."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.printing import layout
from app.printing.typeset import TextBlock, full_width


def texts(settings: dict | None = None) -> dict:
    from app.point.posters import commitment_texts

    return commitment_texts(settings or {})


def render(merchant: dict, signed_on: dt.date | None, settings: dict, printed: dt.date) -> bytes:
    """One sheet for the shop window: the largest type (14 pt down to 12) at which it fits one page."""
    for size in (14, 13.5, 13, 12.5, 12):
        pdf, pages = _render(merchant, signed_on, settings, printed, size)
        if pages == 1:
            break
    return pdf


def _render(merchant: dict, signed_on: dt.date | None, settings: dict, printed: dt.date,
            size: float) -> tuple[bytes, int]:
    from reportlab.lib.styles import ParagraphStyle

    t = texts(settings)
    body = ParagraphStyle("commitment", parent=layout.styles()["poster"], fontSize=size, leading=size * 1.6,
                          firstLineIndent=2 * size)
    point = settings.get("point.name") or "消费维权联络点"
    who = "　".join(x for x in (f"经营者：{merchant['name']}",
                               merchant.get("shop_no") and f"铺位：{merchant['shop_no']}",
                               merchant.get("uscc") and f"统一社会信用代码：{merchant['uscc']}") if x)
    story = [layout.para(point, "issuer"), layout.para(t["title"], "title"), layout.para(who, "note"),
             Spacer(1, 3 * mm), TextBlock(full_width(t["preamble"]), body)]
    story += [TextBlock(full_width(item), body) for item in t["items"][:-1]]
    # the last item, the signatures and the date stay on one page; blanks are ruled, not spaces
    signed = [layout.para("签署日期：" + layout.chinese_date(signed_on), "poster_left")] if signed_on else []
    story.append(KeepTogether([TextBlock(full_width(t["items"][-1]), body), Spacer(1, 8 * mm),
                               layout.SignatureBlock(["经营者（盖章）：", "负责人（签字）："], font_size=14,
                                                     dated=not signed_on), *signed]))
    out = io.BytesIO()
    pages, _fill = layout.build(story, title=f"{t['title']} {merchant['name']}", point_name=point, case_no="",
                                printed=printed, out=out)
    return out.getvalue(), pages

"""商品质量安全承诺: the commitment a merchant signs, in the seed's words, for its shop window."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.printing import layout


def texts(settings: dict | None = None) -> dict:
    from app.posters import commitment_texts

    return commitment_texts(settings or {})


def render(merchant: dict, signed_on: dt.date | None, settings: dict, printed: dt.date) -> bytes:
    t = texts(settings)
    point = settings.get("point.name") or "消费维权联络点"
    who = "　".join(x for x in (f"经营者：{merchant['name']}",
                               merchant.get("shop_no") and f"铺位：{merchant['shop_no']}",
                               merchant.get("uscc") and f"统一社会信用代码：{merchant['uscc']}") if x)
    story = [layout.para(point, "issuer"), layout.para(t["title"], "title"), layout.para(who, "note"),
             Spacer(1, 3 * mm), layout.para(t["preamble"], "poster")]
    story += [layout.para(item, "poster") for item in t["items"]]
    story += [Spacer(1, 10 * mm), layout.para("经营者（盖章）：　　　　　　　　负责人（签字）：", "poster_left"),
              layout.para("签署日期：" + (layout.chinese_date(signed_on) if signed_on else "　　年　　月　　日"),
                          "poster_left")]
    out = io.BytesIO()
    layout.build(story, title=f"{t['title']} {merchant['name']}", point_name=point, case_no="", printed=printed,
                 out=out)
    return out.getvalue()

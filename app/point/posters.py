"""Poster content: the bulletin board's texts and the consumer-tip templates, kept as data."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from app.core.errors import FieldError
from app.core.resources import resource_path

SIZES = ("A4", "A3")


@dataclass
class Tip:
    name: str
    title: str
    lead: str = ""
    sections: list[dict] = field(default_factory=list)  # {"heading": str, "paragraphs": [str]}
    source: str = ""


def bulletin_texts() -> dict:
    """The bulletin's texts; the law items quote the statutes' current wording (app/calendar/statutes.py)."""
    from app.calendar.statutes import expand

    t = json.loads(resource_path("texts", "bulletin.json").read_text(encoding="utf-8"))
    t["law_items"] = [{**item, "text": expand(item["text"])} for item in t["law_items"]]
    return t


def regulator(settings: dict) -> str:
    """The local 市场监督管理局 from the point's settings; never a placeholder like “XX”."""
    return (settings.get("point.regulator") or "").strip() or "属地市场监督管理部门"


def commitment_texts(settings: dict) -> dict:
    """商品质量安全承诺 with the point's own regulator filled in."""
    t = json.loads(resource_path("texts", "commitment.json").read_text(encoding="utf-8"))
    name = regulator(settings)
    t["items"] = [item.replace("{regulator}", name) for item in t["items"]]
    return t


def user_tips_dir():
    """Tips staff saved from the window live beside the database, not in the program."""
    import os
    from pathlib import Path

    from platformdirs import user_data_dir

    return Path(os.environ.get("LIAISON_TIPS_DIR") or Path(user_data_dir("liaison-desk", appauthor=False)) / "tips")


def tip_templates() -> list[Tip]:
    """The shipped templates, then those staff saved (a saved one replaces a shipped one of that name)."""
    from app.calendar.statutes import expand

    found: dict[str, Tip] = {}
    folders = [resource_path("texts", "tips"), user_tips_dir()]
    for folder in folders:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            d = json.loads(path.read_text(encoding="utf-8"))
            sections = [{**sec, "paragraphs": [expand(x) for x in sec["paragraphs"]]} for sec in d.get("sections", [])]
            found[d["name"]] = Tip(d["name"], d["title"], expand(d.get("lead", "")), sections, d.get("source", ""))
    return list(found.values())


def save_tip(tip: Tip) -> None:
    """Keep a tip staff wrote or changed as a template for next time."""
    if not tip.name or not tip.name.replace("_", "").isalnum() or not tip.name.isascii():
        raise FieldError("name", "模板名只能用英文字母、数字和下划线，如 health_products")
    folder = user_tips_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = {"name": tip.name, "title": tip.title, "source": tip.source, "lead": tip.lead, "sections": tip.sections}
    (folder / f"{tip.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def tip(name: str) -> Tip:
    for t in tip_templates():
        if t.name == name:
            return t
    raise FieldError("name", f"没有名为“{name}”的消费提示模板，可用：{'、'.join(t.name for t in tip_templates())}")


def tip_to_text(t: Tip) -> str:
    """The editable body: the lead, then each section as 【heading】 followed by its paragraphs."""
    parts = [t.lead] if t.lead else []
    for s in t.sections:
        parts.append(f"【{s['heading']}】")
        parts.extend(s["paragraphs"])
    return "\n".join(parts)


def text_to_tip(name: str, title: str, body: str, source: str = "") -> Tip:
    """Parse what staff typed back into a tip: lines in 【】 start sections."""
    if not title.strip():
        raise FieldError("title", "请填写消费提示的标题")
    lead: list[str] = []
    sections: list[dict[str, list[str] | str]] = []
    for line in (x.strip() for x in body.splitlines()):
        if not line:
            continue
        if line.startswith("【") and line.endswith("】") and len(line) > 2:
            sections.append({"heading": line[1:-1], "paragraphs": []})
        elif sections:
            paragraphs = sections[-1]["paragraphs"]
            assert isinstance(paragraphs, list)
            paragraphs.append(line)
        else:
            lead.append(line)
    if not lead and not any(s["paragraphs"] for s in sections):
        raise FieldError("body", "请填写消费提示的正文")
    return Tip(name, title.strip(), "\n".join(lead), sections, source)


def workflow_steps(today: dt.date) -> list[tuple[str, str]]:
    """The dispute workflow with the deadlines of the rule set in force today (resources/rules)."""
    from app.calendar.deadlines import rule_set_for

    rs = rule_set_for(today)
    unit = {"working": "个工作日", "calendar": "日"}
    return [
        ("投诉登记", "当场登记，出具回执"),
        ("受理决定", f"收到投诉之日起{rs.acceptance.days}{unit[rs.acceptance.unit]}内"),
        ("组织调解", f"受理之日起{rs.mediation.days}{unit[rs.mediation.unit]}内；检定、检验、检测、鉴定期间不计入"),
        ("调解成功", "签订调解协议书"),
        ("调解不成 / 终止", f"{rs.notice.days}{unit[rs.notice.unit]}内书面告知，指明12315、仲裁、诉讼等途径"),
        ("移送", "移送消保委或市场监管部门"),
        ("回访办结", f"处理结果后{rs.follow_up.days}日内回访"),
        ("不予受理", "书面告知理由和其他途径"),
    ]

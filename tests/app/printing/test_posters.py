import io
import json

import pytest
from pypdf import PdfReader

from app.core.errors import FieldError
from app.point import posters
from tests.pdf_checks import bad_line_starts, body, fonts_not_embedded, plain

SETTINGS = {"point.name": "测试商城消费维权联络点", "point.contact_name": "麦小姐", "point.contact_phone": "021-61671254",
            "point.council": "测试区消费者权益保护委员会"}


def seed_texts():
    """The duty list and the five 产品质量法 items, read straight from the user's seed file."""
    import glob
    import os
    from pathlib import Path

    folder = os.environ.get("LIAISON_SEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
    found = glob.glob(str(Path(folder) / "002_*.txt"))
    if not found:
        pytest.skip("shared/seeds is not beside this checkout")
    lines = [x.strip() for x in Path(found[0]).read_text(encoding="utf-8").splitlines() if x.strip()]
    duties = lines[lines.index("维权联络点工作职责") + 1:][:4]
    start, end = lines.index("宣传栏") + 1, lines.index("企业服务管理制度")
    return duties, lines[start:end]


def squash(text: str) -> str:
    return "".join(text.split())


def sentences(text: str) -> list[str]:
    import re

    return [s for s in re.split(r"(?<=[。；;])", squash(text)) if len(s) > 4]


@pytest.mark.parametrize("size, points", [("A4", (595, 842)), ("A3", (842, 1191))])
def test_bulletin_has_every_statute_sentence_and_settings(desk, size, points):
    desk.settings.put({"point.contact_name": "麦小姐", "point.council": "测试区消费者权益保护委员会"})
    pdf = desk.documents.bulletin_pdf(size)
    text = body(pdf)
    duties, law_lines = seed_texts()
    from app.printing.typeset import full_width

    for line in duties:  # the seed's half-width ,;: are printed full-width on the wall
        for sentence in sentences(full_width(line)):
            assert sentence in text, sentence
    # The seed chooses the items and the articles; the law decides the wording (the current text, as data).
    import re

    from app.calendar.statutes import statute

    for heading in (x for x in law_lines if re.match(r"^\d\.", x)):
        assert squash(heading) in text, heading
    # 1993's art. 35 on disputes has been art. 47 since the 2000 revision
    current = {"22": "pql_22", "23": "pql_23", "40": "pql_40", "44": "pql_44", "35": "pql_47", "45": "pql_45"}
    cited = set(re.findall(r"第(\d+)条", "".join(law_lines)))
    assert cited == set(current)
    for number in cited:
        assert squash(statute(current[number]).text) in text, number
    for value in ("测试商城消费维权联络点", "麦小姐", "021-61671254", "测试区消费者权益保护委员会", "协助"):
        assert value in text
    for step in ("投诉登记", "受理决定", "组织调解", "7个工作日", "60日", "回访办结", "移送"):
        assert step in plain(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {points}
    assert fonts_not_embedded(pdf) == []
    assert bad_line_starts(pdf) == []


def test_commitment_on_bulletin_is_word_for_word(desk):
    from app.printing.commitment import texts
    from app.printing.typeset import full_width

    text = body(desk.documents.bulletin_pdf("A4"))
    for item in texts()["items"]:  # word for word; the seed's half-width ,;: printed full-width
        assert squash(full_width(item)) in text


def test_tip_templates_list_and_posters(desk):
    names = [t["name"] for t in desk.documents.tip_templates()]
    assert {"fake_hotline", "two_cards", "prepaid", "seven_day_return", "blank"} <= set(names)
    for name in names:
        if name == "blank":
            continue
        tip = posters.tip(name)
        pdf = desk.documents.tip_pdf(name, "A4")
        text = body(pdf)
        assert squash(tip.title) in text and squash(tip.lead) in text
        for section in tip.sections:
            assert squash(section["heading"]) in text
            for para in section["paragraphs"]:
                assert squash(para) in text
        assert "测试商城消费维权联络点" in text
        assert fonts_not_embedded(pdf) == [] and bad_line_starts(pdf) == []


def test_staff_written_tip_round_trip():
    tip = posters.tip("prepaid")
    again = posters.text_to_tip("prepaid", tip.title, posters.tip_to_text(tip))
    assert again.lead == tip.lead and again.sections == tip.sections
    with pytest.raises(FieldError):
        posters.text_to_tip("blank", "", "正文")
    with pytest.raises(FieldError):
        posters.text_to_tip("blank", "标题", "  \n ")


def test_cli_tip_list_and_print(db_url, monkeypatch, capsys, tmp_path):
    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    assert main(["print", "tip", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert all(set(t) == {"name", "title"} for t in listed) and listed[0]["name"] == "fake_hotline"
    assert main(["print", "tip", "two_cards", "--size", "A3", "-o", str(tmp_path / "t.pdf")]) == 0
    assert main(["print", "bulletin", "-o", str(tmp_path / "b.pdf")]) == 0
    assert main(["print", "tip", "nope", "-o", str(tmp_path / "x.pdf")]) == 1
    assert main(["print", "bulletin"]) == 2
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")

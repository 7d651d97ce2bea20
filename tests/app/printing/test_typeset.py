"""Line breaking (禁则) and money formatting, on their own."""
import re

import pytest

from app.core.money import capital, yuan
from app.printing import fonts
from app.printing.typeset import break_lines, full_width, plain_lines
from tests.hard_corpus import long_facts

NEVER_START = "，。、；：？！）》」』”’…—%％"
NEVER_END = "（《「『“‘"
WHOLE = ["https://kettle.example.com/service", "400-800-1234", "13900001234", "¥1,099.00", "KX-2026A", "……", "——"]


@pytest.mark.parametrize("font", [fonts.BODY, fonts.HEADING])
def test_every_width_keeps_the_rules_and_the_text(font):
    fonts.register()
    text = long_facts(1200)
    for width in range(180, 460, 13):  # (a URL wider than the line is the one thing that must break)
        lines = ["".join(atoms) for atoms, _last in break_lines(text, font, 11, width, first_indent=22)]
        for line in lines:
            assert line[0] not in NEVER_START and line[-1] not in NEVER_END, (width, line)
        for i, line in enumerate(lines[:-1]):
            for token in WHOLE:  # a token cut by a line break would leave a prefix at a line's end
                tail = line[-len(token) + 1:]
                assert not any(token.startswith(tail[k:]) and token[len(tail) - k:] and
                               lines[i + 1].startswith(token[len(tail) - k:]) for k in range(len(tail))), \
                    (width, token, line, lines[i + 1])
        # nothing added, nothing lost: only the spaces a line broke at are gone
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_paragraph_breaks_and_balanced_box_lines():
    fonts.register()
    lines = break_lines("第一段。\n第二段。", fonts.BODY, 12, 300)
    assert [("".join(a), last) for a, last in lines] == [("第一段。", True), ("第二段。", True)]
    box = plain_lines("告知12315、仲裁、诉讼等途径", fonts.BODY, 10, 110)
    assert len(box) == 2 and min(len(x) for x in box) >= 5  # never one character alone


def test_seed_punctuation_printed_full_width():
    assert full_width("消费者有权就产品质量问题,向生产者查询 ;向部门申诉:“处理 。”") == "消费者有权就产品质量问题，向生产者查询；向部门申诉：“处理。”"
    assert full_width("型号 KX-2026A 价格 1,299.00元") == "型号 KX-2026A 价格 1,299.00元"


@pytest.mark.parametrize("amount, words", [
    ("11798", "壹万壹仟柒佰玖拾捌元整"), ("193657", "壹拾玖万叁仟陆佰伍拾柒元整"), ("1002.05", "壹仟零贰元零伍分"),
    ("100010001", "壹亿零壹万零壹元整"), ("0.5", "伍角"), ("0", "零元整"), ("20000.07", "贰万元零柒分"),
    ("1000000", "壹佰万元整"), ("305.60", "叁佰零伍元陆角"),
])
def test_capital_amounts(amount, words):
    assert capital(amount) == words


def test_yuan_has_separators():
    assert yuan("193657") == "¥193,657.00" and yuan(0.5) == "¥0.50" and yuan("1234567.891", sign=False) == "1,234,567.89"
    assert re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d\d", yuan(98765432.1))


def test_a_paragraph_never_ends_on_one_lone_character():
    fonts.register()
    text = "本联络点为消费维权联络点，不是行政机关，参照《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）处理消费投诉。"
    for width in range(200, 460, 3):
        lines = ["".join(a) for a, _last in break_lines(text, fonts.BODY, 14.5, width, first_indent=29)]
        if len(lines) > 1:
            assert len(lines[-1].rstrip("。")) > 1, (width, lines)
        assert "".join(lines) == text


def test_the_glyph_table_view_embeds_exactly_what_reportlab_embeds():
    """app/printing/fonts hands ReportLab a view of the glyf table instead of a copy; the font subsets
    it embeds must be byte for byte the ones ReportLab makes from its own copy."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from app.core.resources import resource_path
    from app.printing import fonts

    for name in (fonts.SERIF_FILE, fonts.FONT_FILE):
        path = str(resource_path("fonts", name))
        plain, viewed = TTFontFile(path, subfontIndex=0), TTFontFile(path, subfontIndex=0)
        fonts._slice_glyphs_in_place(viewed)
        assert viewed.get_table is not plain.get_table
        text = long_facts(600) + "堃赟璟龘㐀ÅéßЖ①⑩【】…—“”"
        for start in range(0, 512, 256):
            subset = sorted({ord(ch) for ch in text})[start:start + 256]
            assert viewed.makeSubset(subset) == plain.makeSubset(subset)

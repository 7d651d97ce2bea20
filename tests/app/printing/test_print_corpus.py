"""Every printout made from hard content (3,000-character facts, long names), read back as a reader would:
fonts embedded, 禁则 on every line of every page (pdftotext -layout), no inserted spaces, page counts,
decision dates, no English sentences."""
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.clock import LOCAL_TZ
from app.desk import Desk
from app.printing import layout
from app.printing.receipt import facts_excerpt
from app.storage.db import Store
from tests.conftest import sign_in_tester
from tests.hard_corpus import LONG_MERCHANT, hard_cases, long_facts

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")

SETTINGS = {"point.name": "测试商城消费维权联络点", "point.contact_name": "李晓", "point.contact_phone": "021-61671254",
            "point.council": "测试区消费者权益保护委员会", "point.address": "测试市测试区幸福路1888号（虚构）"}
DECIDED = "2026年11月20日"
# the rules as the issue states them, independent of the code under test
NEVER_START = "，。、；：？！）》」』”’…—%％"
NEVER_END = "（《「『“‘"
CJK = "\u4e00-\u9fff，。、；：？！）》」』”’（《「『“‘"


def _as(desk, display: str, make):
    """Make a document as another member: the one signed in is printed as 调解员 / 经办人."""
    before = desk.accounts.current
    if display not in desk.accounts.names():
        desk.accounts.add(display, display, "staff", None, f"os-{display}")
    desk.accounts.sign_in_os_user(f"os-{display}")
    try:
        return make()
    finally:
        desk.store.identity = before


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    store = Store(f"sqlite:///{folder / 'desk.db'}")
    sign_in_tester(store)
    desk = Desk(store)
    desk.settings.put(SETTINGS)
    made = hard_cases(desk)
    d = desk.documents
    docs = {
        "receipt": d.receipt_pdf(made["receipt"]),
        "not_accepted": d.notice_pdf("not-accepted", made["not_accepted"]),
        "not_accepted_masked": d.notice_pdf("not-accepted", made["not_accepted"], masked=True),
        "agreement": _as(desk, "张调解", lambda: d.notice_pdf("agreement", made["agreement"])),
        "terminated": d.notice_pdf("terminated", made["terminated"]),
        "failed": d.notice_pdf("terminated", made["failed"]),
        "referral": _as(desk, "李经办", lambda: d.referral_pdf(made["samr"])),
        "monthly": d.monthly_pdf("2026-11"),
    }
    period = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for target in ("council", "samr"):
        docs[f"batch_{target}"] = _as(desk, "李经办", lambda t=target: d.referral_batch(*period, target=t))
    for size in ("A4", "A3"):
        docs[f"bulletin_{size}"] = d.bulletin_pdf(size)
        for tip in d.tip_templates():
            docs[f"tip_{tip['name']}_{size}"] = d.tip_pdf(tip["name"], size)
    merchant = desk.merchants.registry("")[0].id if hasattr(desk.merchants, "registry") else None
    if merchant is not None:
        docs["commitment"] = d.commitment_pdf(merchant)
    paths = {}
    for name, pdf in docs.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(pdf)
    yield {"docs": docs, "paths": paths, "made": made, "desk": desk, "folder": folder, "period": period}
    store.dispose()


def layout_pages(path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def segments(page: str) -> list[str]:
    """Each run of text on a line (columns and cells are set apart by two spaces or more)."""
    return [s for line in page.splitlines() for s in re.split(r" {2,}", line.strip()) if s.strip()]


def kinsoku_breaks(path) -> list[str]:
    bad = []
    for seg in (s for page in layout_pages(path) for s in segments(page)):
        if re.fullmatch(r"—\s*\d+\s*—|—", seg):  # the page number “— 1 —”; a table's “—” (no figure)
            continue
        if seg[0] in NEVER_START or seg[-1] in NEVER_END:
            bad.append(seg)
    return bad


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_every_font_is_embedded(corpus):
    for name, path in corpus["paths"].items():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, name
        assert all(row.split()[-5] == "yes" for row in rows), (name, out)
        assert any("LiberationSerif" in row for row in rows) or name.startswith(("tip_blank", "monthly")), name


def test_no_line_breaks_a_rule_on_any_page(corpus):
    for name, path in corpus["paths"].items():
        assert kinsoku_breaks(path) == [], name


def test_numbers_urls_and_case_numbers_are_never_split(corpus):
    whole = ["https://kettle.example.com/service", "400-800-1234", "13900001234", "¥1,099.00", "¥1,299.00",
             "021-61671254", *corpus["made"].values()]
    for name in ("agreement", "referral", "receipt", "batch_council", "batch_samr"):
        pages = layout_pages(corpus["paths"][name])
        joined = "".join("".join(p.split()) for p in pages)
        lines = [s for p in pages for s in segments(p)]
        for token in whole:
            assert joined.count(token) == sum(s.count(token) for s in lines), (name, token)


def value_column_text(path, left_mm: float) -> str:
    """The text right of the label column, down to the footer, page after page, line breaks removed."""
    pages = []
    for number in range(1, len(PdfReader(str(path)).pages) + 1):
        x = int(left_mm * 72 / 25.4)
        out = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-x", str(x), "-y", "0",
                              "-W", str(595 - x), "-H", str(int(842 - 26 * 72 / 25.4)), str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
        pages.append(out)
    return "".join(line.strip() for page in pages for line in page.splitlines())


def _span(text: str, source: str) -> str:
    """Where `source` sits in extracted `text`, spaces allowed anywhere in between."""
    pattern = r"\s*".join(re.escape(ch) for ch in source.replace(" ", ""))
    found = re.search(pattern, text)
    assert found, source[:20]
    return found.group(0)


def test_long_facts_come_back_without_inserted_spaces(corpus):
    facts = long_facts()
    for name, label_mm in (("agreement", 28 + 32), ("referral", 28 + 30)):
        text = _span(value_column_text(corpus["paths"][name], label_mm), facts)
        # a space only where the source has one (between Latin words), none where a line was broken
        assert re.search(f"[{CJK}] +[{CJK}]", text) is None, name
        assert re.search(r"[A-Za-z]  +[A-Za-z]", text) is None, name
    receipt = value_column_text(corpus["paths"]["receipt"], 28 + 32)
    excerpt = facts_excerpt(facts)
    assert excerpt.endswith("（全文见登记表）") and 250 <= len(excerpt) <= 340
    assert excerpt.replace(" ", "") in receipt.replace(" ", "")


def test_no_space_inside_chinese_text_of_letters_and_posters(corpus):
    # (forms separate a name from a phone number with a full-width space on purpose; their running text
    # is checked above)
    for name, path in corpus["paths"].items():
        if name.startswith(("receipt", "agreement", "referral", "batch", "monthly", "commitment")):
            continue
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        for line in raw.splitlines():
            assert re.search("[\u4e00-\u9fff] [\u4e00-\u9fff]", line) is None, (name, line)


def test_page_counts(corpus):
    docs = corpus["docs"]
    assert page_count(docs["bulletin_A3"]) == 1
    assert page_count(docs["bulletin_A4"]) <= 2
    if page_count(docs["bulletin_A4"]) == 2:  # no near-empty last page
        first, last = (len(segments(p)) for p in layout_pages(corpus["paths"]["bulletin_A4"]))
        assert last >= 0.4 * first
    for name in docs:
        if name.startswith("tip_"):
            assert page_count(docs[name]) == 1, name
    assert page_count(docs["receipt"]) == 1
    for name in ("not_accepted", "terminated", "failed"):  # a letter fits one sheet (14 pt at least)
        assert page_count(docs[name]) == 1, name


def test_agreement_terms_signatures_and_seal_share_a_page(corpus):
    pages = ["".join(p.split()) for p in layout_pages(corpus["paths"]["agreement"])]
    terms = [i for i, p in enumerate(pages) if "协议内容" in p]
    assert len(terms) == 1
    page = pages[terms[0]]
    for piece in ("消费者（签字）", "经营者（签字、盖章）", "调解员（签字）", "盖章处", DECIDED, "¥11,798.00",
                  "壹万壹仟柒佰玖拾捌元整"):
        assert piece in page, piece
    assert "调解员：张调解" in pages[0]


def test_documents_carry_the_decision_date_not_the_print_date(corpus):
    today = layout.chinese_date(dt.datetime.now(LOCAL_TZ).date())
    assert today != DECIDED
    for name in ("not_accepted", "agreement", "terminated", "failed", "referral", "batch_samr"):
        text = "".join(subprocess.run(["pdftotext", str(corpus["paths"][name]), "-"], capture_output=True,
                                      text=True, check=True).stdout.split())
        assert DECIDED in text, name
        # the day of printing only on the small “打印于” line of each page
        assert text.count(today) == text.count(f"打印于{today}") >= 1, name
    for name, words in (("not_accepted", f"于{DECIDED}决定不予受理"), ("terminated", f"于{DECIDED}决定终止调解"),
                        ("failed", f"于{DECIDED}终止调解")):
        assert words in "".join(layout_pages(corpus["paths"][name])[0].split()), name
    receipt = "".join(layout_pages(corpus["paths"]["receipt"])[0].split())
    assert "2026年11月16日" in receipt and receipt.count(today) == 1


def test_no_english_sentence_on_any_page(corpus):
    sentence = re.compile(r"[A-Za-z][A-Za-z,']*(?:\s+[A-Za-z][A-Za-z,'.]*){4,}")
    for name, path in corpus["paths"].items():
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert sentence.search(raw) is None, (name, sentence.search(raw))


def test_consumer_copy_full_name_outgoing_copy_masked_and_staff_named(corpus):
    full = "".join(layout_pages(corpus["paths"]["not_accepted"])[0].split())
    masked = "".join(layout_pages(corpus["paths"]["not_accepted_masked"])[0].split())
    assert "欧阳丽娜：" in full and "欧**娜：" in masked and "欧阳丽娜" not in masked
    referral = "".join("".join(p.split()) for p in layout_pages(corpus["paths"]["referral"]))
    assert "经办人：李经办" in referral


def test_referral_batches_one_target_each_with_a_real_table(corpus):
    made = corpus["made"]
    council = [p for p in layout_pages(corpus["paths"]["batch_council"])]
    samr = [p for p in layout_pages(corpus["paths"]["batch_samr"])]
    cover = "".join(council[0].split())
    assert made["council"] in cover and made["samr"] not in "".join("".join(p.split()) for p in council)
    assert "报送：测试区消费者权益保护委员会" in cover and "共1件" in cover
    for header in ("案件编号", "登记日期", "被投诉经营者", "类别", "移送对象", "移送日期", "移送理由"):
        assert header in cover
    assert "报送：市场监督管理部门" in "".join(samr[0].split()) and made["samr"] in "".join(samr[0].split())
    # per-case pages carry the case number in the footer; the cover (landscape) does not
    reader = PdfReader(io.BytesIO(corpus["docs"]["batch_samr"]))
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    for page in samr[1:]:
        assert f"案件编号 {made['samr']}" in page.strip().splitlines()[-1]


def test_referral_xlsx_is_typed_with_its_own_sheet(corpus, tmp_path):
    desk = corpus["desk"]
    written = desk.documents.referral_batch(*corpus["period"], tmp_path / "转办汇总.xlsx")
    assert sorted(p.name for p in written) == ["转办汇总-市场监管.xlsx", "转办汇总-消保委.xlsx"]
    ws = load_workbook(tmp_path / "转办汇总-市场监管.xlsx")["转办汇总"]
    header = [c.value for c in ws[2]]
    row = {h: c.value for h, c in zip(header, ws[3], strict=True)}
    assert row["案件编号"] == corpus["made"]["samr"] and row["移送对象"] == "市场监督管理部门"
    assert isinstance(row["登记日期"], dt.datetime) and row["移送日期"].date() == dt.date(2026, 11, 20)
    assert row["购买金额（元）"] == 193657.0 and ws.cell(3, header.index("购买金额（元）") + 1).number_format == "#,##0.00"
    assert row["被投诉经营者"] == LONG_MERCHANT and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows.replace("$", "") == "2:2" and ws.max_row == 3


def test_a_tip_too_long_for_one_sheet_still_prints_whole(tmp_path):
    from app.point import posters
    from app.printing import poster

    facts = long_facts(4000)
    tip = posters.text_to_tip("long", "很长的消费提示", "【第一部分】\n" + facts[:2000] + "\n【第二部分】\n" + facts[2000:])
    for size in ("A4", "A3"):
        pdf = poster.tip_poster(tip, SETTINGS, size)
        path = tmp_path / f"long_{size}.pdf"
        path.write_bytes(pdf)
        assert page_count(pdf) >= 2 and kinsoku_breaks(path) == []
        text = "".join("".join(p.split()) for p in layout_pages(path))
        assert facts[-30:].replace(" ", "") in text

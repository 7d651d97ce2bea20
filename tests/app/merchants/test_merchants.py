import datetime as dt

import pytest

from app.core.errors import FieldError, InputError
from app.merchants.credit import CaseFacts, credit_level
from app.printing.commitment import texts
from tests.conftest import complaint
from tests.pdf_checks import body, fonts_not_embedded

TODAY = dt.date(2026, 11, 23)


def facts(days_ago: int, *history: str, ground: str = "", referred: str = "") -> CaseFacts:
    return CaseFacts(TODAY - dt.timedelta(days=days_ago), history[-1] if history else "registered", ground, referred,
                     frozenset(("registered", *history)))


@pytest.mark.parametrize("cases, delist, commitments, score, level", [
    ([], [], 0, 100, "A"),
    ([], [], 5, 100, "A"),                                                     # capped at 100
    ([facts(10, "accepted", "mediating", "resolved")] * 3, [], 0, 94, "A"),    # 3 x -2
    ([facts(10, "accepted", "mediating", "failed")] * 2, [], 0, 86, "B"),      # 2 x (-2 -5)
    ([facts(10, "accepted", "mediating", "terminated", ground="absent_or_refused")] * 3, [], 1, 72, "C"),
    # 3 x (-2 -8) = -30, +2
    ([facts(10, "referred", referred="samr")] * 3, [TODAY], 0, 59, "D"),       # 100 - 3 x (2 + 10) - 5
    ([facts(400, "accepted", "mediating", "failed")] * 5, [TODAY - dt.timedelta(days=400)], 0, 100, "A"),  # too old
    ([facts(10, "not_accepted")] * 5, [], 0, 100, "A"),                        # not accepted does not count
])
def test_credit_level_rules(cases, delist, commitments, score, level):
    result = credit_level(cases, delist, commitments, TODAY)
    assert (result.score, result.level) == (score, level)
    if level in ("C", "D"):
        assert "整改" in result.action


def test_register_validate_and_keep_uscc_unique(desk):
    with pytest.raises(InputError) as e:
        desk.merchants.save({"name": "", "uscc": "123", "phone": "5"})
    assert {err.field for err in e.value.errors} == {"merchant.name", "merchant.uscc", "merchant.phone"}
    m = desk.merchants.save({"name": "测试珠宝行（虚构）", "uscc": "91310105ma1fl00004", "phone": "021-61671254"})
    assert m["uscc"] == "91310105MA1FL00004" and m["phone"] == "02161671254"
    with pytest.raises(FieldError, match="已登记"):
        desk.merchants.save({"name": "另一家", "uscc": "91310105MA1FL00004"})
    assert desk.merchants.save({"name": "测试珠宝行", "uscc": "91310105MA1FL00004"}, m["id"])["name"] == "测试珠宝行"


def test_intake_links_to_the_registered_merchant(desk):
    m = desk.merchants.save({"name": "测试电器店（虚构）", "uscc": "91310105MA1FL00004", "shop_no": "B1-023"})
    desk.cases.add(complaint(merchant={"name": "测试电器店（虚构）"}))
    with pytest.raises(FieldError):  # a USCC registered under another name is asked about, not re-attributed
        desk.cases.add(complaint(merchant={"name": "别的名字", "uscc": "91310105MA1FL00004"}))
    desk.cases.add(complaint(merchant={"uscc": "91310105MA1FL00004"}))
    rows = {r.id: r for r in desk.merchants.registry()}
    assert len(rows) == 1 and rows[m["id"]].open_cases == 2


def test_commitments_delistings_history_and_level(desk):
    m = desk.merchants.save({"name": "测试食品超市（虚构）"})
    with pytest.raises(FieldError):
        desk.merchants.add_commitment(m["id"], "promise", "2026-01-01")
    desk.merchants.add_commitment(m["id"], "quality_safety", "2026-01-05")
    desk.merchants.add_commitment(m["id"], "no_reason_return", "2026-01-05")
    with pytest.raises(FieldError):
        desk.merchants.add_delisting(m["id"], "月饼", "2026-10-01", "抽检不合格", reported_on="2026-09-01")
    desk.merchants.add_delisting(m["id"], "月饼", "2026-10-01", "抽检菌落总数超标", "120盒", "退回供货商", "2026-10-02")
    no = desk.cases.add(complaint(merchant={"name": "测试食品超市（虚构）"}))["case_no"]
    desk.cases.move(no, "accepted")
    desk.cases.move(no, "mediating")
    desk.cases.move(no, "failed", reason="分歧大")
    d = desk.merchants.detail(m["id"]).as_json()
    assert [c["label"] for c in d["commitments"]] == ["商品质量安全承诺", "无理由退货承诺"]
    assert d["delistings"][0]["reported_on"] == "2026-10-02"
    assert d["cases"][0]["case_no"] == no and d["cases"][0]["consumer"] == "王*兰"
    assert d["score"] == 100 - 2 - 5 - 5 + 4 and d["level"] == "A"


def test_commitment_notice_is_the_seed_text(desk):
    m = desk.merchants.save({"name": "测试服饰店（虚构）", "shop_no": "C2-010"})
    desk.merchants.add_commitment(m["id"], "quality_safety", "2026-03-01")
    pdf = desk.documents.commitment_pdf(m["id"])
    text = body(pdf)
    t = texts()
    from app.printing.typeset import full_width

    for sentence in [t["title"], t["preamble"], *t["items"]]:  # the seed's half-width ,;: printed full-width
        assert "".join(full_width(sentence).split()) in text.replace("商品质量安全承诺/客服质量承诺", "", 0)
    assert "测试服饰店（虚构）" in text and "2026年3月1日" in text
    assert fonts_not_embedded(pdf) == []

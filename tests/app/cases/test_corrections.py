"""Correcting a registered case, and a merchant name/USCC that disagrees with the registry."""
import json

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select

from app.core.errors import InputError
from app.merchants.registry import MerchantConflict
from app.storage.models import Correction
from tests.conftest import complaint

USCC = "91310105MA1FL00004"


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in doc)


def test_correction_changes_fields_keeps_old_values_masked_in_history_and_reprints(desk):
    no = desk.cases.add(complaint())["case_no"]
    case = desk.cases.correct(no, {"consumer": {"phone": "13811112222"}, "product": "电饭煲"}, "登记时听错号码")
    assert case["consumer"]["phone"] == "13811112222" and case["product"] == "电饭煲"
    shown = desk.cases.show(no).as_json()
    event = [e for e in shown["events"] if e["action"] == "correct"][-1]
    assert "登记时听错号码" in event["note"]
    assert "139****1234 → 138****2222" in event["note"] and "电热水壶 → 电饭煲" in event["note"]
    assert "13900001234" not in event["note"] and "13811112222" not in event["note"]
    assert shown["acceptance_due"] == desk.cases.show(no).as_json()["acceptance_due"]
    assert "电饭煲" in pdf_text(desk.documents.receipt_pdf(no))
    # the blind index follows: the new number finds the case, the old one no longer does
    assert [c["case_no"] for c in desk.cases.search("13811112222")] == [no]
    assert desk.cases.search("13900001234") == []
    assert any(e["action"] == "correct" and e["case_no"] == no for e in desk.audit.entries())
    assert desk.audit.verify().ok
    with desk.store.read() as s:
        rows = {r.field: (r.old_value, r.new_value) for r in s.scalars(select(Correction))}
    assert rows == {"consumer.phone": ("139****1234", "138****2222"), "product": ("电热水壶", "电饭煲")}


@pytest.mark.parametrize("changes, field", [
    ({"case_no": "X"}, "case_no"), ({"state": "closed"}, "state"), ({"acceptance_due": "2030-01-01"}, "acceptance_due"),
    ({"received_at": "2026-11-01T10:00:00"}, "received_at"), ({"consumer": {"phone": "12345"}}, "consumer.phone"),
    ({"colour": "red"}, "colour"), ({"consumer": {"age": 3}}, "consumer.age"), ({}, "case"),
    ({"product": "电热水壶"}, "case"),
])
def test_refused_corrections_change_nothing(desk, changes, field):
    no = desk.cases.add(complaint())["case_no"]
    before = desk.cases.show(no).as_json()
    with pytest.raises(InputError) as e:
        desk.cases.correct(no, changes, "原因")
    assert field in {err.field for err in e.value.errors}
    after = desk.cases.show(no).as_json()
    assert after["events"] == before["events"] and after["consumer"] == before["consumer"]


def test_a_reason_is_required(desk):
    no = desk.cases.add(complaint())["case_no"]
    with pytest.raises(InputError) as e:
        desk.cases.correct(no, {"product": "电饭煲"}, "  ")
    assert {err.field for err in e.value.errors} == {"reason"}


def test_cli_case_correct(cli):
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint(), ensure_ascii=False))
    no = json.loads(out)["case_no"]
    code, out, err = cli("case", "correct", no, "--reason", "品牌写错", "--json",
                         stdin=json.dumps({"brand": "另一牌"}, ensure_ascii=False))
    assert code == 0, err
    assert json.loads(out)["brand"] == "另一牌"
    code, out, err = cli("case", "correct", no, "--reason", "改状态", stdin=json.dumps({"state": "closed"}))
    assert code == 1 and "【state】" in err and out == ""
    assert cli("case", "correct", no, stdin="{}")[0] == 2  # --reason is required
    code, out, _ = cli("case", "show", no, "--json")
    shown = json.loads(out)
    assert shown["state"] == "registered" and [e["action"] for e in shown["events"]].count("correct") == 1


def test_uscc_of_another_registered_merchant_is_asked_about_not_reattributed(desk):
    desk.merchants.save({"name": "测试电器店（虚构）", "uscc": USCC})
    with pytest.raises(MerchantConflict) as e:
        desk.cases.add(complaint(merchant={"name": "别的名字", "uscc": USCC}))
    assert e.value.field == "merchant.uscc" and e.value.registered_name == "测试电器店（虚构）"
    assert desk.cases.list() == []
    # half-width brackets are the same name
    desk.cases.add(complaint(merchant={"name": "测试电器店(虚构)", "uscc": USCC}))
    assert len(desk.merchants.registry()) == 1


def test_registered_name_with_another_uscc_is_asked_about_then_may_be_another_firm(desk):
    desk.merchants.save({"name": "测试电器店（虚构）", "uscc": USCC})
    other = "91310000MA1FL0000X"
    from stdnum.cn import uscc
    other = other[:-1] + uscc.calc_check_digit(other[:-1])
    with pytest.raises(MerchantConflict) as e:
        desk.cases.add(complaint(merchant={"name": "测试电器店（虚构）", "uscc": other}))
    assert e.value.field == "merchant.name" and e.value.registered_uscc == USCC
    assert desk.cases.list() == []
    desk.cases.add(complaint(merchant={"name": "测试电器店（虚构）", "uscc": other}), distinct_merchant=True)
    assert len(desk.merchants.registry()) == 2


def test_correcting_the_merchant_checks_the_registry_too(desk):
    desk.merchants.save({"name": "测试电器店（虚构）", "uscc": USCC})
    no = desk.cases.add(complaint(merchant={"name": "另一家小店（虚构）"}))["case_no"]
    with pytest.raises(MerchantConflict):
        desk.cases.correct(no, {"merchant": {"uscc": USCC}}, "补信用代码")
    case = desk.cases.correct(no, {"merchant": {"name": "测试电器店（虚构）", "uscc": USCC}}, "经营者写错")
    assert case["merchant"]["uscc"] == USCC


def _import_two(desk, tmp_path, first: str, second: str):
    """Import two complaints against merchants of these names, both with USCC; the rejected rows."""
    from app.ledger.exchange import ImportRejected

    rows = [complaint(received_at=f"2026-10-0{i}T10:00:00+08:00", purchase_date="2026-09-20",
                      merchant={"name": name, "uscc": USCC}) for i, name in ((1, first), (2, second))]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        desk.ledger.import_file(path)
    return [(err.row, err.field) for err in e.value.rows]


def test_import_row_with_a_mismatch_is_a_reported_error(desk, tmp_path):
    desk.merchants.save({"name": "测试电器店（虚构）", "uscc": USCC})
    assert _import_two(desk, tmp_path, "测试电器店（虚构）", "冒名的店") == [(2, "merchant.uscc")]
    assert desk.cases.list() == []


def test_import_rows_disagreeing_with_each_other_are_reported(desk, tmp_path):
    assert _import_two(desk, tmp_path, "甲店（虚构）", "乙店（虚构）") == [(2, "merchant.uscc")]

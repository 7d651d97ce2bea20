"""投诉登记表: the case as registered, in full, signed by consumer and clerk; numbered in the print register."""
import io
import json

import pytest
from pypdf import PdfReader

from app.core.errors import FieldError
from app.printing.render import page_texts
from tests.conftest import complaint
from tests.evidence_files import pdf as small_pdf
from tests.evidence_files import png
from tests.pdf_checks import bad_line_starts, body, fonts_not_embedded, plain

FULL = complaint(
    received_at="2026-11-20T10:15:00+08:00",
    consumer={"name": "王某兰", "phone": "13900001234", "id_number": "11010519491231002X",
              "address": "上海市测试区虚构路88弄6号302室", "group": "elderly", "consent_to_share": True},
    merchant={"name": "测试电器店（虚构）", "shop_no": "B1-023", "uscc": "91310105MA1FL00004",
              "phone": "02152341234", "address": "测试商城B1层"},
    amount_claimed="897.00", demands=["refund", "compensation"],
)


def _pdf_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            names.add(str(font.get("/BaseFont")))
    return names


def test_the_form_has_every_part_in_full(desk):
    no = desk.cases.add(FULL)["case_no"]
    desk.attachments.add(no, [("发票2026-11-01.pdf", small_pdf())], label="invoice")
    desk.attachments.add(no, [("水壶底座.png", png())], label="product_photo")
    pdf = desk.documents.registration_pdf(no)
    text = plain(pdf)
    for part in ("测试商城消费维权联络点", "投诉登记表", f"编号：{no}", "2026年11月20日10:15", "来访",
                 # the consumer in full: the desk's own record
                 "王某兰", "13900001234", "11010519491231002X", "上海市测试区虚构路88弄6号302室", "老年人（绿色通道）",
                 # the merchant
                 "测试电器店（虚构）", "91310105MA1FL00004", "B1-023", "02152341234", "测试商城B1层",
                 # what was bought
                 "电热水壶", "测试牌", "2026年11月1日", "实体店", "¥299.00",
                 "购买三天后底座漏电，跳闸两次，经营者拒绝退货。", "退货退款、赔偿", "¥897.00",
                 # evidence: labels and names
                 "1．发票（PDF文件）发票2026-11-01.pdf", "2．商品照片（PNG图片）水壶底座.png",
                 "首问责任人", "经办人测试员",
                 "本人同意将个人信息提供给测试区消费者权益保护委员会，仅用于处理本投诉。",
                 "消费者签名：", "经办人签名：", "日期：", "年", "月", "日"):
        assert part.replace(" ", "") in text, part
    assert "个人信息已作遮盖" not in text
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    assert len(reader.pages) == 1  # a short case is one sheet


def test_the_fonts_are_the_embedded_cjk_truetype_ones(desk):
    no = desk.cases.add(FULL)["case_no"]
    pdf = desk.documents.registration_pdf(no)
    assert fonts_not_embedded(pdf) == []
    fonts = _pdf_fonts(pdf)
    assert any("UMing" in f or "AR PL" in f or "uming" in f.lower() for f in fonts), fonts  # the Song body
    assert any("MicroHei" in f or "WenQuanYi" in f for f in fonts), fonts  # headings
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # TrueType outlines, embedded


def test_long_facts_run_over_the_page_in_full_and_the_signatures_follow(desk):
    facts = "".join(f"第{i}次：消费者称该店销售的电热水壶使用三天后底座漏电，跳闸两次；经营者称需返厂检测，拒绝当场退货。"
                    for i in range(1, 41))
    no = desk.cases.add(complaint(facts=facts))["case_no"]
    pdf = desk.documents.registration_pdf(no)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2
    assert bad_line_starts(pdf) == []
    text = body(pdf).replace("投诉事实（续）", "")
    assert facts in text  # never cut off
    last = "".join(page_texts(pdf)[-1].split())
    assert "消费者签名：" in last and "经办人签名：" in last
    assert "证据材料" in last and "首问责任人" in last  # never a page of signatures alone


def test_the_receipt_points_at_this_form(desk):
    facts = "消费者称，该店销售的电热水壶使用三天后底座漏电；跳闸两次！经营者称需返厂检测，拒绝当场退货。" * 20
    no = desk.cases.add(complaint(facts=facts))["case_no"]
    assert "（全文见登记表）" in body(desk.documents.receipt_pdf(no))
    assert facts in body(desk.documents.registration_pdf(no)).replace("投诉事实（续）", "")


def test_a_masked_copy_masks_the_consumer_and_file_names(desk):
    no = desk.cases.add(FULL)["case_no"]
    desk.attachments.add(no, [("王某兰身份证.png", png())], label="other")
    text = plain(desk.documents.registration_pdf(no, masked=True))
    assert "王*兰" in text and "139****1234" in text and "110105********002X" in text and "上海市测试区****" in text
    for full in ("王某兰", "13900001234", "11010519491231002X", "虚构路88弄", "王某兰身份证.png"):
        assert full not in text
    assert "1．其他（PNG图片）" in text and "外送副本" in text


def test_consultation_and_report_have_their_own_titles(desk):
    c = desk.cases.add({"kind": "consultation", "consumer": {"name": "张某", "phone": "13900005678"},
                        "facts": "预付卡商家跑路怎么办？"})["case_no"]
    desk.cases.move(c, "closed", reason="可向发卡地市场监管部门投诉，并保留充值凭证。")
    text = plain(desk.documents.registration_pdf(c))
    assert "咨询登记表" in text and "咨询问题" in text and "预付卡商家跑路怎么办？" in text
    assert "答复内容" in text and "可向发卡地市场监管部门投诉" in text and "被投诉经营者" not in text
    r = desk.cases.add(complaint(kind="report", facts="商场内有店铺销售过期食品。"))["case_no"]
    text = plain(desk.documents.registration_pdf(r))
    assert "举报登记表" in text and "举报事实" in text and "商场内有店铺销售过期食品。" in text


def test_the_register_numbers_it_and_counts_its_prints(desk, tmp_path):
    no = desk.cases.add(complaint())["case_no"]
    pdf = desk.documents.registration_pdf(no)
    assert "文书编号：登记" in plain(pdf) and "补打" not in plain(pdf)
    out = tmp_path / "登记表.pdf"
    out.write_bytes(pdf)
    desk.documents.printed("registration", no, str(out))
    [entry] = [e for e in desk.documents.register() if e["case_no"] == no]
    assert entry["document"] == "登记表" and entry["number"].startswith("登记 ") and entry["prints"] == 1
    assert entry["last_to"] == str(out)
    audit = [e for e in desk.audit.entries() if e["action"] == "print"]
    assert "投诉登记表（含完整个人信息）" in audit[-1]["detail"] and entry["number"] in audit[-1]["detail"]
    again = plain(desk.documents.registration_pdf(no))
    assert f"文书编号：{entry['number']}（补打）".replace(" ", "") in again


def test_an_unknown_case_is_refused_plainly(desk):
    with pytest.raises(FieldError):
        desk.documents.registration_pdf("19990101-0001")


def test_the_command_prints_it(cli, tmp_path):
    code, out, _err = cli("case", "add", "--json", stdin=json.dumps(complaint()))
    assert code == 0
    no = json.loads(out)["case_no"]
    target = tmp_path / "登记表.pdf"
    code, _out, err = cli("print", "registration", no, "-o", str(target))
    assert code == 0, err
    text = plain(target.read_bytes())
    assert "投诉登记表" in text and "13900001234" in text and "消费者签名：" in text
    code, _out, _err = cli("print", "registration", no, "--masked", "-o", str(tmp_path / "外送.pdf"))
    assert code == 0 and "13900001234" not in plain((tmp_path / "外送.pdf").read_bytes())
    code, out, _err = cli("register", "--json")
    assert [e["prints"] for e in json.loads(out) if e["kind"] == "registration"] == [2]
    code, _out, err = cli("print", "registration", "19990101-0001", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "Traceback" not in err and not (tmp_path / "x.pdf").exists()
    code, _out, err = cli("print", "registration", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "请给出案件编号" in err

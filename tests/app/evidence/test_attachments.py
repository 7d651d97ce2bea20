"""Evidence kept with a case: attach, list, export byte for byte, refusals, a changed blob, purge, backup."""
import io
import json
import re

import pytest
from sqlalchemy import text

from app.core.errors import FieldError, InputError
from app.evidence import attachments
from tests.conftest import complaint
from tests.evidence_files import jpeg, pdf, png

ATTACHMENT_KEYS = {"id", "name", "label", "sha256", "bytes", "added_at", "staff"}


def _case(cli) -> str:
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint(), ensure_ascii=False))
    assert code == 0, err
    return json.loads(out)["case_no"]


def test_attach_show_and_get_back_byte_for_byte(cli, tmp_path):
    no = _case(cli)
    photo, invoice = tmp_path / "坏了的锁.jpg", tmp_path / "发票.pdf"
    photo.write_bytes(jpeg())
    invoice.write_bytes(pdf())
    code, out, err = cli("attach", no, str(photo), str(invoice), "--label", "product_photo", "--json")
    assert code == 0, err
    added = json.loads(out)
    assert [a["name"] for a in added] == ["坏了的锁.jpg", "发票.pdf"]
    code, out, _ = cli("case", "show", no, "--json")
    shown = json.loads(out)["attachments"]
    assert all(set(a) == ATTACHMENT_KEYS for a in shown)
    assert shown[0]["sha256"] == attachments.sha256(photo.read_bytes())
    assert shown[0]["bytes"] == photo.stat().st_size and shown[0]["label"] == "product_photo"
    assert shown[0]["added_at"].endswith("+08:00") and shown[0]["staff"]
    target = tmp_path / "out.pdf"
    code, out, err = cli("attachment", "get", no, str(shown[1]["id"]), "-o", str(target))
    assert code == 0, err
    assert target.read_bytes() == invoice.read_bytes()
    code, out, _ = cli("audit", "--json")
    assert any(e["action"] == "export" and "发票.pdf" in e["detail"] for e in json.loads(out))


@pytest.mark.parametrize("name, content, words", [
    ("empty.jpg", b"", "0 字节"),
    ("notes.txt", b"hello", "不是可作附件的类型"),
    ("photo.jpg", png(), "内容与扩展名不符"),
    ("scan.pdf", b"this is no pdf at all", "内容不是可识别"),
])
def test_refused_files_store_nothing(desk, name, content, words):
    no = desk.cases.add(complaint())["case_no"]
    with pytest.raises(InputError) as e:
        desk.attachments.add(no, [("good.png", png()), (name, content)])
    assert words in str(e.value) and "没有保存" in str(e.value)
    assert desk.attachments.list(no) == []  # the good one was not stored either: all or nothing


def test_over_20_mb_refused_before_reading(cli, tmp_path):
    no = _case(cli)
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:
        fh.write(jpeg())
        fh.truncate(20 * 1024 * 1024 + 1)
    code, out, err = cli("attach", no, str(big))
    assert code == 1 and "超过每个附件 20 MB 的上限" in err and "【file】" in err
    code, out, _ = cli("case", "show", no, "--json")
    assert json.loads(out)["attachments"] == []


def test_content_type_is_detected_from_the_bytes():
    assert attachments.detect(jpeg()) == "jpeg" and attachments.detect(png()) == "png"
    assert attachments.detect(pdf()) == "pdf"
    assert attachments.detect(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert attachments.detect(b"\x00\x00\x00\x18ftypheic\x00\x00") == "heic"
    assert attachments.detect(b"GIF89a....") == "gif"
    assert attachments.detect(b"PK\x03\x04") is None
    assert attachments.check("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00") == "heic"


def test_thumbnail_for_images_only(desk):
    no = desk.cases.add(complaint())["case_no"]
    photo, doc = desk.attachments.add(no, [("a.jpg", jpeg(2000, 1000)), ("b.pdf", pdf())])
    thumb = desk.attachments.thumbnail(no, photo["id"])
    import io

    from PIL import Image

    with Image.open(io.BytesIO(thumb)) as im:
        assert max(im.size) == attachments.THUMB_PX and im.size[0] > im.size[1]
    assert desk.attachments.thumbnail(no, doc["id"]) is None


def test_large_files_are_chunked_and_come_back_whole(desk, store):
    no = desk.cases.add(complaint())["case_no"]
    data = jpeg() + bytes(range(256)) * 12000  # ~3 MB, still a JPEG by its first bytes
    att = desk.attachments.add(no, [("big.jpg", data)])[0]
    with store.read() as s:
        chunks = s.execute(text("SELECT count(*) FROM attachment_chunks WHERE attachment_id = :i"),
                           {"i": att["id"]}).scalar()
    assert chunks == 3
    assert desk.attachments.open(no, att["id"]) == data


def test_changed_blob_is_reported_and_not_exported(desk, store, tmp_path):
    no = desk.cases.add(complaint())["case_no"]
    att = desk.attachments.add(no, [("receipt.png", png())], label="receipt")[0]
    with store.write() as s:  # someone edits the stored bytes behind the desk's back
        s.execute(text("UPDATE attachment_chunks SET data = :d WHERE attachment_id = :i"),
                  {"d": b"E2" + bytes(64), "i": att["id"]})
    assert desk.attachments.verify(no)[0]["intact"] is False
    with pytest.raises(FieldError, match="已被改动"):
        desk.attachments.export(no, att["id"], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.sqlite_only
def test_hashes_verified_after_backup_and_restore(desk, store, tmp_path):
    no = desk.cases.add(complaint())["case_no"]
    added = desk.attachments.add(no, [("a.jpg", jpeg()), ("b.pdf", pdf())])
    desk.backup.to_file(tmp_path / "with-evidence.ldbk")  # the attachments live in the database: backed up
    with store.write() as s:  # after the backup the stored photo is damaged
        s.execute(text("UPDATE attachment_chunks SET data = :d WHERE attachment_id = :i"),
                  {"d": b"E2" + bytes(80), "i": added[0]["id"]})
    assert [a["intact"] for a in desk.attachments.verify(no)] == [False, True]
    desk.backup.restore(tmp_path / "with-evidence.ldbk")
    checked = desk.attachments.verify(no)
    assert [a["sha256"] for a in checked] == [a["sha256"] for a in added]
    assert all(a["intact"] for a in checked)
    assert attachments.sha256(desk.attachments.open(no, added[0]["id"])) == added[0]["sha256"]


def test_stored_bytes_are_encrypted(desk, store):
    no = desk.cases.add(complaint())["case_no"]
    marker = b"INVOICE-NUMBER-0042-PLAINTEXT"
    att = desk.attachments.add(no, [("inv.pdf", pdf() + marker)])[0]
    with store.read() as s:
        blob = b"".join(bytes(r[0]) for r in s.execute(
            text("SELECT data FROM attachment_chunks WHERE attachment_id = :i ORDER BY seq"), {"i": att["id"]}))
    assert blob[:2] == b"E2" and marker not in blob and b"%PDF" not in blob
    assert desk.attachments.open(no, att["id"]).endswith(marker)


def test_retention_purge_removes_the_attachments(desk, cli):
    import datetime as dt

    tz = dt.timezone(dt.timedelta(hours=8))
    closed = dt.datetime(2022, 3, 1, 10, tzinfo=tz)
    no = desk.cases.add(complaint(received_at=(closed - dt.timedelta(days=20)).isoformat(),
                                  purchase_date="2022-02-01"))["case_no"]
    desk.attachments.add(no, [("a.jpg", jpeg())])
    desk.cases.move(no, "accepted", at=(closed - dt.timedelta(days=19)).isoformat())
    desk.cases.move(no, "referred", reason="转消保委", referred_to="council", at=(closed - dt.timedelta(days=5)).isoformat())
    desk.cases.follow_up(no, "satisfied", at=(closed - dt.timedelta(days=1)).isoformat())
    desk.cases.move(no, "closed", at=closed.isoformat())
    code, out, err = cli("purge", "--closed-before", "2023-01-01", "--json")
    assert code == 0, err
    assert desk.attachments.list(no) == []
    assert any("附件 1 个" in e["note"] for e in desk.cases.show(no).as_json()["events"])


def test_council_package_lists_attachments_without_names(desk):
    import json as json_module
    import zipfile

    import jsonschema

    from app.district import council

    no = desk.cases.add(complaint(received_at="2026-10-05T10:00:00+08:00", purchase_date="2026-10-01"))["case_no"]
    added = desk.attachments.add(no, [("王某兰的发票.jpg", jpeg())], label="invoice")[0]
    desk.council.keys()
    package = desk.council.package("2026-10")
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        raw = z.read("package.json").decode("utf-8")
    data = json_module.loads(raw)
    jsonschema.validate(data, json_module.loads(council.schema_path().read_text(encoding="utf-8")))
    row = next(r for r in data["cases"] if r["case_no"] == no)
    assert row["attachments"] == [{"label": "invoice", "sha256": added["sha256"], "bytes": added["bytes"]}]
    assert "王某兰的发票" not in raw


def test_receipt_lists_the_materials_received(desk):
    from app.printing.render import page_texts

    no = desk.cases.add(complaint())["case_no"]
    assert "材料清单" not in page_texts(desk.documents.receipt_pdf(no))[0]  # nothing received: no row
    desk.attachments.add(no, [("inv.jpg", jpeg())], label="invoice")
    desk.attachments.add(no, [("p1.jpg", jpeg()), ("p2.png", png())], label="product_photo")
    pages = page_texts(desk.documents.receipt_pdf(no))
    assert len(pages) == 1
    assert "材料清单" in pages[0] and "发票 1 份" in pages[0] and "商品照片 2 份" in pages[0]


def test_referral_lists_hashes_and_prints_images_as_pages(desk, cli, tmp_path):
    import pypdfium2

    from app.printing.render import page_texts

    no = desk.cases.add(complaint())["case_no"]
    desk.cases.move(no, "accepted")
    desk.cases.move(no, "referred", reason="经营者拒不配合调解", referred_to="council")
    photo, scan = desk.attachments.add(no, [("王某兰-锁.jpg", jpeg(1600, 1200)), ("发票扫描.pdf", pdf())],
                                       label="product_photo")
    plain = page_texts(desk.documents.referral_pdf(no))
    text = re.sub(r"[\s　]", "", "".join(plain))
    assert photo["sha256"] in text and scan["sha256"] in text  # printed in groups of 8 over two lines
    assert "1．商品照片（JPEG照片" in text and "王某兰" not in text  # file names may carry personal data
    code, out, err = cli("print", "referral", no, "--with-images", "-o", str(tmp_path / "r.pdf"))
    assert code == 0, err
    with_images = (tmp_path / "r.pdf").read_bytes()
    pages = page_texts(with_images)
    assert len(pages) == len(plain) + 1  # the PDF scan is listed, only the photo is printed
    assert f"附件 1：商品照片（案件 {no}）" in pages[-1]
    doc = pypdfium2.PdfDocument(with_images)
    kinds = [obj.type for obj in doc[len(pages) - 1].get_objects()]
    assert pypdfium2.raw.FPDF_PAGEOBJ_IMAGE in kinds


def test_watch_folder_setting_must_exist(desk, tmp_path):
    with pytest.raises(InputError, match="不存在"):
        desk.settings.put({"attachments.watch_folder": str(tmp_path / "nowhere")})
    desk.settings.put({"attachments.watch_folder": str(tmp_path)})
    assert desk.settings.all()["attachments.watch_folder"] == str(tmp_path)


def test_relabel_is_audited(desk):
    no = desk.cases.add(complaint())["case_no"]
    att = desk.attachments.add(no, [("x.png", png())])[0]
    assert desk.attachments.set_label(no, att["id"], "chat")["label"] == "chat"
    with pytest.raises(FieldError, match="附件类别"):
        desk.attachments.set_label(no, att["id"], "selfie")
    assert any("类别其他改为聊天记录" in e["detail"] for e in desk.audit.entries())


def test_only_the_member_who_added_it_or_a_supervisor_removes_it(desk):
    from app.staff.identity import Refused

    no = desk.cases.add(complaint())["case_no"]
    att = desk.attachments.add(no, [("a.png", png())])[0]  # added by 测试员, a supervisor
    desk.accounts.add("liming", "李明", "staff", "liming-pass")
    desk.accounts.sign_in("liming", "liming-pass")
    with pytest.raises(Refused, match="只有添加者本人或负责人"):
        desk.attachments.remove(no, att["id"])
    mine = desk.attachments.add(no, [("b.png", png())])[0]
    desk.attachments.remove(no, mine["id"])
    assert [a["name"] for a in desk.attachments.list(no)] == ["a.png"]

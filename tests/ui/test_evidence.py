"""Evidence in the window: attach by file dialog, drop, Ctrl+V and watched folder; phone upload; 电话查询; register."""
import json
import urllib.request
import warnings
from urllib.parse import quote

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from app.printing.render import page_texts
from tests.conftest import complaint
from tests.evidence_files import jpeg, pdf, png
from ui.case_view import CaseView


def _view(qtbot, desk, **kw) -> CaseView:
    no = desk.cases.add(complaint(**kw))["case_no"]
    view = CaseView(desk, no)
    qtbot.addWidget(view)
    view.show()
    return view


def _stored(desk, no) -> list[dict]:
    return desk.attachments.list(no)


def test_attach_from_the_file_dialog_in_the_background(qtbot, desk, tmp_path, monkeypatch):
    view = _view(qtbot, desk)
    photo = tmp_path / "锁坏了.jpg"
    photo.write_bytes(jpeg())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo)], ""))
    view.evidence.label.set_code("product_photo")
    qtbot.mouseClick(view.evidence.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.evidence.count() == 1, timeout=5000)
    assert view.tabs.tabText(view.tabs.indexOf(view.evidence)) == "证据材料（1）"
    stored = _stored(desk, view.case_no)
    assert [(a["name"], a["label"]) for a in stored] == [("锁坏了.jpg", "product_photo")]
    qtbot.waitUntil(lambda: not view.evidence.thumbnails_pending, timeout=5000)  # drawn after storing
    assert desk.attachments.thumbnail(view.case_no, stored[0]["id"]) is not None


def test_drop_files_on_the_case_window(qtbot, desk, tmp_path):
    view = _view(qtbot, desk)
    files = [tmp_path / "发票.pdf", tmp_path / "聊天.png"]
    files[0].write_bytes(pdf())
    files[1].write_bytes(png())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    with warnings.catch_warnings():  # PySide marks the QPoint constructor deprecated; Qt has no other
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(view, enter) and enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, drop)
    qtbot.waitUntil(lambda: len(_stored(desk, view.case_no)) == 2, timeout=5000)
    assert {a["name"] for a in _stored(desk, view.case_no)} == {"发票.pdf", "聊天.png"}


def test_paste_a_screenshot_with_ctrl_v(qtbot, desk):
    view = _view(qtbot, desk)
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("seagreen"))
    QApplication.clipboard().setImage(image)
    view.evidence.label.set_code("chat")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.tabs.setFocus()  # on the overview tab: Ctrl+V works anywhere in the case window
    qtbot.keyClick(view.tabs, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_stored(desk, view.case_no)) == 1, timeout=5000)
    a = _stored(desk, view.case_no)[0]
    assert a["name"].startswith("粘贴图片-") and a["name"].endswith(".png") and a["label"] == "chat"
    got = QImage.fromData(desk.attachments.open(view.case_no, a["id"]))
    assert got.size() == image.size() and got.pixelColor(5, 5) == QColor("seagreen")


def test_watched_folder_offers_new_files_for_the_open_case(qtbot, desk, tmp_path):
    folder = tmp_path / "scanner"
    folder.mkdir()
    (folder / "old.jpg").write_bytes(jpeg())  # there before: not offered
    desk.settings.put({"attachments.watch_folder": str(folder)})
    view = _view(qtbot, desk)
    assert view.evidence.watch is not None
    (folder / "scan0001.pdf").write_bytes(pdf())
    qtbot.waitUntil(lambda: view.evidence.offer_bar.isVisible(), timeout=8000)  # its tab comes to the front
    assert "scan0001.pdf" in view.evidence.offer_text.text()
    qtbot.mouseClick(view.evidence.offer_add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_stored(desk, view.case_no)) == 1, timeout=5000)
    assert _stored(desk, view.case_no)[0]["name"] == "scan0001.pdf"
    assert not view.evidence.offer_bar.isVisible()


def test_refused_file_says_why_and_stores_nothing(qtbot, desk, tmp_path):
    view = _view(qtbot, desk)
    empty = tmp_path / "空.jpg"
    empty.write_bytes(b"")
    view.evidence.add_paths([str(empty)])
    assert "0 字节" in view.evidence.last_error
    assert _stored(desk, view.case_no) == []


def test_open_full_size_and_export_byte_for_byte(qtbot, desk, tmp_path):
    view = _view(qtbot, desk)
    data = jpeg(1200, 900)
    desk.attachments.add(view.case_no, [("photo.jpg", data)])
    view.evidence.refresh()
    view.evidence.list.setCurrentRow(0)
    view.evidence.open_current()
    assert view.evidence.viewer.image.size().width() == 1200
    view.evidence.viewer.close()
    key = view.evidence.current_key()
    view.evidence.export_to(key, str(tmp_path / "out.jpg"))
    assert (tmp_path / "out.jpg").read_bytes() == data
    assert any(e["action"] == "export" and "photo.jpg" in e["detail"] for e in desk.audit.entries())


def test_intake_form_keeps_files_until_the_case_is_saved(qtbot, desk, tmp_path):
    from tests.ui.typing import type_text
    from ui.intake_form import IntakeForm

    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    invoice = tmp_path / "发票.jpg"
    invoice.write_bytes(jpeg())
    form.evidence.label.set_code("invoice")
    form.evidence.add_paths([str(invoice)])
    assert form.evidence.count() == 1 and desk.cases.count(__import__("app.cases").cases.CaseFilter()) == 0
    type_text(qtbot, form.c_name, "王某兰")
    type_text(qtbot, form.c_phone, "13900001234")
    type_text(qtbot, form.m_name, "测试电器店（虚构）")
    form.category.set_code("appliances")
    form.nature.set_code("quality")
    type_text(qtbot, form.facts, "底座漏电")
    form.demand_boxes["refund"].setChecked(True)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result() == 1, timeout=5000)
    no = form.saved_case["case_no"]
    assert [(a["name"], a["label"]) for a in _stored(desk, no)] == [("发票.jpg", "invoice")]
    assert "发票 1 份" in page_texts(desk.documents.receipt_pdf(no))[0]


def test_phone_upload_dialog_receives_a_photo(qtbot, desk):
    from ui.phone_upload_dialog import PhoneUploadDialog

    no = desk.cases.add(complaint())["case_no"]
    dialog = PhoneUploadDialog(desk, no, host="127.0.0.1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.qr_label.pixmap().isNull() and dialog.url.startswith("http://127.0.0.1:")
    assert "剩余 9:" in dialog.status.text() or "剩余 10:" in dialog.status.text()
    req = urllib.request.Request(f"{dialog.url}?name={quote('小票.jpg')}&label=receipt", data=jpeg(), method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.loads(r.read())["ok"] is True
    qtbot.waitUntil(lambda: dialog.files.count() == 1, timeout=5000)
    assert [(a["name"], a["label"]) for a in _stored(desk, no)] == [("小票.jpg", "receipt")]
    url = dialog.url
    dialog.accept()  # closing stops the server
    try:
        urllib.request.urlopen(url, timeout=2)
        raise AssertionError("the upload page is still served after the dialog closed")
    except OSError:
        pass


def test_phone_lookup_dialog(qtbot, desk):
    from ui.main_window import MainWindow
    from ui.phone_lookup_dialog import PhoneLookupDialog

    window = MainWindow(desk)
    qtbot.addWidget(window)
    assert window.lookup_action.shortcut().toString() == "F6"
    no = desk.cases.add(complaint(received_at="2026-11-20T10:15:00+08:00"))["case_no"]
    code = desk.cases.show(no)["check_code"]
    dialog = PhoneLookupDialog(desk, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.case_no, no)
    qtbot.keyClicks(dialog.code, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY")
    qtbot.mouseClick(dialog.find, Qt.MouseButton.LeftButton)
    assert "查询码不正确" in dialog.answer.text() and dialog.result is None
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code.lower())
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    text = dialog.answer.text()
    assert "登记" in text and "2026年12月1日" in text and "王某兰" not in text and "1390000" not in text


def test_print_register_from_the_case_window(qtbot, desk, tmp_path, monkeypatch):
    from ui.register_dialog import RegisterDialog

    view = _view(qtbot, desk)
    previews = []
    monkeypatch.setattr(CaseView, "_run_dialog", lambda self, d: previews.append(d) or 0)
    view.print_document("receipt")
    previews[-1].save_to(str(tmp_path / "r1.pdf"))
    view.print_document("receipt")
    assert "补打" in previews[-1].windowTitle()
    assert "补打" in page_texts(previews[-1].pdf)[0]
    previews[-1].save_to(str(tmp_path / "r2.pdf"))
    dialog = RegisterDialog(desk)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == view.case_no and "补打 1 次" in dialog.table.item(0, 5).text()
    monkeypatch.setattr("ui.register_dialog.QMessageBox.information", lambda *a: None)
    dialog.export_to(str(tmp_path / "reg.csv"))
    assert view.case_no in (tmp_path / "reg.csv").read_text(encoding="utf-8-sig")


def test_ctrl_v_in_a_text_field_still_pastes_text(qtbot, desk):
    from ui.intake_form import IntakeForm

    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    QApplication.clipboard().setText("李某")
    form.c_name.setFocus()
    qtbot.keyClick(form.c_name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert form.c_name.text() == "李某" and form.evidence.count() == 0

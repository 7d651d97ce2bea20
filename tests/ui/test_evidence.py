"""Evidence in the window: attach by file dialog, drop, Ctrl+V and watched folder; phone upload; the intake form."""
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
from ui.windows.case_view import CaseView


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
    from ui.windows.intake_form import IntakeForm

    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    invoice = tmp_path / "发票.jpg"
    invoice.write_bytes(jpeg())
    form.evidence.label.set_code("invoice")
    form.evidence.add_paths([str(invoice)])
    qtbot.waitUntil(lambda: form.evidence.count() == 1, timeout=5000)  # checked in the background
    assert desk.cases.list() == []
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
    from ui.dialogs.phone_upload_dialog import PhoneUploadDialog

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


def test_ctrl_v_in_a_text_field_still_pastes_text(qtbot, desk):
    from ui.windows.intake_form import IntakeForm

    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    QApplication.clipboard().setText("李某")
    form.c_name.setFocus()
    qtbot.keyClick(form.c_name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert form.c_name.text() == "李某" and form.evidence.count() == 0


def test_remove_a_wrongly_added_file_after_asking(qtbot, desk, monkeypatch):
    view = _view(qtbot, desk)
    desk.attachments.add(view.case_no, [("别人的照片.jpg", jpeg()), ("小票.png", png())])
    view.evidence.refresh()
    view.evidence.list.setCurrentRow(0)
    def answer(text):
        return lambda self, box: next(b for b in box.buttons() if b.text() == text)

    monkeypatch.setattr(type(view.evidence), "ask", answer("取消"))
    qtbot.mouseClick(view.evidence.remove_button, Qt.MouseButton.LeftButton)
    assert len(_stored(desk, view.case_no)) == 2
    monkeypatch.setattr(type(view.evidence), "ask", answer("移除"))
    qtbot.mouseClick(view.evidence.remove_button, Qt.MouseButton.LeftButton)
    assert [a["name"] for a in _stored(desk, view.case_no)] == ["小票.png"]
    assert view.tabs.tabText(view.tabs.indexOf(view.evidence)) == "证据材料（1）"
    assert any("移除附件：别人的照片.jpg" in e["detail"] for e in desk.audit.entries())


def test_enter_on_a_thumbnail_opens_it(qtbot, desk):
    view = _view(qtbot, desk)
    desk.attachments.add(view.case_no, [("photo.jpg", jpeg(800, 600))])
    view.evidence.refresh()
    view.tabs.setCurrentWidget(view.evidence)
    view.evidence.list.setFocus()
    view.evidence.list.setCurrentRow(0)
    qtbot.keyClick(view.evidence.list, Qt.Key.Key_Return)
    assert view.evidence.viewer.isVisible() and view.evidence.viewer.image.width() == 800
    view.evidence.viewer.close()

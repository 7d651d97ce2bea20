"""The district in the window: 告知经营者 and the reply in the case window, 答复率 in the registry,
投诉信息公示 in the poster studio, 报送消保委 and 合并各联络点报送 from 统计与热点."""
import zipfile

from PySide6.QtCore import Qt

from tests.conftest import complaint
from tests.pdf_checks import body as plain
from tests.ui.test_main_window import answer_with
from tests.ui.typing import in_background
from ui.widgets import pdf_preview
from ui.windows import case_view


def test_merchant_request_and_reply_in_the_case_window(qtbot, desk, monkeypatch):
    no = desk.cases.add(complaint(merchant={"name": "窗口电器行（虚构）"}))["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    assert "merchant-request" in view.print_actions
    assert not view.task_buttons["merchant_reply"].isVisibleTo(view)
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    view.print_actions["merchant-request"].trigger()
    in_background(qtbot)
    assert shown and shown[0].startswith("告知经营者")
    reply = desk.merchant_requests.status(no)
    assert reply["level"] in ("ok", "soon") and reply["replied_on"] is None
    assert view.task_buttons["merchant_reply"].isVisibleTo(view)
    monkeypatch.setattr(case_view.CaseView, "_run_dialog", answer_with({"text": "同意全额退款"}))
    qtbot.mouseClick(view.task_buttons["merchant_reply"], Qt.MouseButton.LeftButton)
    reply = desk.merchant_requests.status(no)
    assert reply["reply"] == "同意全额退款" and reply["on_time"] is True
    assert any("同意全额退款" in (view.history_table.item(r, 3).text()) for r in range(view.history_table.rowCount()))

    from ui.windows.merchant_window import COLUMNS, MerchantWindow

    window = MerchantWindow(desk)
    qtbot.addWidget(window)
    col = COLUMNS.index("答复率")
    qtbot.waitUntil(lambda: window.table.rowCount() > 0 and not window.loading, timeout=10000)  # read in the background
    row = next(r for r in range(window.table.rowCount()) if window.table.item(r, 0).text() == "窗口电器行（虚构）")
    assert window.table.item(row, col).text() == "100%（1/1）"


def test_disclosure_in_the_poster_studio(qtbot, desk):
    from ui.windows.poster_editor import DISCLOSURE, PosterEditor

    desk.cases.add(complaint(merchant={"name": "公示一号店（虚构）"}))
    editor = PosterEditor(desk)
    qtbot.addWidget(editor)
    assert not editor.period.isVisibleTo(editor)
    editor.template.setCurrentIndex(editor.template.findData(DISCLOSURE))
    assert editor.period.isVisibleTo(editor)
    qtbot.waitUntil(lambda: editor.pdf is not None and "投诉信息公示" in plain(editor.pdf), timeout=10000)
    text = plain(editor.pdf)
    assert "公示一号店" in text and "王某兰" not in text
    editor.paper.setCurrentText("A3")
    qtbot.waitUntil(lambda: "A3" in editor.pages_label.text(), timeout=10000)


def test_council_package_and_merge_windows(qtbot, desk, tmp_path):
    from ui.windows.council_window import CouncilMergeDialog, CouncilPackageDialog
    from ui.windows.dashboard import Dashboard

    desk.cases.add(complaint())
    board = Dashboard(desk)
    qtbot.addWidget(board)
    package = CouncilPackageDialog(desk, board, board.month.text())
    qtbot.addWidget(package)
    assert not package.qr.pixmap().isNull() and package.public_key.text().startswith("ed25519:")
    target = tmp_path / "point.zip"
    package.package_to(str(target))
    in_background(qtbot)
    assert "package.json" in zipfile.ZipFile(target).namelist()
    key_file = tmp_path / "point.pub"
    key_file.write_text(desk.council.key_file_text(package.keys), encoding="utf-8")

    merge = CouncilMergeDialog(desk, board)
    qtbot.addWidget(merge)
    merge.add_files([str(target)])
    merge.merge()
    in_background(qtbot)
    assert merge.district is None
    assert "未登记为可信" in merge.refusals.text() and "point.zip" in merge.refusals.text()
    assert merge.trust_file(str(key_file)) and merge.trusted.rowCount() == 1
    merge.merge()
    in_background(qtbot)
    assert merge.district is not None
    assert merge.points.rowCount() == 2 and merge.points.item(1, 0).text() == "合计"
    assert merge.points.item(0, 2).text() == "1"
    assert all(w.renderer().isValid() for w in merge.charts.values())
    assert "各联络点消费投诉汇总" in plain(merge.district_pdf())
    changed = tmp_path / "changed.zip"
    blob = bytearray(target.read_bytes())
    blob[len(blob) // 2] ^= 1
    changed.write_bytes(bytes(blob))
    merge.add_files([str(changed)])
    merge.merge()
    in_background(qtbot)  # each package stands alone: the good one merged, the changed one named
    assert merge.district is not None and len(merge.district["points"]) == 1
    assert "changed.zip" in merge.refusals.text() and "其余已合并" in merge.refusals.text()

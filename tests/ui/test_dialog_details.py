"""Qt's own dialogs in Chinese, dates written the Chinese way, and file dialogs that start where the clerk keeps
files (the folder last used, else Documents), never the program's working folder; printing to a PDF file asks
where and the preview says where it went."""
from pathlib import Path

from PySide6.QtCore import QDate, QLocale
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDateEdit, QFileDialog, QLabel

from tests.conftest import complaint
from tests.ui.typing import when_modal
from ui.translations import EXTRA, QT_FILES, install_chinese
from ui.widgets.pdf_preview import PdfPreview


def test_qt_s_file_dialog_and_dates_are_in_chinese(qtbot, qapp):
    assert set(install_chinese(qapp)) == {*QT_FILES, EXTRA}
    dialog = QFileDialog(None, "选择文件", str(Path.home()), "表格 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    # "&Look in:" and "Files of &type:" stayed English with qtbase_zh_CN.qm alone
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    assert not [t for t in labels if any("a" <= ch.lower() <= "z" for ch in t.replace("&", "")
                                         .replace("(L)", "").replace("(T)", "").replace("(N)", ""))], labels
    assert QLocale().name() == "zh_CN"
    day = QDateEdit(QDate(2026, 12, 8))
    qtbot.addWidget(day)
    assert day.text() == "2026/12/8"  # not "8 12 2026"


def _answer_save(where: Path, seen: dict, key: str):
    def answer(dialog):
        seen[key] = Path(dialog.directory().absolutePath())
        dialog.selectFile(str(where))
        dialog.accept()
    return answer


def test_saving_starts_in_documents_then_where_the_last_file_went(qtbot, desk, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # user-dirs.dirs: none, Documents by default
    program = tmp_path / "program"
    program.mkdir()
    monkeypatch.chdir(program)  # where the desk was started from: never offered
    pdf = desk.documents.receipt_pdf(desk.cases.add(complaint())["case_no"])
    preview = PdfPreview(pdf, "回执", "回执.pdf")
    qtbot.addWidget(preview)
    seen: dict = {}
    out = tmp_path / "给消费者" / "回执1.pdf"
    out.parent.mkdir()
    state = when_modal(_answer_save(out, seen, "first"), after=preview)
    preview.save_as()
    assert state["done"] and seen["first"] == home / "Documents"
    assert out.read_bytes() == pdf
    assert preview.where.text() == f"已保存到 {out}"
    # The next dialog (another document, another window) opens where the last file went.
    again = PdfPreview(pdf, "回执", "回执2.pdf")
    qtbot.addWidget(again)
    state = when_modal(_answer_save(out.with_name("回执2.pdf"), seen, "second"), after=again)
    again.save_as()
    assert state["done"] and seen["second"] == out.parent
    assert not list(program.iterdir())


def test_printing_to_a_pdf_file_asks_where_and_says_where_it_went(qtbot, desk, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    pdf = desk.documents.receipt_pdf(desk.cases.add(complaint())["case_no"])
    preview = PdfPreview(pdf, "投诉登记回执", "回执.pdf")
    qtbot.addWidget(preview)
    out = tmp_path / "打印" / "回执.pdf"
    out.parent.mkdir()
    seen: dict = {}

    def print_dialog(dialog):
        assert isinstance(dialog, QPrintDialog)
        dialog.printer().setOutputFileName(str(tmp_path / "home" / "投诉登记回执.pdf"))  # Qt's own default
        when_modal(_answer_save(out, seen, "save"), after=dialog)
        dialog.accept()

    state = when_modal(print_dialog, after=preview)
    preview.print_document()
    assert state["done"] and seen["save"] == tmp_path / "home"  # no Documents folder there: home
    assert out.read_bytes() == pdf  # the document itself, not a picture of it
    assert not (tmp_path / "home" / "投诉登记回执.pdf").exists()  # nothing written silently to HOME
    assert preview.where.text() == f"已保存到 {out}"

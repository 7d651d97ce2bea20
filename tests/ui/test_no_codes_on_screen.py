"""No visible text of any window or dialog holds a code value (on_site, store, basically_satisfied…) or an
English word: everything the clerk reads is Chinese (key names and a few abbreviations excepted)."""
import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabWidget,
)

from tests.ui.screens import fill, windows
from ui.labels import code_labels
from ui.translations import install_chinese

# Words that may appear: key names in shortcuts, paper sizes, file kinds, the regulator's abbreviations.
ALLOWED = {"Ctrl", "Alt", "Shift", "Esc", "Enter", "Tab", "Del", "PgUp", "PgDown", "Return", "Space", "F1", "F5",
           "F6", "PDF", "A4", "A3", "Excel", "CSV", "xlsx", "csv", "jsonl", "pdf", "USCC", "URL", "QR",
           "MB", "KB", "JPG", "PNG", "GIF", "WebP", "HEIC", "SHA",  # file sizes and types as the files say them
           "backups"}  # the backup folder's name on disk, which the clerk may look for
# Widgets that show data, not words of the desk: the 查询码, the files' own names, the upload address.
DATA = {"check_code", "evidence_strip", "upload_url"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def visible_texts(root) -> list[tuple[str, str]]:
    """(where, text) of everything a clerk can read in a window."""
    texts = [("title", root.windowTitle())]
    if isinstance(root, QMainWindow):
        for menu_action in root.menuBar().actions():
            texts.append(("menu", menu_action.text()))
            for act in menu_action.menu().actions() if menu_action.menu() else []:
                texts += [("menu item", act.text()), ("tooltip", act.toolTip())]
    for w in root.findChildren(QLabel):
        if w.isVisibleTo(root) and w.objectName() not in DATA:
            texts.append(("label", re.sub(r"<[^>]+>", "", w.text())))
    for w in root.findChildren(QAbstractButton):
        if w.isVisibleTo(root):
            texts += [("button", w.text()), ("tooltip", w.toolTip())]
    for w in root.findChildren(QGroupBox):
        texts.append(("group", w.title()))
    for w in root.findChildren(QTabWidget):
        texts += [("tab", w.tabText(i)) for i in range(w.count())]
    for w in root.findChildren(QComboBox):
        if w.isVisibleTo(root):
            texts += [("choice", w.itemText(i)) for i in range(w.count())]
    for w in root.findChildren(QLineEdit):
        if w.isVisibleTo(root):
            texts.append(("placeholder", w.placeholderText()))
    for w in root.findChildren(QAbstractItemView):
        model = w.model()
        if model is None or not w.isVisibleTo(root) or w.objectName() in DATA:
            continue
        from PySide6.QtCore import QAbstractListModel, Qt

        # a list model (the evidence strip) has one column and hides columnCount
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
        texts += [("header", str(model.headerData(c, Qt.Orientation.Horizontal) or "")) for c in range(columns)]
        for r in range(min(model.rowCount(), 30)):
            texts += [("cell", str(model.data(model.index(r, c)) or "")) for c in range(columns)]
    return texts


def english(text: str) -> list[str]:
    """Latin words in a text that are neither allowed nor part of a key sequence like Ctrl+N."""
    text = re.sub(r"\b(Ctrl|Alt|Shift)\+\S+", "", text)
    text = re.sub(r"\(&?[A-Z]\)|&", "", text)  # Alt letters: 受理(&A) shows 受理(A)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def test_every_window_speaks_chinese(qtbot, qapp, desk, monkeypatch):
    monkeypatch.setenv("LOGNAME", "李晓")  # the staff name shown is the person's, not a code
    install_chinese(qapp)
    cases = fill(desk)
    problems = []
    for name, widget in windows(desk, cases):
        qtbot.addWidget(widget)
        widget.show()
        for where, text in visible_texts(widget):
            codes_shown = [w for w in WORD.findall(text) if "_" in w and w in code_labels()]
            bad = english(text)
            if codes_shown or bad:
                problems.append(f"{name} {where}: {text!r}")
        widget.close()
    assert not problems, "\n".join(problems)

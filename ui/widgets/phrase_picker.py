"""常用语 in any text box: Ctrl+空格, or // typed after Chinese text, a space or at the start of a line
(、、 with the Chinese input method on; after a Latin letter, digit or sign, as in http://, it stays text),
opens a small list of the phrases that apply there. Typing filters it by title or text, ↑/↓ choose, Enter
inserts at the cursor (in place of the // typed), Esc closes.

    attach_phrases(edit, desk, "answer")   # any QPlainTextEdit / QTextEdit; kinds: codes.PHRASE_FOR
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.desk import Desk, Phrase

TRIGGERS = ("//", "、、")  # the second: // typed while the Chinese input method is on
HINT = "常用语：按 Ctrl+空格，或输入 //"
TextBox = QPlainTextEdit | QTextEdit


class PhrasePopup(QFrame):
    """The filtered list under the cursor of a text box; it inserts into that box and closes."""

    def __init__(self, edit: TextBox, phrases: list[Phrase], matching: Callable[[list[Phrase], str], list[Phrase]],
                 replace: int = 0):
        super().__init__(edit, Qt.WindowType.Popup)
        self.setObjectName("phrase_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.edit, self.phrases, self.matching = edit, phrases, matching
        self.replace = replace  # characters before the cursor the phrase takes the place of (the // typed)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("输入简称或内容中的字查找")
        self.filter.setAccessibleName("查找常用语")
        self.list = QListWidget()
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long lines end in …
        self.preview = QLabel()  # the chosen phrase, its first lines
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color:#333; background:#f6f6f0; padding:4px;")
        self.preview.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        hint = QLabel("↑↓ 选择　Enter 插入　Esc 关闭")
        hint.setStyleSheet("color:#666;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.filter)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.preview)
        lay.addWidget(hint)
        self.filter.textChanged.connect(self.refilter)
        self.filter.installEventFilter(self)
        self.list.installEventFilter(self)
        self.list.currentRowChanged.connect(self._show_current)
        self.list.itemActivated.connect(lambda _item: self.insert())
        self.refilter("")
        # as tall as the phrases of this box (4 to 10 lines), so a short list is a small popup
        rows = max(4, min(10, len(phrases)))
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), self.fontMetrics().lineSpacing() + 2)
                                 + 2 * self.list.frameWidth() + 2)
        self.setFixedWidth(540)
        self.adjustSize()

    def refilter(self, typed: str) -> None:
        self.shown = self.matching(self.phrases, typed)
        self.list.clear()
        for p in self.shown:
            line = p.body.replace("\n", " ")
            item = QListWidgetItem(f"{p.title}　—　{line}")
            item.setToolTip(p.body)
            self.list.addItem(item)
        if not self.shown:
            self.list.addItem(QListWidgetItem("（没有相符的常用语）"))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.setCurrentRow(0 if self.shown else -1)
        self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        p = self.current()
        text = f"{p.title}（{p.where}）：{p.body}" if p else ""
        self.preview.setText(text if len(text) <= 130 else text[:130] + "…")
        self.preview.setToolTip(p.body if p else "")

    def current(self) -> Phrase | None:
        row = self.list.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            steps = ((Qt.Key.Key_Up, -1), (Qt.Key.Key_Down, 1), (Qt.Key.Key_PageUp, -5), (Qt.Key.Key_PageDown, 5))
            step = next((n for k, n in steps if key == k), 0)
            if step and watched is self.filter:
                if self.shown:
                    self.list.setCurrentRow(max(0, min(len(self.shown) - 1, self.list.currentRow() + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.insert()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def insert(self) -> None:
        p = self.current()
        if p is None:
            return
        cursor = self.edit.textCursor()
        if self.replace:
            cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, self.replace)
        cursor.insertText(p.body)
        self.edit.setTextCursor(cursor)
        self.close()

    def closeEvent(self, event) -> None:
        super().closeEvent(event)
        self.edit.setFocus()

    def open_at_cursor(self) -> None:
        rect = self.edit.cursorRect()
        at = self.edit.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom() + 2))
        screen = self.edit.screen().availableGeometry()
        x = max(screen.left(), min(at.x(), screen.right() - self.width()))
        y = at.y() if at.y() + self.height() <= screen.bottom() else at.y() - rect.height() - self.height() - 4
        self.move(x, max(screen.top(), y))
        self.show()
        self.filter.setFocus()


class PhraseInserter(QObject):
    """Watches one text box for the key and the trigger; the phrases are read when the list opens."""

    def __init__(self, edit: TextBox, desk: Desk, applies_to: str):
        super().__init__(edit)
        if applies_to not in codes.PHRASE_FOR:
            raise ValueError(applies_to)
        self.edit, self.desk, self.applies_to = edit, desk, applies_to
        self.popup: PhrasePopup | None = None
        edit.installEventFilter(self)
        edit.document().contentsChange.connect(self._typed)
        tip = edit.toolTip()
        edit.setToolTip(f"{tip}\n{HINT}" if tip else HINT)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
                self.open()
                return True
        return super().eventFilter(watched, event)

    def _typed(self, _position: int, removed: int, added: int) -> None:
        """// (or 、、) just typed, not after a Latin letter, digit or sign, opens the list. (What the input
        method commits is reported as its block replaced: what counts is how much longer the text grew.)"""
        if not 0 < added - removed <= 2 or not self.edit.isVisible():  # typed, not pasted or filled in
            return
        doc = self.edit.document()
        end = self.edit.textCursor().position()
        before = "".join(doc.characterAt(i) for i in range(max(0, end - 3), end))
        if not any(before.endswith(t) for t in TRIGGERS):
            return
        lead = before[:-2]  # the character before: not a Latin letter, digit or sign (http:// is no trigger)
        if lead and lead.isascii() and not lead.isspace():
            return
        QTimer.singleShot(0, self, lambda: self.open(replace=2))  # after the box has taken the key

    def open(self, replace: int = 0) -> PhrasePopup:
        phrases = self.desk.phrases.list(self.applies_to)  # a few dozen rows: read when asked, always current
        if self.popup is not None:
            self.popup.close()
        self.popup = PhrasePopup(self.edit, phrases, self.desk.phrases.matching, replace)
        self.popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.popup.destroyed.connect(lambda *_a: setattr(self, "popup", None))
        self.popup.open_at_cursor()
        return self.popup


def attach_phrases(edit: QWidget, desk: Desk, applies_to: str) -> PhraseInserter:
    """Give a text box the 常用语 of its kind (answer, mediation, not_accepted, follow_up)."""
    if not isinstance(edit, (QPlainTextEdit, QTextEdit)):
        raise TypeError(f"常用语只能用于文字框，不能用于 {type(edit).__name__}")
    inserter = PhraseInserter(edit, desk, applies_to)
    edit.setProperty("phrases", applies_to)
    return inserter

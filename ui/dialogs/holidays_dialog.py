"""Entering a year's official holiday arrangement (国务院办公厅通知, published each November)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.errors import FieldError, InputError
from ui import file_dialogs
from ui.errors import error_text
from ui.widgets.fields import ErrorLabel, ask_discard


class HolidaysDialog(QDialog):
    def __init__(self, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("节假日安排")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel("按国务院办公厅公布的放假安排录入（每年11月前后公布）。录入后，该年的期限按此计算，优先于内置日历；"
                       "所有在办案件的受理、调解、告知、回访期限随即重新计算。调休上班日可以包括上一年12月的周末。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year + 1)
        self.holidays = QPlainTextEdit()
        self.holidays.setPlaceholderText("放假日期，每行一个日期或区间，如\n2027-01-01\n2027-02-05~2027-02-11")
        self.workdays = QPlainTextEdit()
        self.workdays.setPlaceholderText("调休上班的周末，如\n2026-12-26（上一年12月也可）\n2027-02-14")
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.import_button = QPushButton("从文件导入(&I)…")
        self.import_button.setToolTip("文本文件，每行“2027-01-01 休”或“2027-02-14 班”")
        self.import_button.clicked.connect(self.choose_file)
        self.updated: int | None = None  # open cases whose due dates moved, after saving
        self.source = QLineEdit()
        self.source.setPlaceholderText("如：国办发明电〔2026〕X号")
        self.error = ErrorLabel()
        form.addRow("年份", self.year)
        form.addRow("目前", self.origin)
        form.addRow("放假日期", self.holidays)
        form.addRow("调休上班日", self.workdays)
        form.addRow("依据", self.source)
        form.addRow("", self.import_button)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.year.valueChanged.connect(self.load_year)
        self.load_year()
        clear = lambda *_a: self.error.show_error("")  # noqa: E731 - a message about the last try goes with the next edit
        for edit in (self.holidays, self.workdays):
            edit.textChanged.connect(clear)
        self.source.textChanged.connect(clear)

    def _typed(self) -> tuple[str, str, str]:
        return self.holidays.toPlainText().strip(), self.workdays.toPlainText().strip(), self.source.text().strip()

    def reject(self) -> None:
        """Esc or 取消: dates typed but not saved are not thrown away without asking."""
        if self._typed() != self.loaded and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        return ask_discard(self)

    def load_year(self) -> None:
        view = self.desk.calendar.year_view(self.year.value())
        self.origin.setText(view.origin_text + ("" if view.origin != "statutory" else "（期限暂按法定节假日计算，请录入）"))
        existing = self.desk.calendar.year(self.year.value())
        holidays, workdays = existing or ([], [])
        self.holidays.setPlainText("\n".join(d.isoformat() for d in holidays))
        self.workdays.setPlainText("\n".join(d.isoformat() for d in workdays))
        self.loaded = self._typed()

    def save(self) -> None:
        """Checked here, saved in the background: every open case's due dates are worked out again."""
        from app.core.changes import Changes
        from ui.ops import ChangeOp

        try:
            holidays = self.desk.calendar.parse_days(self.holidays.toPlainText(), "放假日期")
            workdays = self.desk.calendar.parse_days(self.workdays.toPlainText(), "调休上班日")
            if not holidays:
                raise FieldError("放假日期", "请至少填写一个放假日期")
        except (FieldError, InputError) as e:
            self.error.show_error(error_text(e))
            return
        desk, year, source = self.desk, self.year.value(), self.source.text().strip()

        def saved(updated: int) -> None:
            self.updated = updated
            self.accept()

        ChangeOp(self, lambda _p: desk.calendar.save_year(year, holidays, workdays, source), Changes(calendar=True),
                 saved).failure(lambda e: self.error.show_error(error_text(e))) \
            .with_progress("正在保存并重算在办案件的期限…").run_in_background()

    def choose_file(self) -> None:
        path = file_dialogs.open_file(self, "选择放假安排文件", "文本文件 (*.txt);;所有文件 (*)")
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        """Fill the fields from a file of `YYYY-MM-DD 休|班` lines (checked, not yet saved)."""
        from pathlib import Path

        try:
            rest, work = self.desk.calendar.parse_file(Path(path).read_text(encoding="utf-8-sig"), self.year.value())
        except (FieldError, InputError) as e:
            self.error.show_error(error_text(e))
            return
        except (OSError, UnicodeDecodeError):
            self.error.show_error("无法读取该文件，请选择 UTF-8 文本文件")
            return
        self.holidays.setPlainText("\n".join(d.isoformat() for d in rest))
        self.workdays.setPlainText("\n".join(d.isoformat() for d in work))
        self.error.show_error("")

"""F1: the sheet of every shortcut, read from the window's own actions so it is never out of date."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.widgets.fields import fit_to_screen

# Keys that belong to a form or a dialog rather than to a menu action.
IN_FORMS = [
    ("各窗口", "Ctrl+L", "锁定工作台（本人或负责人的密码解锁，未保存的内容都保留）"),
    ("登记表", "Alt+1 / Alt+2 / Alt+3", "选择类型：投诉 / 咨询 / 举报"),
    ("登记表", "Ctrl+S 或 Ctrl+Enter", "保存并打印回执"),
    ("登记表", "Ctrl+E", "修改登记时间（默认为当前时间）"),
    ("各表单", "Esc", "取消（已填写内容时先询问）"),
    ("答复、调解、回访的文字框", "Ctrl+Space 或 //", "插入常用语（输入简称或内容查找，↑↓ 选择，Enter 插入）"),
    ("查找框", "Enter / ↓", "打开第一件 / 进入结果列表"),
    ("案件窗口", "Ctrl+Tab / Ctrl+Shift+Tab", "切换页签"),
    ("案件窗口", "Alt+带下划线的字", "办理相应步骤（受理、调解、回访、办结…）"),
    ("预览", "Ctrl+P", "打印"),
    ("预览", "Ctrl+= / Ctrl+- / Ctrl+0", "放大 / 缩小 / 适合页宽"),
]


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Iterable[QAction], parent=None):
        super().__init__(parent)
        self.setWindowTitle("快捷键一览")
        rows = [("菜单", a.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                 a.text().replace("&", "").split("(")[0].rstrip("…"))
                for a in actions if not a.shortcut().isEmpty()]
        rows += IN_FORMS
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["位置", "按键", "作用"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table = table
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        fit_to_screen(self, 620, 640)

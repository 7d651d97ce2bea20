"""The 备份 menu: back up now, restore (supervisor), the backup folder, purge and the recovery key; the daily backup."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.changes import Changes
from ui import file_dialogs
from ui.errors import error_text
from ui.ops import ChangeOp, QueryOp

HOUR_MS = 60 * 60 * 1000


class BackupMenu(QObject):
    """Adds the 备份 menu to a main window; works on the window's desk once it is attached."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu("备份(&B)")
        menu.setToolTipsVisible(True)  # why a supervisor's task is greyed out
        self.menu = menu
        self.backup_action = self._add("立即备份", self.backup_now)
        self.restore_action = self._add("恢复备份…（负责人）", self.choose_restore)
        self._add("打开备份文件夹", self.open_folder)
        menu.addSeparator()
        self.purge_action = self._add("清除过期个人信息…（负责人）", self.open_purge)
        self.key_action = self._add("导出恢复密钥…（负责人）", self.export_key)
        for act in self.menu.actions():
            act.setEnabled(window.attached is not None)  # enabled by the window once the database is open
        self.timer = QTimer(self)
        self.timer.setInterval(HOUR_MS)
        self.timer.timeout.connect(self.start_daily)

    def _add(self, text: str, slot) -> QAction:
        act = QAction(text, self.window)
        act.triggered.connect(slot)
        self.menu.addAction(act)
        return act

    @property
    def desk(self):
        return self.window.desk

    # -- actions -----------------------------------------------------------------------------------
    def start_daily(self) -> QueryOp | None:
        """The day's automatic backup in the background (at start, then checked every hour); a failure
        is a line in the status bar, not a box in front of the clerk."""
        if self.window.attached is None:
            return None
        self.timer.start()
        desk, bar = self.desk, self.window.statusBar()
        return QueryOp(self.window, lambda _p: desk.backup.daily(),
                       lambda made: made and bar.showMessage(f"已自动备份到 {made}", 10000)) \
            .failure(lambda e: bar.showMessage(f"自动备份未完成：{error_text(e)}", 15000)).run_in_background()

    def backup_now(self) -> QueryOp:
        bar = self.window.statusBar()
        bar.showMessage("正在备份…")
        desk = self.desk
        return QueryOp(self.window, lambda _p: desk.backup.now(),
                       lambda r: bar.showMessage(f"已备份 {r['cases']} 件案件到 {r['file']}", 15000)) \
            .with_progress("正在备份…").run_in_background()

    def open_folder(self) -> None:
        from app.core.files import private_dir

        folder = private_dir(self.desk.backup.folder())
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def choose_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "选择要恢复的备份", str(self.desk.backup.folder()),
                                              "工作台备份 (*.ldbk)")
        if path:
            self.restore_from(path)

    def restore_from(self, path: str) -> bool:
        """Check the file, ask, restore; the list shows the restored cases afterwards."""
        from app.core.errors import FieldError

        try:
            info = self.desk.backup.inspect(path)
        except FieldError as e:
            QMessageBox.warning(self.window, "不能恢复", e.message)
            return False
        answer = QMessageBox.question(
            self.window, "恢复备份",
            f"用 {info['created_at'][:16].replace('T', ' ')} 的备份（{info['cases']} 件案件）替换当前数据库？\n"
            "当前数据库会先另存一份（文件名带时间）。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        desk = self.desk

        def restored(result: dict) -> None:
            note = "\n本机没有这份备份的数据密钥，请输入恢复密钥。" if result["key_missing"] else ""
            QMessageBox.information(self.window, "恢复备份", f"已恢复。原数据库另存为：\n{result['kept_aside']}{note}")
            if result["key_missing"]:
                self.window.ask_for_key()

        ChangeOp(self.window, lambda _p: desk.backup.restore(path), Changes(database=True), restored) \
            .failure(lambda e: QMessageBox.warning(self.window, "不能恢复", error_text(e))) \
            .with_progress("正在恢复备份…").run_in_background()
        return True

    def open_purge(self) -> None:
        from ui.dialogs.purge_dialog import PurgeDialog

        PurgeDialog(self.desk, self.window).exec()

    def export_key(self) -> None:
        from app.core.errors import FieldError

        path = file_dialogs.save_file(self.window, "导出恢复密钥", "恢复密钥.pdf", "可打印的 PDF (*.pdf);;文本 (*.txt)")
        if not path:
            return
        try:
            self.desk.keys.export(path)
        except FieldError as e:
            QMessageBox.warning(self.window, "导出恢复密钥", e.message)
            return
        QMessageBox.information(self.window, "导出恢复密钥", f"已导出到 {path}\n请妥善保管，不要与备份放在一起。")

"""Evidence of one case in the window: a strip of thumbnails; add by drop, file dialog, Ctrl+V, watched folder.

In the intake form there is no case yet: files are checked at once and held until the case is saved.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import clock, codes
from app.core.errors import FieldError, InputError
from ui import file_dialogs
from ui.errors import error_text
from ui.ops import QueryOp
from ui.widgets.fields import CodeCombo

FILTER = "照片或 PDF (*.jpg *.jpeg *.jfif *.png *.gif *.webp *.heic *.heif *.pdf)"
ICON = QSize(96, 96)


def image_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub asks bytes; PySide6 takes only str
    return bytes(buffer.data().data())


class Strip(QListWidget):
    """The thumbnails. Enter opens the current one and stops there: a list view passes Enter on to the
    dialog, whose default button (受理, 办结…) would act as well."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.itemActivated.emit(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)


class AttachmentPanel(QWidget):
    changed = Signal()
    offered = Signal()  # a file appeared in the watched folder

    def __init__(self, desk, case_no: str | None, parent: QWidget | None = None, watch_folder: str | None = None,
                 compact: bool = False, shortcut_host: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.case_no = case_no
        # intake form: (name, bytes, label, thumbnail) until the case is saved; the thumbnail is made once
        self.pending: list[tuple[str, bytes, str, bytes | None]] = []
        self.busy = False
        self.thumbnails_pending = False
        self.setAcceptDrops(True)

        self.label = CodeCombo(codes.ATTACHMENT_LABEL)
        self.label.set_code("other")  # what the clerk has not said is 其他, never a guessed 发票
        self.label.setToolTip("先选类别，再添加文件；选中已有附件后可“改为所选类别”")
        self.add_button = QPushButton("添加文件…")
        self.paste_button = QPushButton("粘贴图片 (Ctrl+V)")
        self.phone_button = QPushButton("手机上传…")
        self.open_button = QPushButton("查看")
        self.export_button = QPushButton("导出…")
        self.relabel_button = QPushButton("改为所选类别")
        self.remove_button = QPushButton("移除")
        self.add_button.clicked.connect(self.choose_files)
        self.paste_button.clicked.connect(self.paste)
        self.phone_button.clicked.connect(self.phone_upload)
        self.open_button.clicked.connect(self.open_current)
        self.export_button.clicked.connect(self.export_current)
        self.relabel_button.clicked.connect(self.relabel_current)
        self.remove_button.clicked.connect(self.remove_current)
        # In a text field Ctrl+V still pastes text (the field takes the key first); elsewhere it attaches.
        QShortcut(QKeySequence.StandardKey.Paste, shortcut_host or self,
                  context=Qt.ShortcutContext.WindowShortcut).activated.connect(self.paste)

        self.list = Strip()
        self.list.setObjectName("evidence_strip")  # file names as the files have them
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.compact = compact  # the intake form is already tall: a low strip, names only
        self.list.setIconSize(QSize(40, 40) if compact else ICON)
        self.list.setGridSize(QSize(116, 62) if compact else QSize(136, 140))
        self.list.setMovement(QListWidget.Movement.Static)
        if compact:
            self.list.setFixedHeight(72)
        else:  # a tab of its own in the case window: rows of thumbnails
            self.list.setWrapping(True)
            self.list.setMinimumHeight(150)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _i: self.open_current())  # Enter or a double click
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())

        self.hint = QLabel("把照片或 PDF 拖到这里，或用“添加文件…”、Ctrl+V 粘贴截图；每个不超过 20 MB。")
        self.hint.setStyleSheet("color:#555")
        self.offer_bar = QFrame()
        self.offer_bar.setStyleSheet("QFrame { background:#fff3cd; }")
        self.offer_text = QLabel()
        self.offer_add = QPushButton("添加到本案")
        self.offer_skip = QPushButton("忽略")
        self.offer_add.clicked.connect(self.accept_offer)
        self.offer_skip.clicked.connect(self.skip_offer)
        ob = QHBoxLayout(self.offer_bar)
        ob.setContentsMargins(6, 3, 6, 3)
        ob.addWidget(self.offer_text, 1)
        ob.addWidget(self.offer_add)
        ob.addWidget(self.offer_skip)
        self.offer_bar.hide()
        self.offers: list[str] = []

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("类别"))
        buttons.addWidget(self.label)
        for b in (self.add_button, self.paste_button, self.phone_button):
            buttons.addWidget(b)
        if compact:  # the hint goes in the button row
            self.hint.setText("拖入照片或 PDF，或 Ctrl+V 粘贴截图（每个 ≤ 20 MB）")
            buttons.addWidget(self.hint)
        buttons.addStretch(1)
        for b in (self.open_button, self.relabel_button, self.export_button, self.remove_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.offer_bar)
        layout.addWidget(self.list)
        if not compact:
            layout.addWidget(self.hint)

        self.phone_button.setVisible(case_no is not None)
        self.export_button.setVisible(case_no is not None)
        self.relabel_button.setVisible(case_no is not None)
        self.watch = None
        folder = watch_folder if watch_folder is not None else desk.settings.all().get("attachments.watch_folder", "")
        if folder and Path(folder).expanduser().is_dir():
            from ui.widgets.folder_watch import FolderWatch

            self.watch = FolderWatch(folder, desk.attachments.type_of_name, self)
            self.watch.appeared.connect(self.offer)
            self.hint.setToolTip(f"正在留意文件夹：{folder}")
            if not compact:
                self.hint.setText(self.hint.text() + f"　正在留意文件夹：{folder}")
        self.refresh()

    # -- display ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.list.clear()
        if self.case_no is None:
            for i, (name, data, label, thumb) in enumerate(self.pending):
                self._add_item(i, name, codes.ATTACHMENT_LABEL[label], self.desk.attachments.detect(data) or "", thumb)
        else:
            self.items = self.desk.attachments.list(self.case_no)
            thumbs = self.desk.attachments.thumbnails(self.case_no)
            for a in self.items:
                added = a["added_at"][:16].replace("T", " ")
                self._add_item(a["id"], a["name"], codes.label(codes.ATTACHMENT_LABEL, a["label"]),
                               a["file_type"], thumbs.get(a["id"]),
                               f"{a['bytes'] / 1024:,.0f} KB　{added} 由{a['staff']}添加\nSHA-256 {a['sha256']}")
        self._update_buttons()
        self.hint.setVisible(self.compact or self.list.count() == 0 or self.watch is not None)
        if self.compact:  # the intake form: the strip takes room only once something is in it
            self.list.setVisible(self.list.count() > 0)

    def count(self) -> int:
        return self.list.count()

    def _add_item(self, key: int, name: str, label: str, file_type: str, thumb: bytes | None,
                  detail: str = "") -> None:
        pix = QPixmap()
        if thumb:
            pix.loadFromData(thumb)
        if pix.isNull():
            pix = QPixmap(ICON)
            pix.fill(Qt.GlobalColor.white)
            from PySide6.QtGui import QPainter

            p = QPainter(pix)
            p.drawRect(0, 0, ICON.width() - 1, ICON.height() - 1)
            p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, "PDF" if file_type == "pdf" else file_type.upper())
            p.end()
        item = QListWidgetItem(QIcon(pix), name if self.compact else f"{label}\n{name}")
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(f"{label}：{name}" + (f"\n{detail}" if detail else ""))
        self.list.addItem(item)

    def _update_buttons(self) -> None:
        chosen = self.list.currentItem() is not None
        for b in (self.open_button, self.export_button, self.relabel_button, self.remove_button):
            b.setEnabled(chosen and not self.busy)
        for b in (self.add_button, self.paste_button):
            b.setEnabled(not self.busy)

    def current_key(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # -- adding ----------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths = file_dialogs.open_files(self, "添加证据材料", FILTER)
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:

        try:
            if self.case_no is not None:  # reading and storing happen off the UI thread
                self.desk.attachments.check_sizes(paths)
            else:
                files = self.desk.attachments.read_files(paths)
        except InputError as e:
            self._refused(e)
            return
        if self.case_no is None:
            self.add_files(files)
            return
        self._store_in_background(lambda no, label, progress: self.desk.attachments.add_paths(
            no, paths, label, progress=lambda d, t: progress.update(d, t), thumbnails=False))

    def add_files(self, files: list[tuple[str, bytes]]) -> None:
        """Store files in the background (the window stays responsive); the strip updates when done."""
        label = self.label.code() or "other"
        if self.case_no is None:  # the intake form: checked and thumbnailed off the UI thread, held until saved
            evidence = self.desk.attachments

            def check_all(_progress) -> tuple[list, list[FieldError]]:
                ready, errors = [], []
                for name, data in files:
                    try:
                        ready.append(evidence.prepare(name, data))
                    except FieldError as e:
                        errors.append(e)
                return ready, errors

            def held(result: tuple[list, list[FieldError]]) -> None:
                ready, errors = result
                self.busy = False
                self.pending += [(f.name, f.data, label, f.thumbnail) for f in ready]
                self.refresh()
                if errors:
                    self._refused(InputError(errors))
                self.changed.emit()

            self.busy = True
            self._update_buttons()
            QueryOp(self, check_all, held).failure(self._failed).with_progress("正在检查文件…").run_in_background()
            return
        self._store_in_background(lambda no, label, progress: self.desk.attachments.add(
            no, files, label, progress=lambda d, t: progress.update(d, t), thumbnails=False))

    def _store_in_background(self, work) -> None:
        """work(case_no, label, progress) runs on a worker thread; the strip updates when it is done."""
        label = self.label.code() or "other"
        no = self.case_no
        self.busy = True
        self._update_buttons()
        QueryOp(self, lambda progress: work(no, label, progress), self._added) \
            .failure(self._failed).with_progress("正在添加附件…").run_in_background()

    def _added(self, _added: list[dict]) -> None:
        """Stored: show them at once (placeholders), then draw their thumbnails in the background."""
        self.busy = False
        self.refresh()
        self.changed.emit()
        self.thumbnails_pending = True
        no = self.case_no
        QueryOp(self, lambda _p: self.desk.attachments.make_thumbnails(no), self._thumbnails_made) \
            .failure(lambda _e: self._thumbnails_made(0)).run_in_background()

    def _thumbnails_made(self, _count: int) -> None:
        self.thumbnails_pending = False
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        self._refused(exc)

    def _refused(self, exc: BaseException) -> None:
        self.last_error = error_text(exc)
        box = QMessageBox(QMessageBox.Icon.Warning, "附件未添加", self.last_error, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def paste(self) -> None:
        """Ctrl+V: an image on the clipboard (a screenshot) becomes a PNG attachment."""
        mime = QApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls() and all(u.isLocalFile() for u in mime.urls()):
            self.add_paths([u.toLocalFile() for u in mime.urls()])
            return
        image = QApplication.clipboard().image()
        if image.isNull():
            self._refused(FieldError("clipboard", "剪贴板里没有图片（可先截图或复制图片）"))
            return
        self.add_files([(f"粘贴图片-{clock.now():%Y%m%d-%H%M%S}.png", image_bytes(image))])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's naming
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        self.drop(event.mimeData())
        event.acceptProposedAction()

    def drop(self, mime) -> None:
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.add_paths(paths)
        elif mime.hasImage():
            self.add_files([(f"拖入图片-{clock.now():%Y%m%d-%H%M%S}.png", image_bytes(QImage(mime.imageData())))])

    # -- watched folder --------------------------------------------------------------------------
    def offer(self, path: str) -> None:
        self.offers.append(path)
        self._show_offer()
        self.offered.emit()

    def _show_offer(self) -> None:
        if not self.offers:
            self.offer_bar.hide()
            return
        more = f"（另有 {len(self.offers) - 1} 个）" if len(self.offers) > 1 else ""
        self.offer_text.setText(f"扫描文件夹出现新文件：{Path(self.offers[0]).name}{more}")
        self.offer_bar.show()

    def accept_offer(self) -> None:
        if self.offers:
            self.add_paths([self.offers.pop(0)])
        self._show_offer()

    def skip_offer(self) -> None:
        if self.offers:
            self.offers.pop(0)
        self._show_offer()

    # -- one attachment --------------------------------------------------------------------------
    def open_current(self) -> None:
        from ui.windows.attachment_viewer import AttachmentViewer

        key = self.current_key()
        if key is None:
            return
        if self.case_no is None:
            name, data, _label, _thumb = self.pending[key]
        else:
            try:
                data = self.desk.attachments.open(self.case_no, key)
            except FieldError as e:
                self._refused(e)
                return
            name = next(a["name"] for a in self.items if a["id"] == key)
        self.viewer = AttachmentViewer(name, data, self.desk.attachments, self)
        self.viewer.show()

    def export_current(self) -> None:
        key = self.current_key()
        if key is None or self.case_no is None:
            return
        name = next(a["name"] for a in self.items if a["id"] == key)
        path = file_dialogs.save_file(self, "导出附件（原样）", name)
        if path:
            self.export_to(key, path)

    def export_to(self, key: int, path: str) -> None:
        try:
            self.desk.attachments.export(self.case_no, key, path)
        except (FieldError, InputError) as e:
            self._refused(e)

    def relabel_current(self) -> None:
        key = self.current_key()
        if key is not None and self.case_no is not None:
            self.desk.attachments.set_label(self.case_no, key, self.label.code() or "other")
            self.refresh()

    def remove_current(self) -> None:
        """Take a wrongly added file out: from the form at once, from a case after asking (audited)."""
        key = self.current_key()
        if key is None:
            return
        if self.case_no is None:
            del self.pending[key]
            self.refresh()
            self.changed.emit()
            return
        name = next(a["name"] for a in self.items if a["id"] == key)
        box = QMessageBox(QMessageBox.Icon.Question, "移除附件", f"从案件中移除“{name}”？\n"
                          "移除后文件不再保存在本案中（审计记录保留其名称和 SHA-256）。", parent=self)
        remove = box.addButton("移除", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
        if self.ask(box) is not remove:
            return
        try:
            self.desk.attachments.remove(self.case_no, key)
        except (FieldError, InputError) as e:
            self._refused(e)
            return
        self.refresh()
        self.changed.emit()

    def ask(self, box: QMessageBox):
        """The button chosen in a question box (a test answers it here)."""
        box.exec()
        return box.clickedButton()

    def phone_upload(self) -> None:
        from ui.dialogs.phone_upload_dialog import PhoneUploadDialog

        if self.case_no is None:  # the button shows only for a saved case
            return
        dialog = PhoneUploadDialog(self.desk, self.case_no, self)
        dialog.received.connect(self._phone_received)
        dialog.exec()

    def _phone_received(self, _name: str) -> None:
        self.refresh()
        self.changed.emit()

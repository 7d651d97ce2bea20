"""Started by bench_desk.py: shows a window, then prints seconds since launch and memory as JSON.

mode "bare": a plain QMainWindow with a QTableView (the reference); mode "desk": our main window.
"""
import json
import os
import sys
import time


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    launched = float(os.environ["BENCH_LAUNCHED"])
    mode, db = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    result = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "shown_s" not in result:
                result["shown_s"] = time.time() - launched
                QTimer.singleShot(0, after_paint)
            return False

    app = QApplication([])
    if mode == "bare":
        window = QMainWindow()
        window.setCentralWidget(QTableView())
    else:  # exactly as ui.main starts it: the database opens right after the window shows
        from ui import fonts, ops
        from ui.windows.main_window import MainWindow

        ops.tune_collector()  # the garbage collector as the window process sets it

        fonts.apply_app_font(app)

        from bench.signed_in import open_desk

        window = MainWindow(open_desk=lambda: open_desk(db))

    def wait(condition, seconds=120):
        end = time.time() + seconds
        while not condition() and time.time() < end:
            app.processEvents()
            time.sleep(0.001)

    def after_paint():
        if mode == "desk":  # the desk opens its database and fills the first page after its first paint
            wait(lambda: window.case_model is not None and window.case_model.rowCount() > 0)
            window.table.viewport().repaint()
        result["filled_s"] = time.time() - launched
        result["rss_mib_shown"] = rss_mib()
        if mode == "desk":  # scroll through 30 pages (6,000 rows), as a user paging down would
            model = window.model
            seen = [model.rowCount()]
            model.rowsInserted.connect(lambda _parent, first, last: seen.__setitem__(0, seen[0] + last - first + 1))
            settled = lambda: not model._waiting  # noqa: E731 - no page on its way (the view asks for some itself)
            for _ in range(30):
                wait(settled)
                if not model.canFetchMore():
                    break
                model.fetchMore()
                wait(settled)
                window.table.scrollToBottom()
                app.processEvents()
            result["rows_loaded"] = seen[0]
            result["rows_kept"] = model.rowCount()
            result["rss_mib_scrolled"] = rss_mib()
        print(json.dumps(result))
        app.quit()

    window.resize(1280, 760)
    painted = FirstPaint()
    window.installEventFilter(painted)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()

"""`liaison-desk`: starts the front-desk window on the embedded database (or --db)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="liaison-desk", description="维权联络点工作台")
    parser.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（默认：用户数据文件夹中的 liaison.db）")
    parser.add_argument("--smoke-test", action="store_true",
                        help="自检：在屏幕外打开窗口和一个临时数据库，载入后退出（成功时退出码 0）")
    args, qt_args = parser.parse_known_args(argv)
    if args.smoke_test:
        return smoke_test()

    from PySide6.QtWidgets import QApplication

    from ui import fonts
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("维权联络点工作台")
    fonts.apply_app_font(app)

    def open_desk():
        # Imported here: SQLAlchemy and the calendar load after the window is on screen.
        from app.db import Store
        from app.desk import Desk

        return Desk(Store(args.db))

    window = MainWindow(open_desk=open_desk)
    window.show()
    code = app.exec()
    from ui.operations import wait_for_all

    wait_for_all()  # background work ends before the database closes
    return code


def smoke_test(timeout_ms: int = 60000) -> int:
    """Opens the window offscreen on a new database in a temporary folder; 0 once the list is shown."""
    import os
    import tempfile

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import fonts
    from ui.main_window import MainWindow
    from ui.operations import wait_for_all

    app = QApplication.instance() or QApplication([sys.argv[0]])
    fonts.apply_app_font(app)
    with tempfile.TemporaryDirectory() as folder:
        def open_desk():
            from app.db import Store
            from app.desk import Desk

            desk = Desk(Store(os.path.join(folder, "smoke.db")))
            desk.settings.put({"point.name": "自检"})
            return desk

        window = MainWindow(open_desk=open_desk)
        window.show()
        result = {"code": 1}

        def check() -> None:
            if window.model is not None and window.model.total is not None:
                result["code"] = 0
                app.quit()

        poll = QTimer(interval=50)
        poll.timeout.connect(check)
        poll.start()
        QTimer.singleShot(timeout_ms, app.quit)
        app.exec()
        wait_for_all()
        if window.desk is not None:
            window.desk.store.dispose()
        window.close()
    sys.stdout.write("smoke test ok\n" if result["code"] == 0 else "smoke test failed\n")
    return result["code"]


if __name__ == "__main__":
    raise SystemExit(main())

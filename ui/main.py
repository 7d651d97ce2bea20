"""`liaison-desk`: starts the front-desk window on the embedded database (or --db)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="liaison-desk", description="维权联络点工作台")
    parser.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（默认：用户数据文件夹中的 liaison.db）")
    args, qt_args = parser.parse_known_args(argv)
    from app.files import private_umask

    private_umask()  # the database, backups, exports and PDFs the window writes are the user's only

    from app import fault_log

    try:
        fault_log.enable()
    except OSError:
        pass  # a read-only data folder must not keep the desk from starting

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui import error_report, fonts
    from ui.main_window import MainWindow
    from ui.translations import install_chinese

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    error_report.install()
    app.setApplicationName("维权联络点工作台")
    app.setOrganizationName("liaison-desk")
    install_chinese(app)
    fonts.apply_app_font(app)

    def open_desk():
        # Imported here: SQLAlchemy and the calendar load after the window is on screen.
        from app.db import Store
        from app.desk import Desk

        return Desk(Store(args.db))

    window = MainWindow(open_desk=open_desk, settings=QSettings("liaison-desk", "desk"))
    window.show()
    code = app.exec()
    shut_down(window)
    return code


def shut_down(window) -> None:
    """Tear down in a safe order: background work first, then the window and its children while the
    QApplication still exists, then the database; never leave Qt objects to Python's exit-time collection."""
    import gc

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from ui import operations

    operations.wait_for_all()
    window.wait_for_threads()
    desk = window.desk
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the deferred deletes, now
    QApplication.processEvents()
    del window
    gc.collect()
    if desk is not None:
        desk.store.dispose()


if __name__ == "__main__":
    raise SystemExit(main())

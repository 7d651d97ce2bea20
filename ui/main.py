"""`liaison-desk`: starts the front-desk window on the embedded database (or --db)."""
from __future__ import annotations

import argparse
import sys
from typing import cast


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False) and sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] == "liaison":
        # The Linux bundle's `liaison` is this program under its other name (one copy of the Python code
        # instead of two); Qt is never imported for it. Windows has a console liaison.exe of its own.
        from app.cli import main as command

        return command(argv)
    import multiprocessing

    multiprocessing.freeze_support()  # the bundle's exe also runs the audit check's process (verify_aside)
    parser = argparse.ArgumentParser(prog="liaison-desk", description="维权联络点工作台")
    parser.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（默认：用户数据文件夹中的 liaison.db）")
    parser.add_argument("--smoke-test", action="store_true",
                        help="自检：在屏幕外打开窗口和一个临时数据库，载入后退出（成功时退出码 0）")
    args, qt_args = parser.parse_known_args(argv)
    if args.smoke_test:
        return smoke_test()

    from app.core.files import private_umask

    private_umask()  # the database, backups, exports and PDFs the window writes are the user's only

    from app.core import fault_log

    try:
        fault_log.enable()
    except OSError:
        pass  # a read-only data folder must not keep the desk from starting

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui import errors, fonts, ops
    from ui.translations import install_chinese
    from ui.windows.main_window import MainWindow

    # instance() is typed as the QCoreApplication it inherits from; the one made here is a QApplication
    app = cast("QApplication | None", QApplication.instance()) or QApplication([sys.argv[0], *qt_args])
    ops.tune_collector()
    errors.install()
    app.setApplicationName("维权联络点工作台")
    app.setOrganizationName("liaison-desk")
    install_chinese(app)
    fonts.apply_app_font(app)

    def open_desk():
        # Imported here: SQLAlchemy and the calendar load after the window is on screen.
        from app.desk import Desk

        return Desk.open(args.db)

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

    from ui import ops

    ops.wait_for_all()
    window.wait_for_threads()
    desk = window.attached
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the deferred deletes, now
    QApplication.processEvents()
    del window
    gc.collect()
    if desk is not None:
        desk.store.dispose()


def smoke_test(timeout_ms: int = 60000) -> int:
    """Opens the window offscreen on a new database in a temporary folder (its keys and data there too,
    a first supervisor made for it); 0 once the case list is shown. Nothing of the user's is touched."""
    import os
    import tempfile

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(LIAISON_DATA_DIR=os.path.join(folder, "data"), LIAISON_KEY_DIR=os.path.join(folder, "keys"),
                          LIAISON_KEYRING="off")
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui import fonts
        from ui.translations import EXTRA, QT_FILES, install_chinese
        from ui.windows.main_window import MainWindow

        app = QApplication.instance() or QApplication([sys.argv[0]])
        fonts.apply_app_font(app)
        # A bundle that left out Qt's Chinese (or ours) would show file dialogs half in English: it fails here.
        missing = sorted({*QT_FILES, EXTRA} - set(install_chinese(app)))
        if missing:
            sys.stdout.write(f"smoke test failed: translations missing: {', '.join(missing)}\n")
            return 1

        def open_desk():
            from app.desk import Desk

            desk = Desk.open(os.path.join(folder, "smoke.db"))
            desk.accounts.create_first_supervisor("smoke", "自检", "smoke-test-only")
            desk.settings.put({"point.name": "自检"})
            desk.keys.mark_shown()
            return desk

        window = MainWindow(open_desk=open_desk)
        window.show()
        result = {"code": 1}

        def check() -> None:
            if window.case_model is not None and window.case_model.total is not None:
                poll.stop()
                # The audit check's own process, started as the desk starts it for a long chain: a bundle
                # whose exe cannot start a child of itself (freeze_support) fails here, not at a district.
                result["code"] = 0 if window.desk.audit.verify_aside(own_process_from=0).ok else 1
                app.quit()

        poll = QTimer(interval=50)
        poll.timeout.connect(check)
        poll.start()
        QTimer.singleShot(timeout_ms, app.quit)
        app.exec()
        poll.stop()
        shut_down(window)
    sys.stdout.write("smoke test ok\n" if result["code"] == 0 else "smoke test failed\n")
    return result["code"]


if __name__ == "__main__":
    raise SystemExit(main())

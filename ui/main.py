"""`liaison-desk`: starts the front-desk window on the embedded database (or --db)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="liaison-desk", description="维权联络点工作台")
    parser.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（默认：用户数据文件夹中的 liaison.db）")
    args, qt_args = parser.parse_known_args(argv)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.db import Store
    from app.desk import Desk
    from ui import fonts
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("维权联络点工作台")
    fonts.apply_app_font(app)
    try:
        desk = Desk(Store(args.db))
    except Exception as e:  # a database that cannot be opened must say so, not crash silently
        QMessageBox.critical(None, "无法打开数据库", f"无法打开数据库：\n{e}")
        return 1
    window = MainWindow(desk)
    window.show()
    if not desk.is_configured():
        window.open_settings(first_run=True)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())

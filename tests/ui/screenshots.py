"""Screenshots of every window (tests/ui/screens.py) on the screen Qt runs on, for looking at them:
    Xvfb :15 -screen 0 1366x768x24 & DISPLAY=:15 openbox & DISPLAY=:15 python -m tests.ui.screenshots OUT_DIR
Each window is shown at the size it chooses for that screen; a window manager gives it its frame."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(out: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.desk import Desk
    from app.storage.db import Store
    from tests.ui.screens import fill, windows
    from ui import fonts
    from ui.dialogs.ask_dialog import AskDialog
    from ui.dialogs.holidays_dialog import HolidaysDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.translations import install_chinese
    from ui.windows.intake_form import IntakeForm
    from ui.windows.poster_editor import PosterEditor

    # Closing a filled-in form asks first; nobody is there to answer while screenshots are taken.
    IntakeForm.confirm_discard = lambda self: True
    AskDialog.confirm_discard = lambda self: True
    HolidaysDialog.confirm_discard = lambda self: True
    SettingsDialog.confirm_discard = lambda self: True
    PosterEditor.confirm_discard = lambda self: True
    install_chinese(app)
    fonts.apply_app_font(app)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        from tests.conftest import sign_in_tester

        os.environ.setdefault("LIAISON_KEY_DIR", f"{tmp}/keys")  # never the real keyring or key folder
        os.environ.setdefault("LIAISON_KEYRING", "off")
        desk = Desk(Store(f"sqlite:///{tmp}/shots.db"))
        sign_in_tester(desk.store, "李晓")
        desk.settings.put({"point.name": "示例商城消费维权联络点", "point.contact_name": "李晓",
                           "point.contact_phone": "021-61671254", "point.council": "示例区消费者权益保护委员会"})
        from app.cases import demo

        demo.generate(desk.store, 300)
        cases = fill(desk)
        from ui.ops import wait_for_all
        screen = app.primaryScreen().availableGeometry()
        main_window, shown = None, []
        for name, widget in windows(desk, cases):
            main_window = main_window or widget
            widget.show()
            for _ in range(10):
                app.processEvents()
            wait_for_all()  # what the window reads in the background (figures, lists) is shown first
            for _ in range(10):
                app.processEvents()
            widget.grab().save(str(folder / f"{name}.png"))
            # the whole screen as the clerk sees it: with the window manager's title bar, over the main window
            # (the X server draws a newly mapped window a moment later)
            from PySide6.QtTest import QTest

            QTest.qWait(400)
            app.primaryScreen().grabWindow(0).save(str(folder / f"{name}-screen.png"))
            print(f"{name}: {widget.width()}x{widget.height()} on {screen.width()}x{screen.height()}")
            if name != "01_main_today":
                widget.close()
                shown.append(widget)
        # As the desk does on closing: nothing left for Python's exit-time collection, which crashes.
        for widget in shown:
            widget.deleteLater()
        from ui.main import shut_down

        shut_down(main_window)
        desk.store.dispose()


if __name__ == "__main__":
    main(sys.argv[1])

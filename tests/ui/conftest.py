import pytest


@pytest.fixture(autouse=True, scope="session")
def _font(qapp):
    from ui import fonts

    fonts.apply_app_font(qapp)


@pytest.fixture(autouse=True)
def _no_modal_questions(monkeypatch):
    """qtbot closes widgets after each test; a real question box there would wait forever."""
    from ui.dialogs.ask_dialog import AskDialog
    from ui.dialogs.holidays_dialog import HolidaysDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.windows.intake_form import IntakeForm
    from ui.windows.poster_editor import PosterEditor

    for dialog in (IntakeForm, AskDialog, HolidaysDialog, SettingsDialog, PosterEditor):
        monkeypatch.setattr(dialog, "confirm_discard", lambda self: True)


@pytest.fixture
def backend():
    """The window's tests run on the embedded default; the storage tests cover PostgreSQL."""
    return "sqlite"


@pytest.fixture(autouse=True)
def _modal_answers_failing_fail_the_test():
    """An assertion inside a modal dialog's answer (tests/ui/typing.when_modal) fails the test."""
    yield
    from tests.ui.typing import check_modal_errors

    check_modal_errors()


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path):
    """What the window remembers (the last folder of a file dialog…) goes to the test's folder, never the
    user's own settings."""
    from PySide6.QtCore import QSettings

    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "settings"))

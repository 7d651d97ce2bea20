import pytest


@pytest.fixture(autouse=True, scope="session")
def _font(qapp):
    from ui import fonts

    fonts.apply_app_font(qapp)


@pytest.fixture(autouse=True)
def _no_modal_questions(monkeypatch):
    """qtbot closes widgets after each test; a real question box there would wait forever."""
    from ui.intake_form import IntakeForm

    monkeypatch.setattr(IntakeForm, "confirm_discard", lambda self: True)


@pytest.fixture
def backend():
    """The window's tests run on the embedded default; the storage tests cover PostgreSQL."""
    return "sqlite"

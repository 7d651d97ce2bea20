"""Qt's own texts (OK/Cancel, file and print dialogs, context menus) in Chinese, and dates written the Chinese way."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.core.resources import resource_path

_installed: list[QTranslator] = []  # a translator must outlive its installation
# Qt's own translation, and ours of the few texts it leaves in English (resources/translations/*.ts says which).
QT_FILES = ("qtbase_zh_CN",)
EXTRA = "qt_extra_zh_CN"


def qt_folders() -> list[Path]:
    """Where PySide6 keeps Qt's .qm files: where QLibraryInfo says, else beside the package (a PyInstaller bundle
    has them in PySide6/Qt/translations on Linux and PySide6/translations on Windows)."""
    import PySide6

    package = Path(PySide6.__file__).parent
    return [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), package / "Qt" / "translations",
            package / "translations"]


def install_chinese(app: QCoreApplication) -> list[str]:
    """Chinese for Qt's texts and zh_CN for dates and numbers (QLocale: 2026/12/8, not "8 12 2026"); the
    translations loaded (empty when none was found)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = []
    for name in QT_FILES:
        for folder in qt_folders():
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                _installed.append(translator)
                loaded.append(name)
                break
    translator = QTranslator(app)
    if translator.load(EXTRA, str(resource_path("translations"))):  # installed last: asked first
        app.installTranslator(translator)
        _installed.append(translator)
        loaded.append(EXTRA)
    return loaded

"""Qt's own texts (OK/Cancel, file and print dialogs, context menus) in Chinese."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_installed: list[QTranslator] = []  # a translator must outlive its installation


def install_chinese(app: QApplication) -> bool:
    """Load qtbase_zh_CN.qm shipped with PySide6; True when it was found and installed."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded = True
    return loaded

"""A QR code drawn on screen (segno), for a phone to read: the recovery key, the public key, an upload page."""
from __future__ import annotations

import io

from PySide6.QtGui import QPixmap


def qr_pixmap(text: str, scale: int = 5, border: int = 4) -> QPixmap:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=border)
    pixmap = QPixmap()
    pixmap.loadFromData(buf.getvalue(), "PNG")
    return pixmap

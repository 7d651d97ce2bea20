"""QR codes as a grid of dark modules (ReportLab's encoder, pure Python), for the screen; paper uses its widget."""
from __future__ import annotations


def matrix(text: str) -> list[list[bool]]:
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    n = code.getModuleCount()
    return [[bool(code.isDark(r, c)) for c in range(n)] for r in range(n)]

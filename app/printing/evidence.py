"""Blocks the evidence feature adds to printouts: 材料清单, the check code with its QR code, attachment lists."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing import fonts, layout


def qr_drawing(text: str, size: float = 28 * mm) -> Drawing:
    """The same QR drawing as the recovery key's (segno, vector squares), at the receipt's size."""
    from app.printing.recovery_key import qr_drawing as segno_drawing

    return segno_drawing(text, size_mm=size / mm)


def materials_text(materials: list[tuple[str, int]]) -> str:
    """材料清单 of the receipt: each kind of material received, with its count."""
    return "　".join(f"{label} {count} 份" for label, count in materials) if materials else "未收取材料"


class CheckCodeMark(Flowable):
    """The check code and its QR code in the top margin at the left of the first page (takes no room in the
    body, so the receipt stays one sheet): the consumer's proof when calling about the case."""

    def __init__(self, check_code: str, qr_text: str, size: float = 20 * mm):
        super().__init__()
        self.check_code, self.qr_text, self.size = check_code, qr_text, size

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        from reportlab.graphics import renderPDF

        c = self.canv
        bottom = 1 * mm
        renderPDF.draw(qr_drawing(self.qr_text, self.size), c, -2 * mm, bottom)
        c.saveState()
        c.setFont(fonts.HEADING, 11)
        c.drawString(self.size, bottom + self.size * 0.55, f"查询码：{self.check_code}")
        c.setFont(fonts.SANS, 7.5)
        c.drawString(self.size, bottom + self.size * 0.55 - 11, "来电查询进度请报案件编号和查询码")
        c.drawString(self.size, bottom + self.size * 0.55 - 20, "无须报个人信息")
        c.restoreState()


def attachment_rows(attachments: list[dict]) -> str:
    """The referral's 附件 cell: every attachment with its label, size and SHA-256."""
    return "\n".join(f"{i}．{a['label_text']}　{a['name']}　{a['bytes'] / 1024:.0f} KB\nSHA-256 {a['sha256']}"
                     for i, a in enumerate(attachments, 1))


def image_page(name: str, data: bytes, width: float) -> list:
    """One attached image on its own page, scaled to the text area, captioned with its name."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    w, h = ImageReader(io.BytesIO(data)).getSize()
    scale = min(width / w, 200 * mm / h)
    return [layout.para(f"附件：{name}", "note"), Spacer(1, 2 * mm), Image(io.BytesIO(data), width=w * scale,
                                                                        height=h * scale)]

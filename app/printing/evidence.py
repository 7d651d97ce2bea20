"""Blocks the evidence feature adds to printouts: 材料清单, the check code with its QR code, attachment lists."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from app.printing import fonts, layout


def qr_drawing(text: str, size: float = 28 * mm) -> Drawing:
    """The same QR drawing as the recovery key's (segno, vector squares), at the receipt's size."""
    from app.printing.recovery_key import qr_drawing as segno_drawing

    return segno_drawing(text, size_mm=size / mm)


def materials_text(materials: list[tuple[str, int]]) -> str:
    """材料清单 of the receipt: each kind of material received, with its count."""
    return "　".join(f"{label} {count} 份" for label, count in materials) if materials else "未收取材料"


def check_code_beside(case_no: str, check_code: str, qr_text: str, phone: str, right, width: float) -> Table:
    """The check code with its QR code (the consumer's proof when calling), boxed, beside `right` (the seal)."""
    words = [layout.para(f"查询码　{check_code}", "label"),
             layout.para(f"来电查询进度请报案件编号和查询码，无须报个人信息。{'查询电话 ' + phone if phone else ''}",
                         "note")]
    inner = Table([[qr_drawing(qr_text, 28 * mm), words]], colWidths=[31 * mm, 48 * mm])
    inner.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, 0), 1.5 * mm),
    ]))
    outer = Table([[inner, right]], colWidths=[80 * mm, width - 80 * mm])
    outer.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return outer


def attachment_rows(attachments: list[dict]) -> str:
    """The referral's 附件 cell: every attachment with its label, size and SHA-256."""
    return "\n".join(f"{i}．{a['label_text']}　{a['name']}　{a['bytes'] / 1024:.0f} KB\nSHA-256 {a['sha256']}"
                     for i, a in enumerate(attachments, 1))

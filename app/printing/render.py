"""PDF pages to pixels and text with pypdfium2 (for the in-app preview, printing and checks)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int
    rgb: bytes  # 3 bytes a pixel, rows `stride` bytes apart


def page_images(pdf: bytes, dpi: float = 110) -> list[PageImage]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in doc:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            images.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)))
            page.close()
        return images
    finally:
        doc.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, e.g. (841.9, 1190.6) for A3 portrait."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [tuple(doc.get_page_size(i)) for i in range(len(doc))]
    finally:
        doc.close()


def page_texts(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()

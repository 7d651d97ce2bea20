"""Checks every printout must pass: fonts embedded, no forbidden line starts."""
import io
import re

from pypdf import PdfReader

from app.printing.render import page_texts

FORBIDDEN_LINE_START = "，。！？；：、）》」』】”’"


def fonts_not_embedded(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    bad = []
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append(str(font.get("/BaseFont")))
    return bad


def lines(pdf: bytes) -> list[str]:
    return [line.strip() for text in page_texts(pdf) for line in text.splitlines() if line.strip()]


def bad_line_starts(pdf: bytes) -> list[str]:
    return [line for line in lines(pdf) if line[0] in FORBIDDEN_LINE_START]


def plain(pdf: bytes) -> str:
    """All text with white space removed, for comparing sentences."""
    return "".join("".join(page_texts(pdf)).split())


def body(pdf: bytes) -> str:
    """Like plain(), without the page footers (and their 文书编号 line), so text running over a page break
    reads on."""
    return re.sub(r"—\d+—.*?打印于\d{4}年\d{1,2}月\d{1,2}日(文书编号：\D{1,2}\d{4}-\d{6}(（补打）)?)?", "", plain(pdf))

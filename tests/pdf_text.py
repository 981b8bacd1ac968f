"""Read the text back out of a PDF the application wrote, words separated by one space."""

from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """Every page's text, whitespace runs (Qt writes tabs between words) made one space."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_page_count(path: Path) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(path).pages)


def pdf_image_count(path: Path, min_width: int = 1) -> int:
    """How many images at least ``min_width`` pixels wide the PDF's pages draw
    (XObjects of subtype Image, read without Pillow; a missing image's small
    placeholder icon is not counted with a large ``min_width``)."""
    count = 0
    for page in PdfReader(path).pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        for ref in objects.values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image" and image.get("/Width", 0) >= min_width:
                count += 1
    return count

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


def pdf_image_count(path: Path) -> int:
    """How many images the PDF's pages draw (XObjects of subtype Image; no Pillow)."""
    count = 0
    for page in PdfReader(path).pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        count += sum(1 for ref in objects.values() if ref.get_object().get("/Subtype")
                     == "/Image")
    return count

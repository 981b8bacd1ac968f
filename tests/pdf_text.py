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

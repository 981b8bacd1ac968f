"""Markdown becomes a PDF whose text (and pictures) can be read back."""

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from desk_app.ui.pdf_document import write_pdf
from tests.pdf_text import pdf_page_count, pdf_text


def test_markdown_headings_tables_and_images_reach_the_pdf(qapp, tmp_path):
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    markdown = ("# Weekly report\n\nSLA compliance **92.5 %**\n\n"
                "| Priority | MTTR |\n|---|---|\n| P1 | 3.5 h |\n\n![chart](chart.png)\n")
    path = tmp_path / "report.pdf"
    write_pdf(markdown, path, "Weekly report", {"chart.png": image})
    text = pdf_text(path)
    assert "Weekly report" in text and "92.5 %" in text and "P1 3.5 h" in text
    reader = PdfReader(path)
    assert reader.metadata.title == "Weekly report"
    assert any(page.images for page in reader.pages)


def test_a_long_document_is_broken_into_pages(qapp, tmp_path):
    path = tmp_path / "long.pdf"
    write_pdf("\n\n".join(f"Paragraph {n}" for n in range(400)), path, "Long")
    assert pdf_page_count(path) > 3
    assert "Paragraph 399" in pdf_text(path)


def test_an_unwritable_path_raises_oserror(qapp, tmp_path):
    with pytest.raises(OSError):
        write_pdf("# x", tmp_path / "missing" / "x.pdf", "x")


def test_a_folder_in_place_of_the_file_raises_oserror(qapp, tmp_path):
    with pytest.raises(OSError):
        write_pdf("# Title", tmp_path, "Title")

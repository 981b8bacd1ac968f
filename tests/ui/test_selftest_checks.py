"""The self-test's checks of what a bundle can lose without an import failing: each
passes here and fails, naming the part, when that part is gone."""

import sys

import pytest
from PySide6.QtGui import QImageReader

from desk_app.services.selftest import SelfTestFailed
from desk_app.ui import selftest


def test_the_feature_checks_pass_from_source(qapp):
    assert "HTML as text" in selftest.markdown_page()
    assert "Normalzeit" in selftest.icu_data()
    assert "badge draws" in selftest.tray_icon()
    assert "64x48 JPEG" in selftest.jpeg_thumbnail()
    assert "a bar chart of 3 bars drawn offscreen" in selftest.chart()


def test_the_chart_check_fails_without_qtcharts(qapp, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtCharts", None)  # import fails
    with pytest.raises(SelfTestFailed, match="QtCharts is missing"):
        selftest.chart()


def test_the_chart_check_fails_when_no_bar_is_drawn(qapp, monkeypatch):
    from PySide6.QtCharts import QBarSet

    monkeypatch.setattr(QBarSet, "append", lambda self, values: None)  # an empty chart
    with pytest.raises(SelfTestFailed, match="drew no bars"):
        selftest.chart()


def test_the_jpeg_check_fails_without_the_plugin(qapp, monkeypatch):
    formats = [f for f in QImageReader.supportedImageFormats() if bytes(f.data()) != b"jpeg"]
    monkeypatch.setattr(QImageReader, "supportedImageFormats", lambda: formats)
    with pytest.raises(SelfTestFailed, match="no JPEG image plugin"):
        selftest.jpeg_thumbnail()


def test_the_markdown_check_fails_when_the_page_loses_text(qapp, monkeypatch):
    monkeypatch.setattr("desk_app.ui.markdown_view.set_markdown",
                        lambda document, text: document.setPlainText("nothing"))
    with pytest.raises(SelfTestFailed, match="lost 'Paper jam'"):
        selftest.markdown_page()

"""The bundled icons: each one the desk names is shipped (with its licence), renders,
and is drawn in the theme's text colour, so it follows a theme switch."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from desk_app import paths
from desk_app.services.queues import QUEUE_BY_KEY
from desk_app.ui import icons, palette, theme

ACTIONS = ("assign", "take", "escalate", "hold", "resume", "resolve", "close", "reopen",
           "cancel", "note", "link")
SYNC = ("sync-up-to-date", "sync-waiting", "sync-syncing", "sync-offline", "sync-error",
        "sync-local")
TOOLBAR = ("new-ticket", "refresh", "administration", "search")


@pytest.fixture
def themed(qapp):
    current = theme.theme_of(qapp, "system")
    yield current
    current.choose("system")


def _colours(qicon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> set[str]:
    image = qicon.pixmap(QSize(24, 24), mode).toImage()
    return {image.pixelColor(x, y).name() for x in range(image.width())
            for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255}


def test_every_icon_the_desk_names_is_shipped_small_with_its_licence():
    folder = paths.resources_dir() / "icons" / "tabler"
    names = (*TOOLBAR, *QUEUE_BY_KEY, *SYNC, *ACTIONS, "about", *icons.ALIASES)
    for name in names:
        assert Path(icons.icon_file(name)).is_file(), name
    shipped = {svg.stem for svg in folder.glob("*.svg")}
    assert shipped == set(icons.ICONS.values())  # only the icons we use
    assert sum(svg.stat().st_size for svg in folder.glob("*.svg")) < 40_000
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert "Tabler Icons 3.35.0" in (folder.parent / "README.md").read_text(encoding="utf-8")


def test_an_unknown_icon_name_is_refused():
    with pytest.raises(KeyError, match="no icon called 'nope'"):
        icons.icon_file("nope")


@pytest.mark.parametrize("name", sorted(icons.ICONS))
def test_each_icon_renders(qapp, name):
    pixmap = icons.icon(name).pixmap(QSize(32, 32))
    assert not pixmap.isNull() and pixmap.size() == QSize(32, 32)
    assert _colours(icons.icon(name)), f"{name} drew nothing"


def test_icons_are_drawn_in_the_theme_text_colour_and_follow_a_switch(qapp, themed):
    refresh = icons.icon("refresh")
    for scheme in ("light", "dark"):
        themed.choose(scheme)
        assert _colours(refresh) == {palette.SURFACES[scheme].text}
        assert _colours(refresh, QIcon.Mode.Disabled) == \
            {palette.SURFACES[scheme].disabled_text}
        assert _colours(refresh, QIcon.Mode.Selected) == \
            {palette.SURFACES[scheme].highlighted_text}
        assert _colours(icons.icon("sync-error", "danger")) == \
            {palette.tone("danger", scheme).text}
        assert _colours(icons.icon("sync-error", "danger", on_fill=True)) == \
            {palette.tone("danger", scheme).on_fill}


def test_a_high_dpi_pixmap_is_sharp(qapp):
    pixmap = icons.icon("search").pixmap(QSize(16, 16), 2.0)
    assert pixmap.size() == QSize(32, 32) and pixmap.devicePixelRatio() == 2.0

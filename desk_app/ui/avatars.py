"""Initials avatars: a tinted disc with a person's initials, painted once per name."""

from functools import cache
from zlib import crc32

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap

from desk_app.ui.palette import dark_palette, tone

AVATAR_TONES = ("info", "accent", "success", "warning", "P2", "muted")


def initials(name: str) -> str:
    """``Dana Whitfield`` -> ``DW``; ``alice`` -> ``A``; nothing -> ``?``."""
    words = [word for word in name.replace(".", " ").replace("_", " ").split() if word]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_tone(name: str) -> str:
    """The tone a person's avatar is drawn in: the same one for the same name."""
    return AVATAR_TONES[crc32(name.encode("utf-8")) % len(AVATAR_TONES)]


@cache
def _avatar(name: str, size: int, dark: bool) -> QImage:
    del dark  # part of the cache key: the tone differs on a dark palette
    colours = tone(avatar_tone(name))
    image = QImage(size * 2, size * 2, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(2.0)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colours.text))  # a strong disc: it reads on a tinted card too
    painter.drawEllipse(QRectF(0, 0, size, size))
    font = QFont()
    font.setPixelSize(max(int(size * 0.42), 7))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(colours.fill))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return image


def avatar_image(name: str, size: int = 24) -> QImage:
    """The avatar of ``name`` at ``size`` logical pixels (sharp on high-DPI screens)."""
    return _avatar(name, size, dark_palette())


def avatar_pixmap(name: str, size: int = 24) -> QPixmap:
    """The avatar as a pixmap for a label."""
    return QPixmap.fromImage(avatar_image(name, size))

"""Icons drawn for the desk (resources/icons/*.svg), loaded once; ``tint`` recolours the line art."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from loyalty_desk.resources import resource_path

LINE_COLOUR = "#1F3A5F"


@cache
def icon(name: str, tint: str | None = None) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        return QIcon()  # a screen named an icon not drawn yet: no picture rather than no screen
    if tint is None:
        return QIcon(str(path))
    svg = path.read_text(encoding="utf-8").replace(LINE_COLOUR, tint)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    result = QIcon()
    for size in (16, 20, 24, 32, 48):
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        result.addPixmap(QPixmap.fromImage(image))
    return result


def pixmap(name: str, size: int, tint: str | None = None) -> QPixmap:
    return icon(name, tint).pixmap(size, size)

"""Renders resources/icons/logo.svg to a Windows icon for the bundle and the installer (build step).

    python installer/make_icon.py build/loyalty-desk.ico      (build.ps1 runs it in the build venv)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(out: Path, size: int = 256) -> int:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - image plugins need an application
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ROOT / "resources" / "icons" / "logo.svg")).render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(out), b"ico")
    if not writer.write(image):
        print(f"make_icon: cannot write {out}: {writer.errorString()}", file=sys.stderr)
        return 1
    print(f"{out} ({size}x{size})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "loyalty-desk.ico"))

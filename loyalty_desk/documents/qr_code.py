"""The QR code a statement carries (its signed figures), as a platypus flowable."""

from __future__ import annotations

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.platypus import Flowable

QR_MASK = 2


class QrCode(Flowable):
    """A QR code drawn as merged runs of dark modules (fast; mask pattern fixed, which the
    standard allows: it only tunes readability, any mask decodes)."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(text)
        code.version = code.calculate_version()
        code.makeImpl(False, QR_MASK)
        self.modules = code.modules
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        """Dark runs as rectangles in module units (integers) under one scale: a few hundred
        short operators instead of as many formatted floats."""
        count = len(self.modules)
        quiet = 2
        unit = self.size / (count + 2 * quiet)
        ops: list[str] = []
        for r, row in enumerate(self.modules):
            y = count - 1 - r
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    ops.append(f"{start} {y} {c - start} 1 re")
                else:
                    c += 1
        canvas = self.canv
        canvas.saveState()
        canvas.translate(quiet * unit, quiet * unit)
        canvas.scale(unit, unit)
        canvas.setFillColor(colors.black)
        canvas.drawPath(_RawPath("\n".join(ops) + "\n"), stroke=0, fill=1)
        canvas.restoreState()


class _RawPath:
    """Path operators already written out (what ``canvas.drawPath`` asks a path for)."""

    def __init__(self, code: str) -> None:
        self._code = code

    def getCode(self) -> str:
        return self._code


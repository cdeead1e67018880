"""Screenshots of the statements: the statement dialog over the member view, the in-app preview, and
the first page of the statement as rendered (``30-statement-dialog``, ``31-statement-preview``,
``32-statement-page``). Nothing is printed or saved, so nothing is audited.

Also the redemption receipt as the in-app preview shows it (``13-receipt``): the PDF of
``documents.receipts`` for one demo redemption, made once after every screen was rendered (so
no other screenshot shows it), its page rendered with ``QPdfDocument.render`` in each language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def render_statement_screenshots(
    app: Any, window: Any, member_no: str, language: str, save: Callable[..., None], wait: Callable[..., Any], out_dir: Path
) -> list[Path]:
    from loyalty_desk.ui.screens.statements import StatementDialog

    member = window.screens["member"]
    window.navigate("member", member_no=member_no)  # read again from the store
    wait(app, member.sig_loaded)
    dialog = StatementDialog(member._context, member_no, window)
    dialog.show()
    save(window, "30-statement-dialog", overlay=dialog)
    dialog.ok_button.click()
    preview = wait(app, dialog.sig_preview_opened, lambda: dialog.error.text(), 30_000)
    preview.resize(1000, 820)
    preview.fit_button.setChecked(True)
    preview.show()
    _wait_for_pages(app, preview)
    save(preview, "31-statement-preview")
    page = out_dir / f"32-statement-page.{language}.png"
    preview.first_page_image(1240).save(str(page))
    preview.close()
    dialog.close()
    return [page]


def _wait_for_pages(app: Any, preview: Any, timeout_ms: int = 5_000) -> None:
    """QPdfView renders pages on a worker thread: wait until the page shows ink (or time runs out)."""
    from PySide6.QtCore import QElapsedTimer, QThread

    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < timeout_ms:
        app.processEvents()
        image = preview.view.viewport().grab().toImage()
        width, height = image.width(), image.height()
        dark = sum(
            1
            for x in range(0, width, 7)
            for y in range(0, height // 3, 7)
            if image.pixelColor(x, y).lightness() < 120
        )
        if dark > 20:
            return
        QThread.msleep(50)


RECEIPT_WIDTH_PX = 600  # the 80 mm slip at about 190 dpi


def render_receipt_pages(services: Any, out_dir: Path, languages: tuple[str, ...], username: str, password: str, query: str) -> list[Path]:
    """Redeems the cheapest available reward for the first member of ``query`` (by balance) that
    can have one, and writes ``13-receipt.<language>.png`` per language; [] when none can."""
    import tempfile

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    from loyalty_desk.documents.receipts import render_receipt

    session = services.auth.sign_in(username=username, password=password)
    redemption = services.redemption
    rows = sorted(services.lookup.search(text=query).rows, key=lambda row: -row.balance)
    chosen = None
    for row in rows:
        offers = [o for o in redemption.catalogue(member_no=row.member_no, branch_code=session.branch_code) if o.available]
        if offers:
            chosen = row.member_no, min(offers, key=lambda o: o.points_cost).code
            break
    if chosen is None:
        return []
    member_no, reward_code = chosen
    receipt = redemption.redeem(operation_id=redemption.new_operation_id(), session=session, member_no=member_no,
                                reward_code=reward_code, qty=1)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="loyalty-receipt-shots-") as folder:
        for language in languages:
            pdf = render_receipt(receipt, Path(folder) / f"receipt.{language}.pdf", language=language)
            document = QPdfDocument()
            document.load(str(pdf))
            size = document.pagePointSize(0)
            height = int(RECEIPT_WIDTH_PX * size.height() / max(1.0, size.width()))
            page = document.render(0, QSize(RECEIPT_WIDTH_PX, height))
            image = QImage(page.size(), QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            painter = QPainter(image)
            painter.drawImage(0, 0, page)
            painter.end()
            document.close()
            target = out_dir / f"13-receipt.{language}.png"
            image.save(str(target))
            written.append(target)
    return written

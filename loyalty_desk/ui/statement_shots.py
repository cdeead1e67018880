"""Screenshots of issue 8: the statement dialog over the member view, the in-app preview, and
the first page of the statement as rendered (``30-statement-dialog``, ``31-statement-preview``,
``32-statement-page``). Nothing is printed or saved, so nothing is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def render_statement_screenshots(
    app: Any, window: Any, member_no: str, language: str, save: Callable[..., None], wait: Callable[..., Any], out_dir: Path
) -> list[Path]:
    from loyalty_desk.ui.screens.statements import StatementDialog

    member = window.screens["member"]
    window.navigate("member", member_no=member_no)
    dialog = StatementDialog(member._context, member_no, window)  # noqa: SLF001 - the screen's own context
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

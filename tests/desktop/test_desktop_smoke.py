"""The real desk on a real X display (Xvfb, Qt's xcb platform): it starts on a demo store, signs in, looks
a member up, opens the member and quits. The offscreen platform the other UI tests use loads none of
the xcb libraries, so only this test notices a desktop that cannot start the desk.

Runs whenever Xvfb is installed; with ``CI=true`` a missing Xvfb fails instead of skipping
(``.ci/run`` installs it with the libraries of ``tools/qt-desktop-packages.txt``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop

SESSION = Path(__file__).with_name("xcb_desk_session.py")
SCREEN = "1280x800x24"


def _cli(data_dir: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "loyalty_desk", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """An Xvfb of our own on a free display; its number comes through -displayfd once it accepts clients."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Xvfb is not installed: CI runs the desktop smoke test (.ci/run installs xvfb)")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=open(tmp_path / "xvfb.log", "wb"),  # noqa: SIM115
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()  # blocks until the server is ready (or gone)
        if not number:
            pytest.fail("Xvfb did not start: " + (tmp_path / "xvfb.log").read_text(errors="replace"))
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(30)


def test_the_real_desk_starts_signs_in_opens_a_member_and_quits_on_x(x_display: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    _cli(data_dir, "demo", "--members", "200")
    query = "wang"
    first = json.loads(_cli(data_dir, "lookup", query, "--json"))["rows"][0]["member_no"]
    balance = json.loads(_cli(data_dir, "member", first, "--json"))["member"]["available_balance"]
    screenshot = Path(os.environ.get("LOYALTY_DESK_SMOKE_SCREENSHOT") or tmp_path / "desk-on-x.png")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))},
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": x_display,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the desk's settings stay in the test's folder
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        "SMOKE_DATA_DIR": str(data_dir),
        "SMOKE_USER": "officer.bj1",
        "SMOKE_PASSWORD": "demo1234",
        "SMOKE_QUERY": query,
        "SMOKE_MEMBER_NO": first,
        "SMOKE_BALANCE": str(balance),
        "SMOKE_SCREENSHOT": str(screenshot),
    }
    (tmp_path / "runtime").mkdir(mode=0o700)
    session = subprocess.run(
        [sys.executable, "-m", "pytest", str(SESSION), "-q", "-p", "no:cacheprovider", "--rootdir", str(Path(__file__).parents[2])],
        env=env, capture_output=True, text=True, timeout=600, cwd=Path(__file__).parents[2],
    )
    assert session.returncode == 0, session.stdout[-4000:] + session.stderr[-4000:]
    assert "could not load the Qt platform plugin" not in session.stderr

    from PySide6.QtGui import QImage

    image = QImage(str(screenshot))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    assert len(colours) > 10  # the desk's window on the display, not an empty screen
    # the officer's session is in the audit trail, from sign-in to the sign-out of Ctrl+Q
    with sqlite3.connect(data_dir / "loyalty-desk.sqlite3") as store:
        actions = [row[0] for row in store.execute("SELECT action FROM audit_event WHERE actor = 'officer.bj1' AND action LIKE 'auth.%' ORDER BY id")]
    assert actions[-2:] == ["auth.sign_in", "auth.sign_out"]

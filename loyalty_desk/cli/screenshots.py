"""``loyalty-desk screenshots``: every screen rendered to PNG files, in both languages."""

from __future__ import annotations

import argparse
from pathlib import Path

from loyalty_desk.cli.common import EXIT_OK, Subcommands, positive_int, runs_with_data_dir


def add_commands(commands: Subcommands) -> None:
    screenshots = commands.add_parser("screenshots", help="render every screen to PNG files (both languages)")
    screenshots.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    screenshots.add_argument("--members", type=positive_int, default=2000, help="size of the demo store rendered")
    screenshots.add_argument("--size", type=_window_size, default=(1280, 800), metavar="WIDTHxHEIGHT",
                             help="window size of the screens (default 1280x800; the smallest supported is 1024x700)")
    runs_with_data_dir(screenshots, _screenshots)


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1024x700, not {text!r}") from None
    if width < 640 or height < 480:
        raise argparse.ArgumentTypeError(f"{text} is smaller than any desk screen (640x480)")
    return width, height


def _screenshots(args: argparse.Namespace, data_dir: Path) -> int:
    """Renders from a demo store of its own: the screenshots show the same data on every machine
    (the run files sample requests and opens members), and never touch the desk's own store."""
    import tempfile

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.generator import build_demo_store
    from loyalty_desk.ui.screenshots.desk import render_screenshots

    with tempfile.TemporaryDirectory(prefix="loyalty-desk-screenshots-") as folder:
        store = Path(folder)
        build_demo_store(store, members=args.members)
        services = build_services(store, desk_name="screenshots")
        try:
            written = render_screenshots(services, args.out, window_size=args.size)
        finally:
            services.close()
    print(f"{len(written)} screenshots written to {args.out}")
    return EXIT_OK

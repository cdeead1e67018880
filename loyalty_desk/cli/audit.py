"""``loyalty-desk audit verify|export-digest``: the audit trail's hash chain."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, CommandError, Services, Subcommands, runs_with_services


def add_commands(commands: Subcommands) -> None:
    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit.add_parser("verify", help="check the hash chain; exit 0 and the rows checked, or name the first bad row")
    verify.add_argument("--digest", type=Path, help="a digest written by export-digest: also detects a truncated tail")
    runs_with_services(verify, _verify)
    export_digest = audit.add_parser("export-digest", help="write the latest digest to keep outside the store")
    export_digest.add_argument("file", type=Path)
    runs_with_services(export_digest, _export_digest)


def _export_digest(services: Services, args: argparse.Namespace) -> int:
    digest = services.audit.digest()
    args.file.write_text(digest.to_text() + "\n", encoding="utf-8")
    print(f"Digest of row {digest.last_id} written to {args.file}")
    return EXIT_OK


def _verify(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.audit import Digest

    digest = None
    if args.digest:
        try:
            digest = Digest.from_text(args.digest.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"cannot read the digest file {args.digest}: {error}") from None
    result = services.audit.verify(digest=digest)
    if result.ok:
        print(f"Audit trail intact: {result.rows_checked:,} rows checked.")
        return EXIT_OK
    print(
        f"loyalty-desk: audit trail broken at row {result.first_bad_row} ({result.problem}); {result.rows_checked:,} rows before it are intact.",
        file=sys.stderr,
    )
    return EXIT_FAILED

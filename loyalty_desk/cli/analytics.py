"""``loyalty-desk analytics rebuild|verify|compact``: the daily aggregates the database keeps as the ledger posts.

    loyalty-desk analytics verify [--central URL]    exit 1 when the aggregates differ from the ledger, naming the keys
    loyalty-desk analytics rebuild [--central URL]   every aggregate row again from the ledger
    loyalty-desk analytics compact [--central URL]   closed months' delta rows folded into one row per key
    loyalty-desk analytics results --from YYYY-MM --to YYYY-MM [--branch B] [--tier T] [--json] [--xlsx F] [--pdf F] --user NAME
                                                     the programme results of a period (audited when written to a file)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, CommandError, Services, Subcommands, runs_with_services, sign_in

SHOWN_DIFFERENCES = 20


def add_commands(commands: Subcommands) -> None:
    """Adds ``analytics``."""
    analytics = commands.add_parser(
        "analytics", help="the daily aggregates kept as the ledger posts: rebuild from the ledger, verify against it, compact"
    ).add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("verify", _verify, "compare the aggregates with the ledger; exit 1 and the differing keys when they differ"),
        ("rebuild", _rebuild, "rebuild every aggregate row from the ledger (in one transaction)"),
        ("compact", _compact, "fold closed months' delta rows into one row per key"),
    ):
        parser = analytics.add_parser(name, help=text, description=text)
        parser.add_argument("--central", metavar="URL", help="the central database (postgresql://...) instead of this desk's store")
        runs_with_services(parser, handler)
    results = analytics.add_parser(
        "results",
        help="programme results of a period: participation, points by source and category, rates, tiers, referrals, campaigns, retention",
        description="results --from YYYY-MM --to YYYY-MM [--branch B] [--tier T] [--json] [--xlsx F] [--pdf F] --user NAME",
    )
    results.add_argument("--from", dest="first", required=True, metavar="YYYY-MM", help="the period's first month")
    results.add_argument("--to", dest="last", required=True, metavar="YYYY-MM", help="the period's last month")
    results.add_argument("--branch", metavar="CODE", help="one home branch (default: every branch the user may see)")
    results.add_argument("--tier", choices=("standard", "silver", "gold", "platinum"), help="one tier (default: every tier)")
    results.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    results.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="write the workbook, with native Excel charts")
    results.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="write the PDF")
    results.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN", help="the files' language")
    results.add_argument("--central", metavar="URL", help="head office: the central database (postgresql://...) instead of this desk's store")
    results.add_argument("--user", required=True, metavar="NAME", help="who reads them (password from LOYALTY_DESK_PASSWORD or a prompt)")
    runs_with_services(results, _results)


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{table} {count:,}" for table, count in rows.items())


def _rebuild(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.rebuild()
    print(f"Rebuilt from the ledger in {result.seconds:.1f} s: {_rows(result.rows)} rows.")
    return EXIT_OK


def _compact(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.compact()
    print(f"Compacted in {result.seconds:.1f} s: {_rows(result.rows)} rows.")
    return EXIT_OK


def _verify(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.verify()
    if result.agrees:
        print(f"The aggregates agree with the ledger ({_rows(result.rows)} rows; checked in {result.seconds:.1f} s).")
        return EXIT_OK
    print(f"The aggregates DIFFER from the ledger ({len(result.differences):,} keys{'+' if len(result.differences) >= 1000 else ''}; "
          f"checked in {result.seconds:.1f} s):")
    for difference in result.differences[:SHOWN_DIFFERENCES]:
        key = ", ".join("-" if value is None else str(value) for value in difference.key)
        print(f"  {difference.table} [{key}]: aggregates {difference.aggregates}, ledger {difference.ledger}")
    if len(result.differences) > SHOWN_DIFFERENCES:
        print(f"  ... and {len(result.differences) - SHOWN_DIFFERENCES:,} more")
    if result.served_missing or result.served_extra:
        print(f"  members served: {result.served_missing:,} missing from the aggregate, {result.served_extra:,} it should not hold")
    if result.active_missing or result.active_extra:
        print(f"  active members: {result.active_missing:,} missing from the aggregate, {result.active_extra:,} it should not hold")
    if result.campaign_missing or result.campaign_extra:
        print(f"  campaign participants: {result.campaign_missing:,} missing from the aggregate, {result.campaign_extra:,} it should not hold")
    print("Run `loyalty-desk analytics rebuild` to rebuild them from the ledger.")
    return EXIT_FAILED


def _results(services: Services, args: argparse.Namespace) -> int:
    session = sign_in(services, args.user)
    scope = {"session": session, "first_month": args.first, "last_month": args.last, "branch_code": args.branch, "tier": args.tier}
    if args.xlsx or args.pdf:
        try:
            done = services.results.produce(**scope, xlsx=args.xlsx, pdf=args.pdf, language=args.lang)
        except OSError as failure:
            raise CommandError(f"cannot write {failure.filename or 'the file'}: {failure.strerror or failure}") from None
        results, written = done.results, [path for path in (done.xlsx, done.pdf) if path]
    else:
        results, written = services.results.read(**scope), []
    if args.json:
        print(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
    else:
        _print_results(results)
    for path in written:
        print(f"Written to {path}", file=sys.stderr if args.json else sys.stdout)  # --json: stdout holds the JSON alone
    return EXIT_OK


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _as_json(results: Any) -> dict[str, Any]:
    figures = _plain(asdict(results))
    figures.pop("branches", None)
    for name in ("participation_rate", "redemption_rate", "breakage_rate", "retention_rate"):
        figures[name] = _plain(getattr(results, name))
    figures["referrals"]["conversion"] = _plain(results.referrals.conversion)
    return dict(figures)


def _rate(value: Decimal | None) -> str:
    return f"{value * 100:.2f}%" if value is not None else "n/a"


def _print_results(results: Any) -> None:
    print(f"Programme results, {results.period_text}, {results.branch_code or 'all branches'}, {results.tier or 'all tiers'} "
          f"(100 points = CNY {results.point_value_cny_per_100_points})")
    lines = [
        ("Members (joined by the period's end)", f"{results.members:,}"),
        ("Active members (earned or redeemed)", f"{results.active:,}"),
        ("Participation rate", _rate(results.participation_rate)),
        ("Active in the previous period", f"{results.active_previous:,}"),
        ("Active in both periods", f"{results.retained:,}"),
        ("Retention rate", _rate(results.retention_rate)),
        ("Points issued", f"{results.issued:,} (CNY {results.cny(results.issued):,})"),
        ("Points redeemed", f"{results.redeemed:,} (CNY {results.cny(results.redeemed):,})"),
        ("Points expired", f"{results.expired:,} (CNY {results.cny(results.expired):,})"),
        ("Redemption rate (redeemed / issued)", _rate(results.redemption_rate)),
        ("Breakage (expired / issued)", _rate(results.breakage_rate)),
    ]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"  {label.ljust(width)}  {value}")
    print("By month: " + "; ".join(f"{m.month:%Y-%m} issued {m.issued:,} redeemed {m.redeemed:,} expired {m.expired:,}" for m in results.months))
    print("Issued by source: " + ("; ".join(f"{s.source} {s.points:,}" for s in results.issued_by_source) or "none"))
    print("Redeemed by reward category: " + ("; ".join(f"{c.category} {c.points:,}" for c in results.redeemed_by_category) or "none"))
    print("Members by tier: " + "; ".join(f"{t.tier} {t.members:,}" for t in results.tiers))
    print(f"Tier moves: {results.moved_up:,} up, {results.moved_down:,} down" + "".join(
        f"; {move.branch_code or 'not held'} {move.up:,} up {move.down:,} down" for move in results.tier_moves))
    funnel = results.referrals
    print(f"Referrals: registered {funnel.registered:,} -> qualified {funnel.qualified:,} -> rewarded {funnel.rewarded:,} -> "
          f"clawed back {funnel.clawed_back:,}; conversion {_rate(funnel.conversion)}")
    for campaign in results.campaigns:
        print(f"Campaign {campaign.code}: {campaign.points:,} points to {campaign.members_reached:,} members, CNY {campaign.cost_cny:,}")
        print(f"  {_campaign_spend(campaign)}")


def _money(value: Decimal | None) -> str:
    return f"CNY {value:,}" if value is not None else "n/a"


def _campaign_spend(campaign: Any) -> str:
    """The campaign's spend comparison in one line: the months, both groups, the incremental spend and return."""
    if campaign.months_compared is None:
        return "spend: the campaign ran in no month of the period"
    first, last = campaign.months_compared
    months = f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} – {last:%Y-%m}"
    per_cny = f"{campaign.return_per_cny:,}" if campaign.return_per_cny is not None else "n/a"
    eligible = "members of its branches and tiers (segment not evaluated)" if campaign.eligibility_by_branch_only else "eligible members"
    return (
        f"card spend {months}: {campaign.participants:,} participants average {_money(campaign.average_spend_participant)}, "
        f"{campaign.comparison_members:,} {eligible} not taking part average {_money(campaign.average_spend_comparison)}; "
        f"incremental spend {_money(campaign.incremental_spend)}; return per CNY of points {per_cny}"
    )

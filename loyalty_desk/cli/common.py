"""What every command module shares: exit codes, the one-line refusal, argument types, JSON output,
signing in from the terminal, import reports and console progress."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeAlias

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 70
EXIT_INTERRUPTED = 130

PASSWORD_ENV = "LOYALTY_DESK_PASSWORD"
NEW_PASSWORD_ENV = "LOYALTY_DESK_NEW_PASSWORD"

SHOWN_PROBLEMS = 50  # an import's first problems on stderr; the error workbook lists every one

# ``bootstrap.Services``; its fields are typed ``object`` for now, so the commands see it as Any.
Services: TypeAlias = Any
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
ServicesHandler = Callable[[Services, argparse.Namespace], int]
DataDirHandler = Callable[[argparse.Namespace, Path], int]


class CommandError(Exception):
    """A refusal worth one line on stderr."""


def runs_with_services(parser: argparse.ArgumentParser, handler: ServicesHandler) -> None:
    """The command runs on the desk's services (or central's, with ``--central URL``)."""
    parser.set_defaults(services_handler=handler, data_dir_handler=None)


def runs_with_data_dir(parser: argparse.ArgumentParser, handler: DataDirHandler) -> None:
    """The command opens what it needs itself, from the data folder or a URL."""
    parser.set_defaults(services_handler=None, data_dir_handler=handler)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_decisions(parsers: Any, id_name: str, *, approve_help: str, reject_help: str) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The ``approve`` (optional note) and ``reject`` (note required) commands of a four-eyes request numbered ``id_name``."""
    approve = parsers.add_parser("approve", help=approve_help)
    approve.add_argument(id_name, type=positive_int, metavar="ID")
    approve.add_argument("--note", default="")
    reject = parsers.add_parser("reject", help=reject_help)
    reject.add_argument(id_name, type=positive_int, metavar="ID")
    reject.add_argument("--note", required=True)
    return approve, reject


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def print_json(value: Any) -> None:
    print(json.dumps(_jsonable(value), ensure_ascii=False, indent=2))


def print_result(value: Any, as_json: bool, line: str) -> int:
    """``value`` as JSON (``--json``), else its line; the command succeeded."""
    if as_json:
        print_json(value)
    else:
        print(line)
    return EXIT_OK


def print_list(rows: Sequence[Any], as_json: bool, *, empty: str, show: Callable[[Any], object]) -> int:
    """``rows`` as JSON (``--json``), else each shown by ``show`` (``empty`` when there is none); the command succeeded."""
    if as_json:
        print_json(rows)
    elif not rows:
        print(empty)
    for row in rows if not as_json else ():
        show(row)
    return EXIT_OK


def print_other_errors(invalid: Any) -> Any:
    """Prints on stderr every refused field of a several-fields error but the first (which the command line
    reports as the error itself); ``invalid``, to raise."""
    from loyalty_desk.messages import describe

    for error in invalid.errors[1:]:
        print(f"loyalty-desk: {describe(error)}", file=sys.stderr)
    return invalid


def describe_code(code: str, params: dict[str, Any] | None = None) -> str:
    """An error code and its parameters as the English sentence of the error catalogue."""
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.messages import describe

    return describe(DomainError(code, **(params or {})))


def cli_actor(services: Services) -> Any:
    """Who the audit trail names for a command that signs nobody in: the operating-system user."""
    from loyalty_desk.services.audit import Actor

    return Actor(username=f"os:{getpass.getuser()}", desk=services.desk_name)


def _password(env: str, what: str, prompt: str) -> str:
    """The password in the environment variable ``env``, else typed at a no-echo ``prompt``; with no terminal
    to ask at, refused saying which (``what``) is missing."""
    password = os.environ.get(env)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise CommandError(f"no {what}: set {env} or run the command in a terminal")
    return getpass.getpass(prompt)


def sign_in(services: Services, username: str) -> Any:
    """Signs in through the auth service (audited); the password comes from the environment or a no-echo prompt."""
    return services.auth.sign_in(username=username, password=_password(PASSWORD_ENV, "password", f"Password for {username}: "))


APPROVER_PASSWORD_ENV = "LOYALTY_DESK_APPROVER_PASSWORD"


def approver_password(username: str) -> str:
    """A second supervisor's password, for an operation they approve: from the environment or a no-echo prompt."""
    return _password(APPROVER_PASSWORD_ENV, "approver password", f"Password of the approving supervisor {username}: ")


def new_password(username: str) -> str:
    """A new or reset staff password: from the environment, or typed twice at a no-echo prompt."""
    first = _password(NEW_PASSWORD_ENV, "new password", f"New password for {username}: ")
    if NEW_PASSWORD_ENV not in os.environ and getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def require_file(path: Path) -> None:
    if not path.is_file():
        raise CommandError(f"file not found: {path}")


def report_import_problems(report: Any, *, nothing_done: str, problem_count: int | None = None) -> bool:
    """Prints the first problems and the error workbook's path on stderr; when the problems stopped
    the import, also why nothing was ``nothing_done`` (False then)."""
    count = len(report.problems) if problem_count is None else problem_count
    for problem in report.problems[:SHOWN_PROBLEMS]:
        print(f"row {problem.row}, column {problem.column}, value {problem.value!r}: {problem.message}", file=sys.stderr)
    if count > SHOWN_PROBLEMS:
        print(f"... and {count - SHOWN_PROBLEMS} more problems", file=sys.stderr)
    if report.error_report:
        print(f"Error report: {report.error_report}", file=sys.stderr)
    if not report.posted:
        print(f"Nothing {nothing_done}: {count} problem(s) in {report.rows_read} row(s); fix them or use --skip-invalid.", file=sys.stderr)
        return False
    return True


class ConsoleProgress:
    """The progress object long jobs take, as a counter on a terminal's stderr (nothing when redirected)."""

    def __init__(self, label: str = "", *, shown_from: int = 0) -> None:
        self._label = label
        self._shown_from = shown_from  # a job of fewer steps is quick: no counter
        self._shown = False

    def set_progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty() and total > self._shown_from:
            print(f"\r{self._label}{done:,}/{total:,}", end="", file=sys.stderr, flush=True)
            self._shown = True

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False

    def done(self) -> None:
        """Ends the counter's line."""
        if self._shown:
            print(file=sys.stderr)
            self._shown = False

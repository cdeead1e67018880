"""Registering new members from an Excel/CSV file.

Every row is checked first (all identity rules of ``domain.identity``; the branch; the kind;
the date), then against the other rows of the file (same ID number, mobile or card as an
earlier row) and against the store (same ID number, mobile or card as an existing member).
A bad row stops the import, or is skipped with ``skip_invalid``; the problems go to an Excel
error report (row, column, value, reason) beside the file.

Re-importing: a row whose ID matches a member that already has the same name and mobile is
"already registered" and is skipped, not an error, so importing the same file again (or
rerunning an import that was cut short) registers nothing twice. Member numbers are assigned
in file order where numbers are assigned (``member_numbers.store_numbers``: central's sequence,
or after the highest number in a standalone store); the whole import is one transaction, so a
failure leaves no half-imported file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loyalty_desk.documents.sheets import (
    error_report_path,
    open_table,
    read_table,
    text_values,
    write_error_report,
)
from loyalty_desk.documents.sheets import write_template as _write_template
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import (
    ADDRESS_MAX_LENGTH,
    IdType,
    validate_address,
    validate_card_no,
    validate_id,
    validate_member_no,
    validate_mobile,
    validate_name,
)
from loyalty_desk.domain.names import member_name_keys, to_pinyin_key
from loyalty_desk.services.audit import Actor, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_import
from loyalty_desk.services.dto import RowProblem
from loyalty_desk.services.import_rows import ReadRows, file_problems, row_problem, start_reading
from loyalty_desk.services.member_numbers import store_numbers
from loyalty_desk.services.members.dto import MemberImportReport
from loyalty_desk.store.models import Member

REQUIRED = ("name", "id_type", "id_number", "mobile")
OPTIONAL = ("card_no", "branch_code", "kind", "joined_on", "address")
TEXT_COLUMNS = ("id_number", "mobile", "card_no", "branch_code", "member_no")
ID_TYPE_ALIASES = {
    "resident_id": "resident_id", "居民身份证": "resident_id", "身份证": "resident_id",
    "uscc": "uscc", "统一社会信用代码": "uscc",
    "passport": "passport", "护照": "passport", "other": "passport",
}
KINDS = {"person": "person", "个人": "person", "business": "business", "企业": "business", "对公": "business"}
MEMBER_LIST_COLUMN = "member_no"
# The longest text each column may hold as read (names are checked again once their spaces are folded).
LIMITS = {
    "name": 200, "id_type": 32, "id_number": 32, "mobile": 20, "card_no": 32, "branch_code": 16, "kind": 16, "joined_on": 20,
    "address": ADDRESS_MAX_LENGTH, "member_no": 20,
}


@dataclass(frozen=True)
class _Candidate:
    row: int
    name: str
    kind: str
    id_type: str
    id_number: str
    mobile: str
    card_no: str | None
    branch_code: str
    joined_on: date
    address: str | None


def write_template(kind: str, path: Path | str) -> Path:
    """The import template of ``kind`` (transactions, adjustments, members)."""
    return _write_template(kind, path)


class MemberImportService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def read_member_list(self, path: Path) -> list[str]:
        """Member numbers from the ``member_no`` column of a CSV/XLSX (for batch statements), in file
        order without repeats; a bad number or a missing column is refused with the row named."""
        table = read_table(Path(path), required=(MEMBER_LIST_COLUMN,), text_columns=(MEMBER_LIST_COLUMN,), limits=LIMITS)
        if table.missing_columns:
            raise ValidationError("import.missing_column", field=MEMBER_LIST_COLUMN, column=MEMBER_LIST_COLUMN)
        numbers: dict[str, None] = {}
        for row in table.rows:
            if row.problems:
                found = row.problems[0]
                raise ValidationError("import.bad_row", field=found.error.field or MEMBER_LIST_COLUMN, row=row.row, reason=found.error.code, value=found.value)
            value = row.values.get(MEMBER_LIST_COLUMN)
            if value in (None, ""):
                continue
            try:
                numbers[validate_member_no(str(value))] = None
            except ValidationError as error:
                raise ValidationError("import.bad_row", field=MEMBER_LIST_COLUMN, row=row.row, reason=error.code, value=str(value)) from None
        return list(numbers)

    def import_members(
        self,
        *,
        path: Path,
        actor: Actor,
        skip_invalid: bool = False,
        default_branch: str | None = None,
        progress: Progress | None = None,
    ) -> MemberImportReport:
        refuse_local_import(self._context, "members")
        path, progress, digest = start_reading(path, progress)
        today = self._context.today()
        problems: list[RowProblem] = []
        candidates: list[_Candidate] = []
        with open_table(path, LIMITS) as table, self._context.uow() as uow:
            header = file_problems(table, REQUIRED)
            if header:
                return self._refused(path, 0, 0, header)

            progress.set_status("import.checking")
            branches = {b.code: b.id for b in uow.reference.branches()}
            read = ReadRows(table, problems)
            for item in read:
                values = text_values(item.values, TEXT_COLUMNS)
                candidate, errors = _check_row(values, branches=branches, default_branch=default_branch, today=today)
                for error in errors:
                    field = error.field if isinstance(error, ValidationError) else ""
                    problems.append(row_problem(item.row, error, values.get(field)))
                if candidate is not None:
                    candidates.append(replace_row(candidate, item.row))
                if read.rows_read % 1000 == 0:
                    progress.set_progress(*table.position())

            # within the file
            first_seen: dict[tuple[str, str], int] = {}
            unique: list[_Candidate] = []
            for c in candidates:
                clash = None
                for field, value in (("id_number", c.id_number), ("mobile", c.mobile), ("card_no", c.card_no)):
                    if value and (field, value) in first_seen:
                        clash = ValidationError("member_import.duplicate_in_file", field=field, value=value, first_row=first_seen[(field, value)])
                        problems.append(row_problem(c.row, clash, value))
                        break
                if clash is None:
                    for field, value in (("id_number", c.id_number), ("mobile", c.mobile), ("card_no", c.card_no)):
                        if value:
                            first_seen[(field, value)] = c.row
                    unique.append(c)

            # against the store
            existing = uow.documents.existing_identities(
                id_numbers=[c.id_number for c in unique], mobiles=[c.mobile for c in unique], cards=[c.card_no for c in unique if c.card_no]
            )
            by_id = {row[1]: row for row in existing}
            by_mobile = {row[2]: row for row in existing}
            by_card = {row[3]: row for row in existing if row[3]}
            fresh: list[_Candidate] = []
            already: list[str] = []
            for c in unique:
                same = by_id.get(c.id_number)
                if same is not None and same[2] == c.mobile and same[4] == c.name and (not c.card_no or same[3] == c.card_no):
                    already.append(same[0])  # the same person registered before: a re-import
                    continue
                clash = None
                if same is not None:
                    clash = ValidationError("member_import.exists", field="id_number", value=c.id_number, member_no=same[0])
                elif c.mobile in by_mobile:
                    clash = ValidationError("member_import.exists", field="mobile", value=c.mobile, member_no=by_mobile[c.mobile][0])
                elif c.card_no and c.card_no in by_card:
                    clash = ValidationError("member_import.exists", field="card_no", value=c.card_no, member_no=by_card[c.card_no][0])
                if clash is not None:
                    problems.append(row_problem(c.row, clash, clash.params["value"]))
                else:
                    fresh.append(c)
        rows_read = read.rows_read
        problems.sort(key=lambda p: p.row)
        rows_valid = len(fresh) + len(already)
        if read.fatal or (problems and not skip_invalid):
            return self._refused(path, rows_read, rows_valid, problems)
        report_path = str(write_error_report(error_report_path(path), problems)) if problems else None

        progress.set_status("import.posting")
        created: list[str] = []
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            numbers = store_numbers(uow, len(fresh)) if fresh else []
            for c, member_no in zip(fresh, numbers, strict=True):
                uow.members.add(
                    Member(
                        member_no=member_no,
                        kind=c.kind,
                        name=c.name,
                        name_pinyin=to_pinyin_key(c.name),
                        id_type=c.id_type,
                        id_number=c.id_number,
                        mobile=c.mobile,
                        mobile_last4=c.mobile[-4:],
                        card_no=c.card_no,
                        address=c.address,
                        branch_id=branches[c.branch_code],
                        status="active",
                        tier="standard",
                        joined_on=c.joined_on,
                        posted_balance=0,
                        held_points=0,
                        created_at=now,
                    ),
                    member_name_keys(c.name),
                )
                created.append(member_no)
                if len(created) % 500 == 0:
                    progress.set_progress(len(created), len(fresh))
            record(
                uow,
                actor,
                "import.members",
                entity="file",
                entity_id=digest[:16],
                details={
                    "file": path.name,
                    "sha256": digest,
                    "rows_read": rows_read,
                    "registered": len(created),
                    "already_registered": len(already),
                    "rows_skipped_invalid": len({p.row for p in problems}),
                    "first_member_no": created[0] if created else None,
                    "last_member_no": created[-1] if created else None,
                },
                now=now,
            )
            uow.commit()
        progress.set_progress(len(fresh), len(fresh))
        return MemberImportReport(
            file=path.name,
            rows_read=rows_read,
            rows_valid=rows_valid,
            registered=len(created),
            already_registered=len(already),
            problems=tuple(problems),
            posted=True,
            error_report=report_path,
            first_member_no=created[0] if created else None,
            last_member_no=created[-1] if created else None,
            member_nos=tuple(created),
        )

    def _refused(self, path: Path, rows_read: int, rows_valid: int, problems: list[RowProblem]) -> MemberImportReport:
        report = write_error_report(error_report_path(path), problems)
        return MemberImportReport(path.name, rows_read, rows_valid, 0, 0, tuple(problems), False, str(report))


def replace_row(candidate: _Candidate, row: int) -> _Candidate:
    from dataclasses import replace

    return replace(candidate, row=row)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _check_row(
    values: dict[str, Any], *, branches: dict[str, int], default_branch: str | None, today: date
) -> tuple[_Candidate | None, list[DomainError]]:
    errors: list[DomainError] = []
    name = _text(values.get("name"))
    if not name:
        errors.append(ValidationError("import.required", field="name"))

    raw_type = _text(values.get("id_type"))
    id_type = ID_TYPE_ALIASES.get(raw_type.lower(), ID_TYPE_ALIASES.get(raw_type))
    id_number = ""
    if not raw_type:
        errors.append(ValidationError("import.required", field="id_type"))
    elif id_type is None:
        errors.append(ValidationError("identity.id_type", field="id_type", value=raw_type, allowed=", ".join(t.value for t in IdType)))
    else:
        try:
            id_number = validate_id(id_type, _text(values.get("id_number")), "id_number", today=today)
        except ValidationError as error:
            errors.append(error)

    mobile = ""
    try:
        mobile = validate_mobile(_text(values.get("mobile")), "mobile")
    except ValidationError as error:
        errors.append(error)

    card_no: str | None = None
    raw_card = _text(values.get("card_no"))
    if raw_card:
        try:
            card_no = validate_card_no(raw_card, "card_no")
        except ValidationError as error:
            errors.append(error)

    branch_code = _text(values.get("branch_code")).upper() or (default_branch or "").upper()
    if not branch_code:
        errors.append(ValidationError("import.required", field="branch_code"))
    elif branch_code not in branches:
        errors.append(ValidationError("member_import.unknown_branch", field="branch_code", value=branch_code))

    raw_kind = _text(values.get("kind"))
    kind = KINDS.get(raw_kind.lower(), KINDS.get(raw_kind)) if raw_kind else ("business" if id_type == "uscc" else "person")
    if kind is None:
        errors.append(ValidationError("member_import.kind", field="kind", value=raw_kind, allowed="person, business"))
    elif id_type == "uscc" and kind != "business":
        errors.append(ValidationError("member_import.kind_id_type", field="kind", value=raw_kind, id_type="uscc"))

    joined_on = today
    raw_joined = values.get("joined_on")
    if isinstance(raw_joined, datetime):
        joined_on = raw_joined.date()
    elif isinstance(raw_joined, date):
        joined_on = raw_joined
    elif _text(raw_joined):
        try:
            joined_on = date.fromisoformat(_text(raw_joined))
        except ValueError:
            errors.append(ValidationError("import.date_format", field="joined_on", value=_text(raw_joined), expected="YYYY-MM-DD"))
    if joined_on > today:
        errors.append(ValidationError("import.date_future", field="joined_on", value=joined_on.isoformat()))

    if name:
        try:
            name = validate_name(name, "name", kind=kind or "person")
        except ValidationError as error:
            errors.append(error)

    address: str | None = None
    try:
        address = validate_address(_text(values.get("address")), "address")
    except ValidationError as error:
        errors.append(error)

    if errors:
        return None, errors
    assert id_type is not None and kind is not None
    return _Candidate(0, name, kind, id_type, id_number, mobile, card_no, branch_code, joined_on, address), []

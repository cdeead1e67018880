"""Table models for the screens. Rows are DTOs; the history model pages them in lazily off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from loyalty_desk.services.dto import MemberSummary
from loyalty_desk.services.members.dto import HistoryEntry, HistoryPage, LotView
from loyalty_desk.ui import fmt
from loyalty_desk.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the DTO behind a row


class _RowsModel(QAbstractTableModel):
    """Rows of DTOs, with column headers and cell text from subclasses."""

    numeric_columns: frozenset[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() in self.numeric_columns else LEFT
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers()):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers()[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if section in self.numeric_columns else LEFT
        return super().headerData(section, orientation, role)

    def row(self, number: int) -> Any:
        return self._rows[number]

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)


class LookupResultsModel(_RowsModel):
    numeric_columns = frozenset({5})

    def headers(self) -> list[str]:
        return [
            self.tr("Member no."),
            self.tr("Name"),
            self.tr("ID number"),
            self.tr("Mobile"),
            self.tr("Tier"),
            self.tr("Balance"),
            self.tr("Branch"),
        ]

    def cell(self, row: MemberSummary, column: int) -> str:
        return [
            self.tr("{member_no} (provisional)").format(member_no=row.member_no) if row.member_no_provisional else row.member_no,
            row.masked_name,
            row.masked_id,
            row.masked_mobile,
            fmt.tier(row.tier),
            fmt.number(row.balance),
            row.branch_code,
        ][column]


class LotsModel(_RowsModel):
    numeric_columns = frozenset({3, 4})

    def headers(self) -> list[str]:
        return [self.tr("Earned on"), self.tr("Source"), self.tr("Expires on"), self.tr("Earned"), self.tr("Remaining")]

    def cell(self, row: LotView, column: int) -> str:
        return [
            fmt.day(row.earned_on),
            fmt.label(fmt.SOURCES, row.source),
            fmt.day(row.expires_on),
            fmt.number(row.original),
            fmt.number(row.remaining),
        ][column]


class HistoryModel(_RowsModel):
    """The member's ledger, newest first, fetched a page at a time as the view scrolls.

    ``loader(offset, limit)`` returns a ``HistoryPage``; it runs on the task runner's read pool.
    ``reload()`` starts again (a new filter); ``refresh()`` reads again from the top but keeps the
    rows on show until the new first page replaces them, so a store change never blanks the history.
    Pages of an older generation are discarded.
    """

    numeric_columns = frozenset({3, 4})
    sig_loading = Signal(int)  # 1 loading, 0 done (no bools through signals: see tasks._Box)
    sig_loaded = Signal(int, int)  # rows held, total
    sig_failed = Signal(object)

    def __init__(self, runner: TaskRunner, loader: Callable[[int, int], HistoryPage] | None = None, *, page_size: int = 50, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._loader = loader
        self._page_size = page_size
        self._total: int | None = None
        self._loading = False
        self._replacing = False
        self._generation = 0

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._loading

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Type"), self.tr("Description"), self.tr("Points"), self.tr("Balance"), self.tr("Reference")]

    def cell(self, row: HistoryEntry, column: int) -> str:
        return [
            fmt.datetime_utc(row.occurred_at) if row.occurred_at.time() != row.occurred_at.min.time() else fmt.day(row.occurred_at.date()),
            fmt.label(fmt.ENTRY_KINDS, row.kind),
            fmt.entry_description(row.kind, row.source, row.description, row.description_params),
            fmt.signed(row.points),
            fmt.number(row.balance_after),
            row.reference or "",
        ][column]

    def set_loader(self, loader: Callable[[int, int], HistoryPage] | None, *, keep_rows: bool = False) -> None:
        self._loader = loader
        if keep_rows:
            self.refresh()
        else:
            self.reload()

    def refresh(self) -> None:
        if self._loader is None or not self._rows:
            self.reload()
            return
        self._generation += 1
        self._replacing = True
        self._fetch(0)

    def reload(self) -> None:
        self._generation += 1
        self._loading = False
        self._replacing = False
        self.beginResetModel()
        self._rows = []
        self._total = None
        self.endResetModel()
        if self._loader is not None:
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._loader is None or self._loading:
            return False
        return self._total is None or len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(len(self._rows))

    def _fetch(self, offset: int) -> None:
        self._loading = True
        self.sig_loading.emit(1)
        generation = self._generation
        loader = self._loader
        assert loader is not None
        self._runner.run(
            loader,
            offset,
            self._page_size,
            on_result=lambda page: self._page_arrived(generation, page),
            on_error=lambda error: self._page_failed(generation, error),
        )

    def _page_arrived(self, generation: int, page: HistoryPage) -> None:
        if generation != self._generation:
            return
        rows = list(page.rows)
        # Still "loading" while rows go in: views may ask canFetchMore() from rowsAboutToBeInserted.
        if self._replacing:
            self._replacing = False
            self.beginResetModel()
            self._rows, self._total = rows, page.total if rows else 0
            self.endResetModel()
        elif rows and page.offset == len(self._rows):
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._total = page.total
            self.endInsertRows()
        else:
            self._total = len(self._rows) if not rows else page.total  # nothing more (store changed under us)
        self._loading = False
        self.sig_loading.emit(0)
        self.sig_loaded.emit(len(self._rows), self._total or 0)

    def _page_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._replacing = False
        self._total = len(self._rows)  # stop asking until reload
        self.sig_loading.emit(0)
        self.sig_failed.emit(error)

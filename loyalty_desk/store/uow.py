"""Unit of work: the only way services reach storage.

    with uow_factory(write=True) as uow:
        member = uow.members.by_no("M1000000018")
        ...
        uow.commit()

Leaving the block without ``commit()`` rolls back. Services never see a Session.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session

from loyalty_desk.store.db import Database
from loyalty_desk.store.repositories.adjustments import AdjustmentRepository
from loyalty_desk.store.repositories.analytics import AnalyticsRepository
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.campaigns import CampaignRepository
from loyalty_desk.store.repositories.documents import DocumentRepository
from loyalty_desk.store.repositories.earning import EarningRepository
from loyalty_desk.store.repositories.hints import HintRepository
from loyalty_desk.store.repositories.ledger import LedgerRepository
from loyalty_desk.store.repositories.lookup import LookupRepository
from loyalty_desk.store.repositories.members import MemberRepository
from loyalty_desk.store.repositories.outreach import OutreachRepository
from loyalty_desk.store.repositories.redemption import RedemptionRepository
from loyalty_desk.store.repositories.reference import ReferenceRepository
from loyalty_desk.store.repositories.referrals import ReferralRepository
from loyalty_desk.store.repositories.rule_changes import RuleChangeRepository
from loyalty_desk.store.repositories.segments import SegmentRepository
from loyalty_desk.store.repositories.staff import StaffRepository
from loyalty_desk.store.repositories.sync_exceptions import SyncExceptionRepository
from loyalty_desk.store.repositories.tier_overrides import TierOverrideRepository


class UnitOfWork:
    def __init__(self, database: Database, *, write: bool = False) -> None:
        self._database = database
        self._write = write
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        factory = self._database.write_sessions if self._write else self._database.read_sessions
        self._session = session = factory()
        self.is_postgres = not self._database.is_sqlite
        self.members = MemberRepository(session, self.is_postgres)
        self.lookup = LookupRepository(session, self.is_postgres)
        self.ledger = LedgerRepository(session, self.is_postgres)
        self.analytics = AnalyticsRepository(session, self.is_postgres)
        self.staff = StaffRepository(session, self.is_postgres)
        self.audit = AuditRepository(session, self.is_postgres)
        self.reference = ReferenceRepository(session, self.is_postgres)
        self.earning = EarningRepository(session, self.is_postgres)
        self.redemption = RedemptionRepository(session, self.is_postgres)
        self.adjustments = AdjustmentRepository(session, self.is_postgres)
        self.documents = DocumentRepository(session, self.is_postgres)
        self.referrals = ReferralRepository(session, self.is_postgres)
        self.sync_exceptions = SyncExceptionRepository(session, self.is_postgres)
        self.tier_overrides = TierOverrideRepository(session, self.is_postgres)
        self.hints = HintRepository(session, self.is_postgres)
        self.rule_changes = RuleChangeRepository(session, self.is_postgres)
        self.campaigns = CampaignRepository(session, self.is_postgres)
        self.segments = SegmentRepository(session, self.is_postgres)
        self.outreach = OutreachRepository(session, self.is_postgres)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        assert self._session is not None
        self._session.commit()

    def flush(self) -> None:
        assert self._session is not None
        self._session.flush()


UowFactory = Callable[..., UnitOfWork]


def uow_factory(database: Database) -> UowFactory:
    """``factory()`` for reads, ``factory(write=True)`` for work that changes the store."""

    def make(*, write: bool = False) -> UnitOfWork:
        return UnitOfWork(database, write=write)

    return make

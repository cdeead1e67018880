"""What a desk asks of central besides push and pull: a member outside its branches (docs/sync.md,
"What a desk may read"), blocks of member numbers (``services/member_numbers.py``), and telling central
where its pull has reached."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.sync.desk_state import CentralUnreachable, first_line, log
from loyalty_desk.sync.feed import Cursor
from loyalty_desk.sync.protocol import FETCH_LIMIT_STATE, REPORT_POSITION, RESERVE_MEMBER_NUMBERS
from loyalty_desk.sync.pull import DeskPull, fetched_rows


class DeskMemberRequests(DeskPull):
    def fetch_member(self, kind: str, handle: str) -> bool:
        """Fetches one member this desk does not hold from central by an exact handle (``member_no``,
        ``card``, ``mobile``, ``id_number``) and keeps them: central records that this desk holds
        them, so the feed brings their later changes. False: central has no such single member.
        Raises ``CentralUnreachable`` offline, ``DomainError('member.fetch_limit')`` when central
        refuses more fetches today."""
        try:
            with self.central.connect() as connection:
                rows = fetched_rows(connection, kind, handle)
                if rows:
                    self._apply_page(rows, None, connection)
                connection.commit()
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == FETCH_LIMIT_STATE:
                raise DomainError("member.fetch_limit") from error
            self._went_offline(error)
            raise CentralUnreachable(str(error)) from error
        return bool(rows)

    def reserve_member_numbers(self, count: int) -> bool:
        """A block of ``count`` numbers from central's sequence for this desk (recorded per desk at central);
        False when central cannot be reached (the caller then gives a provisional number)."""
        if self.is_offline():
            return False
        try:
            with self.central.begin() as connection:
                first, last = connection.execute(
                    RESERVE_MEMBER_NUMBERS, {"n": count}
                ).one()
        except DBAPIError as error:
            log.info("no member numbers reserved: %s", first_line(error.orig or error))
            return False
        with self.context.uow(write=True) as uow:
            uow.members.add_block(desk=self.settings.desk, first=int(first), last=int(last), now=self.context.clock())
            uow.commit()
        return True

    def _report_position(self) -> None:
        """Tells central where this desk's pull has reached (``central status``: each desk's last pull and
        the slowest desk's cursor); a central that cannot take it is no reason to fail the round."""
        cursor = Cursor.from_text(self.state().get("cursor"))
        try:
            with self.central.begin() as connection:
                connection.execute(REPORT_POSITION, {"txid": cursor.txid, "seq": cursor.seq})
        except DBAPIError as error:
            log.info("position not reported: %s", first_line(error.orig or error))

    def _top_up_member_numbers(self) -> None:
        from loyalty_desk.services.member_numbers import BLOCK_SIZE, LOW_WATER

        with self.context.uow() as uow:
            left = uow.members.block_serials_left()
        if left < LOW_WATER:
            self.reserve_member_numbers(BLOCK_SIZE)

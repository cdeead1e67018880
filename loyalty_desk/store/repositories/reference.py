"""Branches, rule settings, campaigns and job runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from loyalty_desk.store.models import Branch, Campaign, JobRun, LedgerEntry, RuleSetting
from loyalty_desk.store.repositories.base import Repository


class ReferenceRepository(Repository):
    # branches
    def branches(self) -> list[Branch]:
        return list(self.session.scalars(select(Branch).order_by(Branch.code)))

    def branch_by_code(self, code: str) -> Branch | None:
        return self.session.scalar(select(Branch).where(Branch.code == code))

    def branch(self, branch_id: int) -> Branch | None:
        return self.session.get(Branch, branch_id)

    def add_branch(self, branch: Branch) -> Branch:
        return self._added(branch)

    # rule settings
    def rule_sections(self) -> dict[str, dict[str, Any]]:
        return {row.section: row.value for row in self.session.scalars(select(RuleSetting))}

    def put_rule_section(self, section: str, value: dict[str, Any], *, by: str, now: datetime) -> RuleSetting:
        row = self.session.get(RuleSetting, section)
        if row is None:
            row = RuleSetting(section=section, value=value, version=1, updated_at=now, updated_by=by)
            self.session.add(row)
        elif row.value != value:
            row.value, row.version, row.updated_at, row.updated_by = value, row.version + 1, now, by
        self.session.flush()
        return row

    # campaigns
    def campaigns_active_on(self, day: date) -> list[Campaign]:
        """Approved campaigns whose window holds ``day`` and whose budget is not spent (only these earn)."""
        return list(
            self.session.scalars(
                select(Campaign).where(
                    Campaign.starts_on <= day, Campaign.ends_on >= day, Campaign.status == "approved",
                    Campaign.spent_points < Campaign.budget_points,
                )
            )
        )

    def campaign_by_code(self, code: str, *, fresh: bool = False) -> Campaign | None:
        query = select(Campaign).where(Campaign.code == code)
        return self._fresh_row(query, lock=False) if fresh else self.session.scalar(query)

    def campaigns(self) -> list[Campaign]:
        return list(self.session.scalars(select(Campaign).order_by(Campaign.starts_on)))

    def campaigns_listed(self, statuses: tuple[str, ...] = ()) -> list[Campaign]:
        """Newest window first."""
        query = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.code)
        if statuses:
            query = query.where(Campaign.status.in_(list(statuses)))
        return list(self.session.scalars(query))

    def remove_campaign(self, campaign: Campaign) -> None:
        self.session.delete(campaign)

    def lock_campaign(self, code: str) -> Campaign | None:
        """The campaign row re-read and locked for the rest of the transaction (a racing decision shows)."""
        return self._fresh_row(select(Campaign).where(Campaign.code == code))

    def recount_campaign_members(self, code: str) -> None:
        """``members_reached`` from the ledger (the demo's history, written without the earning service)."""
        reached = select(func.count(func.distinct(LedgerEntry.member_id))).where(LedgerEntry.campaign_code == code).scalar_subquery()
        self.session.execute(update(Campaign).where(Campaign.code == code).values(members_reached=reached))

    def branch_code(self, branch_id: int) -> str | None:
        return self.session.scalar(select(Branch.code).where(Branch.id == branch_id))

    def branch_codes(self) -> list[str]:
        return list(self.session.scalars(select(Branch.code).order_by(Branch.code)))

    def add_campaign(self, campaign: Campaign) -> Campaign:
        return self._added(campaign)

    # job runs
    def job_run(self, job: str, run_key: str) -> JobRun | None:
        return self.session.get(JobRun, (job, run_key))

    def start_job_run(self, job: str, run_key: str, now: datetime) -> JobRun:
        row = self.job_run(job, run_key)
        if row is None:
            row = JobRun(job=job, run_key=run_key, started_at=now)
            self.session.add(row)
            self.session.flush()
        return row

    def claim_job_run(self, job: str, run_key: str, now: datetime) -> JobRun:
        """The run's row, created when missing and locked for the rest of the transaction: a second
        transaction claiming the same run waits here until the first commits, then sees its
        ``finished_at`` (PostgreSQL; SQLite's writers are serialised by ``BEGIN IMMEDIATE``)."""
        insert = postgresql_insert if self.is_postgres else sqlite_insert
        self.session.execute(insert(JobRun).values(job=job, run_key=run_key, started_at=now).on_conflict_do_nothing())
        query = select(JobRun).where(JobRun.job == job, JobRun.run_key == run_key).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).one()

"""Member statements: the figures from the ledger, a statement number, and a signed QR code.

Figures for a period ``[period_from, period_to]`` (business dates, ``occurred_on``):

- opening balance = the sum of the member's entries dated before ``period_from``;
- each entry in the period, oldest first, with a running balance from the opening one;
- closing = opening + earned - spent (earned: positive entries; spent: negative ones);
- points expiring in each of the next three calendar months (the month of issue and the two
  after it), from the member's open lots as they stand when the statement is issued.

**Verification.** The QR code carries the statement number and its figures (member, period,
opening, earned, spent, closing, entry count, issue date), a key id, and an HMAC-SHA256 over
them (first 128 bits, hex). The key is a per-installation secret of 32 random bytes kept in the
store, in the ``rule_setting`` row of section ``statement_signing`` (``{"current": kid,
"keys": {kid: hex}}``). That section is not one of ``RuleSettings``' sections, so it never shows
among the programme rules; it is created on first use (with an audit row that names the key id,
never the key) and, like the store, survives a restart and a backup/restore. Key ids let a key
be rotated while older statements stay verifiable. ``verify(text)`` recomputes the HMAC, so any
edited figure fails; for a genuine statement it also says whether the ledger still gives the
same figures for that period (a later back-dated posting would make them differ).
"""

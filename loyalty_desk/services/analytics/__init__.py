"""Analytics: the daily aggregates the database keeps as the ledger posts (``store/analytics.py``),
their rebuild, check and compaction (``service.py``), and the branch dashboard's figures read from
them (``dashboard.py``); what they return in ``dto.py``.
"""

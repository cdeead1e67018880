"""Loyalty Desk: the branch desk for the bank's points loyalty programme."""

__version__ = "0.1.0"

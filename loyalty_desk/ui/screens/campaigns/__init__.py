"""Campaigns: head-office marketing's screen (the list, the form, the forecast, the four-eyes decision)."""

"""The outreach screen: head-office marketing's message batches."""

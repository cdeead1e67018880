"""Outreach: marketing messages to a segment, and the member's language and opt-out."""

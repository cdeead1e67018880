"""Segments: named, saved member filters of head-office marketing."""

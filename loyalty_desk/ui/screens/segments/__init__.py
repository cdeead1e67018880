"""The Segments screen of head-office marketing."""

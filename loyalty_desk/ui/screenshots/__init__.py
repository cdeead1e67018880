"""Renders every screen of the desk to PNG files for the documentation (``loyalty-desk screenshots``)."""

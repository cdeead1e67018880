"""The branch dashboard: the screen (``screen.py``) and its trend table and chart (``models.py``)."""

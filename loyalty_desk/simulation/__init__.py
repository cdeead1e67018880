"""``loyalty-desk central simulate``: many desks at once against a staging central, then a proof by counting.

``world.py`` puts the run's regions, staff, members and desk logins into central; ``desk.py`` is one
simulated desk (the real desk services and sync engine over its own store); ``proof.py`` counts what
every desk made against what central applied; ``run.py`` puts them together. See docs/sync.md,
"The load simulator".
"""

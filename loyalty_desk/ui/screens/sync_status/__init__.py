"""Screen 9, Sync status: connected or not, last push and pull, operations waiting to be sent,
the exceptions head office rejected (each resolved by a supervisor with a note, never dropped), "Sync now",
and the central URL and desk name (never the password).

Officers and supervisors see it; only a supervisor resolves. A desk without a central says so
("standalone: no central database configured") instead of hiding the screen.
Everything that touches the store or central runs off the UI thread (``ui/tasks.py``)."""

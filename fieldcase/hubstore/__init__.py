"""The team hub's persistence: a PostgreSQL database holding the team's shared history.

Beside ``store`` in the layers (``store`` owns the project file, this package owns the hub);
the only package that imports ``psycopg``. Nothing in the normal work needs it: a project
that never saw a network never loads it.

- :mod:`.connection`: open a connection (passwords from libpq's usual places or an asker),
  show a URL without its password.
- :mod:`.errors`: psycopg's exceptions turned into one-line :class:`FieldcaseError` s.
- :mod:`.migrations`: the numbered schema steps and their ledger.
- :mod:`.schema`: ``init`` (create or upgrade), the group roles and ``grant``.
- :mod:`.groups`: what the hub holds of the change groups (counts, which uuids it lacks).
- :mod:`.sync`: what a sync reads from and writes to the hub.
- :mod:`.conflicts`: the conflicts members' syncs found, and their settlements.
"""

"""The database of a command that uses one (``baocao serve``, ``baocao demo``, ``baocao signing add-key``, …),
brought up to date before the command touches it."""

from __future__ import annotations

from baocao.django_setup import setup

__all__ = ["setup_database"]


def setup_database() -> None:
    """Start Django and run ``migrate`` when it has something to do: a migration not applied yet, or a
    packaged form not stored yet (``migrate`` stores them, ``baocao.forms.apps``). Otherwise nothing is run:
    the check takes a few hundredths of a second, where a ``migrate`` with nothing to apply takes half a
    second of CPU in a fresh process (it builds every model's past states and reads every packaged form),
    paid by each start of the server and each command. Raises ``django.db.Error`` when the database cannot
    be reached."""
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from baocao.forms.services import seed_forms_stored

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()) or not seed_forms_stored():
        call_command("migrate", verbosity=0)

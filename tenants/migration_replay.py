"""Replaying one schema's migration SQL in the other schemas at the same state.

Django's schema editor writes unqualified table names, and schemas that have applied the same
migrations are clones of one another, so the statements one schema ran are the statements
every other schema in its group needs: replayed under that schema's search_path they cost a
round trip each instead of rebuilding the project state in Python (most of the ~0.2 s a store
the migration framework spends per schema). Only plans made of schema operations qualify;
`RunPython` (or anything else that reads data to decide) makes every schema take Django's path.
"""

import contextlib

from django.db import migrations, transaction

REPLAYABLE_OPERATIONS = (
    migrations.CreateModel, migrations.DeleteModel, migrations.RenameModel,
    migrations.AlterModelTable, migrations.AlterModelOptions, migrations.AlterModelManagers,
    migrations.AlterUniqueTogether, migrations.AlterIndexTogether,
    migrations.AlterOrderWithRespectTo, migrations.AddField, migrations.RemoveField,
    migrations.AlterField, migrations.RenameField, migrations.AddIndex, migrations.RemoveIndex,
    migrations.RenameIndex, migrations.AddConstraint, migrations.RemoveConstraint,
    migrations.RunSQL,
)  # fmt: skip


def plan_replayable(plan: list) -> bool:
    return all(
        not backward
        and migration.atomic
        and all(type(operation) in REPLAYABLE_OPERATIONS for operation in migration.operations)
        for migration, backward in plan
    )


class StatementLog:
    """What the schema editor ran for each migration of a plan (introspection reads and the
    migration's own record left out), filled while the group's first schema migrates."""

    def __init__(self):
        self.statements: dict[tuple, list] = {}
        self.complete = False  # the first schema of the group has migrated
        self._current = None

    def progress(self, action, migration=None, fake=False):
        if action == "apply_start":
            self._current = self.statements.setdefault((migration.app_label, migration.name), [])
        elif action == "apply_success":
            self._current = None

    def _capture(self, execute, sql, params, many, context):
        text = sql.lstrip().upper()
        # Reads, and the schema switch django-tenants sends through the same cursor.
        introspection = text.startswith(("SELECT", "SET SEARCH_PATH"))
        if self._current is not None and not introspection and '"DJANGO_MIGRATIONS"' not in text:
            self._current.append((sql, params, many))
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def capturing(self, connection):
        with connection.execute_wrapper(self._capture):
            yield


def plan_replay(connection, plan: list, log: StatementLog) -> None:
    """Run the logged statements and record the migrations in the current schema, in one
    transaction."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for migration, _ in plan:
            key = (migration.app_label, migration.name)
            for sql, params, many in log.statements[key]:
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, now())", key
            )

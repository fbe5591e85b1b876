"""`migrate_schemas` at a cost flat in the number of stores: the "catalog" executor.

django-tenants' executors run the whole `migrate` command once per schema: the migration graph
is loaded and the project state rebuilt for every store even when nothing is to be applied
(~0.16 s a schema). This executor instead

1. loads the graph once and asks PostgreSQL, in one generated `UNION ALL` over every schema's
   `django_migrations` (500 schemas a statement, to stay inside the lock table), which of the
   graph's migrations each schema lacks. Schemas lacking nothing cost nothing more;
2. groups the schemas that are behind by what they lack, builds each group's plan and
   pre-migration project state once, and applies it schema by schema over
   `TENANT_MULTIPROCESSING_MAX_PROCESSES` connections (threads), sending `post_migrate` for the
   apps that were migrated (content types of new models);
3. goes in the order template, spare schemas (tenants/pool.py), stores: a store provisioned
   meanwhile gets the template's tables. A spare is migrated holding its pool row, so it is
   never taken half-migrated.

Options it does not implement itself (an app label or a target migration, `--prune`,
`--run-syncdb`) run django-tenants' standard per-schema path; `--plan` and `--check` run it on
the schemas that are behind only. Squashed migrations (graph shaped by what is applied) also
take the standard path for the schemas behind.

Selected by `GET_EXECUTOR_FUNCTION` (django-tenants 4 reads it in `migrate_schemas`):
`--executor=<codename>` or the `EXECUTOR` environment variable still pick any executor, and
`TENANT_MIGRATION_EXECUTOR` names the default.
"""

import contextlib
import copy
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.sql import emit_pre_migrate_signal
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.signals import schema_migrated, schema_pre_migration

from .migration_replay import StatementLog, plan_replay, plan_replayable
from .pool import POOL_TABLE, spare_schema_names

CATALOG_BATCH = 500
STANDARD_ONLY_OPTIONS = ("app_label", "migration_name", "prune", "run_syncdb")


def migration_executor_get(codename=None):
    """django-tenants' `get_executor`, defaulting to TENANT_MIGRATION_EXECUTOR."""
    codename = codename or os.environ.get("EXECUTOR") or settings.TENANT_MIGRATION_EXECUTOR
    return get_executor(codename)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schemas_missing_migrations(connection, schemas: list[str], expected) -> dict[str, frozenset]:
    """{schema: the expected (app, name) pairs it has not applied}, for the schemas behind.

    A schema without a `django_migrations` table lacks everything."""
    expected = sorted(expected)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname FROM pg_namespace n
               JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'django_migrations'
               WHERE n.nspname = ANY(%s)""",
            [schemas],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        missing = {schema: set(expected) for schema in schemas if schema not in with_table}
        present = [schema for schema in schemas if schema in with_table]
        apps_names = [[app for app, _ in expected], [name for _, name in expected]]
        for start in range(0, len(present), CATALOG_BATCH):
            batch = present[start : start + CATALOG_BATCH]
            branches = [
                f"SELECT %s, e.app, e.name FROM expected e WHERE NOT EXISTS (SELECT 1 FROM "
                f"{_quote(schema)}.django_migrations m WHERE m.app = e.app AND m.name = e.name)"
                for schema in batch
            ]
            cursor.execute(
                "WITH expected(app, name) AS (SELECT * FROM unnest(%s::text[], %s::text[])) "
                + " UNION ALL ".join(branches),
                [*apps_names, *batch],
            )
            for schema, app, name in cursor.fetchall():
                missing.setdefault(schema, set()).add((app, name))
    return {schema: frozenset(lacking) for schema, lacking in missing.items()}


class _KnownTableRecorder(MigrationRecorder):
    """The catalog query has seen this schema's django_migrations table: skip the
    introspection query `ensure_schema` would run (it lists the schema's tables, which costs
    more the bigger the catalog)."""

    def has_table(self):
        return True


class _PreloadedExecutor(DjangoMigrationExecutor):
    """Django's executor over a graph loaded once (no disk read, no applied-rows query)."""

    def __init__(self, connection, loader, progress_callback=None, *, table_known=False):
        self.connection = connection
        self.loader = loader
        recorder = _KnownTableRecorder if table_known else MigrationRecorder
        self.recorder = recorder(connection)
        self.progress_callback = progress_callback


@dataclass
class _Group:
    """Schemas lacking the same migrations share one plan and one pre-migration state."""

    loader: MigrationLoader
    lacking: frozenset
    plan: list
    state: object
    log: StatementLog | None = None  # set when the plan can be replayed


class CatalogExecutor(MigrationExecutor):
    codename = "catalog"

    def __init__(self, args, options):
        super().__init__(args, options)
        self.verbosity = int(options.get("verbosity", 1))
        self._output_lock = threading.Lock()

    def _write(self, schema: str, message: str) -> None:
        if self.verbosity >= 1:
            with self._output_lock:
                sys.stdout.write(f"[{self.codename}:{schema}] {message}\n")
                sys.stdout.flush()

    def _standard(self, schemas: list[str]) -> None:
        for index, schema in enumerate(schemas):
            run_migrations(
                self.args, self.options, self.codename, schema, idx=index, count=len(schemas)
            )

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("The catalog executor does not support multi-type tenants.")

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
        if not tenants:
            return
        if any(self.options.get(option) for option in STANDARD_ONLY_OPTIONS):
            self._standard(tenants)
            return
        template = settings.TENANT_BASE_SCHEMA
        connection = connections[self.TENANT_DB_ALIAS]
        connection.set_schema_to_public()
        spares = [] if self.options.get("schema_name") else spare_schema_names()
        ordered = [template] if template in tenants else []
        ordered += spares + [schema for schema in tenants if schema != template]
        started = time.perf_counter()
        loader = MigrationLoader(None, ignore_no_migrations=True)
        missing = schemas_missing_migrations(connection, ordered, loader.graph.nodes)
        behind = [schema for schema in ordered if schema in missing]
        self._write(
            "*",
            f"{len(ordered)} schemas, {len(behind)} behind "
            f"({time.perf_counter() - started:.2f} s to find out)",
        )
        if not behind:
            return
        if self.options.get("check_unapplied"):
            sys.exit(1)
        if self.options.get("plan") or loader.replacements:
            self._standard(behind)
            return
        groups = self._groups(loader, {schema: missing[schema] for schema in behind})
        spare_set = set(spares)
        if template in missing:
            self._migrate_schema(groups[missing[template]], template, spare=False)
        self._migrate_behind([s for s in behind if s != template], groups, missing, spare_set)

    def _migrate_behind(self, rest: list, groups: dict, missing: dict, spare_set: set) -> None:
        connection = connections[self.TENANT_DB_ALIAS]
        # Each group's first schema migrates through Django here, logging what to replay.
        for schema in list(rest):
            group = groups[missing[schema]]
            if group.log is not None and not group.log.complete:
                self._migrate_schema(group, schema, spare=schema in spare_set)
                rest.remove(schema)
        workers = max(1, int(getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)))
        if connection.in_atomic_block or len(rest) <= 1:
            # Inside a transaction (a store's schema migrated from zero while it is created)
            # other connections cannot see the schema: stay on this one.
            for schema in rest:
                self._migrate_schema(groups[missing[schema]], schema, spare=schema in spare_set)
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(self._migrate_in_thread, groups[missing[s]], s, s in spare_set)
                for s in rest
            ]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        connection.set_schema_to_public()

    def _groups(self, loader, missing: dict[str, frozenset]) -> dict[frozenset, _Group]:
        connection = connections[self.TENANT_DB_ALIAS]
        targets = loader.graph.leaf_nodes()
        groups = {}
        for lacking in dict.fromkeys(missing.values()):
            group_loader = copy.copy(loader)  # the graph is shared, only the applied set differs
            group_loader.applied_migrations = {
                key: None for key in loader.graph.nodes if key not in lacking
            }
            executor = _PreloadedExecutor(connection, group_loader)
            plan = executor.migration_plan(targets)
            state = executor._create_project_state(with_applied_migrations=True)
            state.apps  # rendered once; every schema of the group gets a clone  # noqa: B018
            replay = plan_replayable(plan) and not (
                self.options.get("fake") or self.options.get("fake_initial")
            )
            groups[lacking] = _Group(
                group_loader, lacking, plan, state, StatementLog() if replay else None
            )
        # pre_migrate once for all plans: contenttypes injects its rename operations into the
        # (shared) migration objects, and must do so once only.
        combined = {id(m): (m, back) for group in groups.values() for m, back in group.plan}
        emit_pre_migrate_signal(
            0, False, self.TENANT_DB_ALIAS, apps=global_apps, plan=list(combined.values())
        )
        return groups

    def _migrate_in_thread(self, group: _Group, schema: str, spare: bool) -> None:
        try:
            self._migrate_schema(group, schema, spare=spare)
        finally:
            connections[self.TENANT_DB_ALIAS].close()

    def _migrate_schema(self, group: _Group, schema: str, *, spare: bool) -> None:
        connection = connections[self.TENANT_DB_ALIAS]
        if not spare:
            self._apply(connection, group, schema)
            return
        with transaction.atomic(using=self.TENANT_DB_ALIAS):
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT 1 FROM {POOL_TABLE} WHERE schema_name = %s FOR UPDATE SKIP LOCKED",
                    [schema],
                )
                if cursor.fetchone() is None:
                    self._write(schema, "taken or dropped meanwhile, skipped")
                    return
            self._apply(connection, group, schema)

    def _apply_with_django(self, connection, group: _Group, schema: str, table_known) -> None:
        log = group.log

        def progress(action, migration=None, fake=False):
            if log is not None:
                log.progress(action, migration)
            if action == "apply_success":
                self._write(schema, f"Applied {migration}{' (faked)' if fake else ''}")

        executor = _PreloadedExecutor(connection, group.loader, progress, table_known=table_known)
        with log.capturing(connection) if log is not None else contextlib.nullcontext():
            executor.migrate(
                group.loader.graph.leaf_nodes(),
                plan=group.plan,
                state=group.state.clone(),
                fake=self.options.get("fake", False),
                fake_initial=self.options.get("fake_initial", False),
            )
        if log is not None:
            log.complete = True

    def _apply(self, connection, group: _Group, schema: str) -> None:
        schema_pre_migration.send(run_migrations, schema_name=schema)
        table_known = len(group.lacking) < len(group.loader.graph.nodes)
        if not table_known:  # perhaps a schema without django_migrations: create it there
            connection.set_schema(schema, include_public=False)
            MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema)

        if group.log is not None and group.log.complete:
            plan_replay(connection, group.plan, group.log)
            for migration, _ in group.plan:
                self._write(schema, f"Applied {migration} (replayed)")
        else:
            self._apply_with_django(connection, group, schema, table_known)
        for app_label in dict.fromkeys(migration.app_label for migration, _ in group.plan):
            app_config = global_apps.get_app_config(app_label)
            if app_config.models_module is not None:
                post_migrate.send(
                    sender=app_config, app_config=app_config, verbosity=0, interactive=False,
                    using=connection.alias, apps=global_apps, plan=group.plan,
                )  # fmt: skip
        connection.set_schema_to_public()
        schema_migrated.send(run_migrations, schema_name=schema)

"""One SQL statement in the current store's schema, in one round trip to PostgreSQL.

django-tenants forgets the connection's search path on every `set_tenant` (each request sets
its store), so the first cursor of a request sends `SET search_path` on its own before the
statement: two round trips. On a hot path whose only query is one statement (the widget
signup's INSERT) that SET is half the database time. `store_fetchone` sends the SET and the
statement as one query string instead (psycopg2 runs both, the result is the statement's), and
records the path as set, exactly as django-tenants would have; if the statement fails the path
is forgotten again, so the next cursor sets it anew.
"""

from django.db import connection
from django_tenants.utils import get_limit_set_calls, quote_schema_name


def store_fetchone(sql: str, params: list) -> tuple | None:
    """Execute `sql` (one statement, `%s` parameters) and return its first row, or None."""
    # Without TENANT_LIMIT_SET_CALLS django-tenants sets the path before every statement anyway.
    pending = get_limit_set_calls() and not getattr(connection, "search_path_set_schemas", True)
    if pending:
        paths = connection._get_cursor_search_paths()
        prefix = "SET search_path = " + ",".join(quote_schema_name(s) for s in paths) + "; "
        # Marked before cursor() so django-tenants does not send its own SET first.
        connection.search_path_set_schemas = paths
        sql = prefix + sql
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except BaseException:
        if pending:
            connection.search_path_set_schemas = None
        raise

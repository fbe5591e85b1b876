"""PostgreSQL helpers shared by the apps."""

from collections.abc import Iterable
from datetime import datetime


def pg_array(values: Iterable) -> str:
    """A list as one PostgreSQL array literal ('{1,2,NULL}'), passed as a single parameter and
    cast in SQL (`unnest(%s::bigint[])`).

    psycopg2 sends a Python list as ARRAY[v1, v2, …], which the server parses as one expression
    per element: for the 10,000-element columns of an analytics rollup upsert that parsing took
    ten times as long as the insert itself. A literal is parsed as one string.
    Elements: int, str, datetime (aware) or None.
    """
    return "{" + ",".join(_array_element(value) for value in values) + "}"


def pg_int_array(values: Iterable[int]) -> str:
    """pg_array for integers only (no None), the fast way: rollup columns are long."""
    return "{" + ",".join(map(str, values)) + "}"


def _array_element(value) -> str:
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

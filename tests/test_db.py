"""saas.db.pg_array: every value comes back from PostgreSQL as it went in."""

from datetime import UTC, datetime

from django.db import connection

from saas.db import pg_array, pg_int_array


def round_trip(values, pg_type):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unnest(%s::{pg_type})", [pg_array(values)])
        return [row[0] for row in cursor.fetchall()]


def test_text_with_quotes_backslashes_separators_and_null_words(db):
    values = ['a"b', "c\\d", "e,f", "{g}", "", " h ", "NULL", None, "ज़रा", "x'y"]
    assert round_trip(values, "text[]") == values


def test_integers_nulls_and_timestamps(db):
    assert round_trip([3, -1, 0, 2**62], "bigint[]") == [3, -1, 0, 2**62]
    assert round_trip([1, None, 2], "bigint[]") == [1, None, 2]
    moments = [datetime(2026, 11, 2, 4, 45, 7, 123456, tzinfo=UTC), None]
    assert round_trip(moments, "timestamptz[]") == moments
    assert round_trip([], "bigint[]") == []


def test_integer_fast_path(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::bigint[])", [pg_int_array(n for n in (5, -1, 0))])
        assert [row[0] for row in cursor.fetchall()] == [5, -1, 0]

"""saas.store_sql: a statement and the store's search path in one round trip."""

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from saas.store_sql import store_fetchone
from tests.support.stores import in_store


def test_the_search_path_travels_with_the_statement_and_is_kept(store_a):
    with in_store(store_a), CaptureQueriesContext(connection) as queries:
        row = store_fetchone("SELECT current_schema(), %s", ["x"])
        again = store_fetchone("SELECT current_schema()", [])

    assert row == (store_a.schema_name, "x")
    assert again == (store_a.schema_name,)
    first, second = (q["sql"] for q in queries.captured_queries)
    assert (
        first
        == f'SET search_path = "{store_a.schema_name}","public"; SELECT current_schema(), \'x\''
    )
    assert second == "SELECT current_schema()"


def test_a_statement_returning_no_row_gives_none(store_a):
    with in_store(store_a):
        assert store_fetchone("SELECT 1 WHERE false", []) is None


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_statement_the_next_one_sets_the_path_again(make_store):
    store = make_store("Path shop")
    # Autocommit: the failed statement's implicit transaction took its SET with it.
    with in_store(store):
        with pytest.raises(DataError):
            store_fetchone("SELECT 1 / 0", [])
        with CaptureQueriesContext(connection) as queries:
            assert store_fetchone("SELECT current_schema()", []) == (store.schema_name,)
    [statement] = (q["sql"] for q in queries.captured_queries)
    assert statement.startswith("SET search_path = ")

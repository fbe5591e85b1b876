"""The remembered host -> store lookup (saas/tenant_middleware.py): right store, never stale."""

from django.db import connection
from django_redis import get_redis_connection

from saas import tenant_middleware
from shared_apps.accounts.services import api_token_create
from tenants.models import Domain
from tenants.services import store_create, store_delete
from tests.support.stores import api_client, store_host


def _version() -> int:
    return int(get_redis_connection("default").get(tenant_middleware.VERSION_KEY) or 0)


def _cached_hosts() -> set[str]:
    return set(tenant_middleware._hosts)


def test_two_hosts_answer_their_own_store_from_the_cache(
    store_a, store_b, api_token_a, api_token_b, django_assert_num_queries
):
    client_a = api_client(store_host(store_a), token=api_token_a)
    client_b = api_client(store_host(store_b), token=api_token_b)
    client_a.get("/api/store")
    client_b.get("/api/store")
    assert _cached_hosts() == {store_host(store_a), store_host(store_b)}

    for _ in range(3):
        answer_a, answer_b = client_a.get("/api/store"), client_b.get("/api/store")
        assert (answer_a.status_code, answer_b.status_code) == (200, 200)
        assert (answer_a.json()["id"], answer_a.json()["slug"]) == (store_a.pk, "alpha")
        assert (answer_b.json()["id"], answer_b.json()["slug"]) == (store_b.pk, "beta")
    # Each store's key is refused on the other host, cached or not.
    assert api_client(store_host(store_a), token=api_token_b).get("/api/store").status_code == 403
    assert api_client(store_host(store_b), token=api_token_a).get("/api/store").status_code == 403

    # Cached: no Domain + Store query; the search path, token, membership and the store
    # link's domain remain.
    with django_assert_num_queries(4) as captured:
        assert client_a.get("/api/store").json()["id"] == store_a.pk
    assert connection.schema_name == store_a.schema_name
    joined = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"tenants_store"' not in joined


def test_a_domain_change_is_seen_on_the_next_request(
    store_a, api_token_a, django_capture_on_commit_callbacks
):
    old_host = store_host(store_a)
    assert api_client(old_host, token=api_token_a).get("/api/store").status_code == 200
    before = _version()

    with django_capture_on_commit_callbacks(execute=True):
        domain = Domain.objects.get(domain=old_host)
        domain.domain = "renamed-alpha.localhost"
        domain.save()

    assert _version() == before + 1
    gone = api_client(old_host, token=api_token_a).get("/api/store")
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_host")
    moved = api_client("renamed-alpha.localhost", token=api_token_a).get("/api/store")
    assert (moved.status_code, moved.json()["id"]) == (200, store_a.pk)


def test_a_change_committed_by_another_process_is_seen_on_the_next_request(store_a, api_token_a):
    host = store_host(store_a)
    assert api_client(host, token=api_token_a).get("/api/store").json()["name"] == "Alpha"
    # Another process renames the store: this process hears no signal, only the version.
    Domain.objects.filter(domain=host).update(domain="elsewhere.localhost")
    assert host in _cached_hosts()

    get_redis_connection("default").incr(tenant_middleware.VERSION_KEY)

    gone = api_client(host, token=api_token_a).get("/api/store")
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_host")


def test_a_deleted_store_is_gone_on_the_next_request_and_a_new_one_answers_at_once(
    seller_a, django_capture_on_commit_callbacks
):
    key = api_token_create(seller=seller_a, name="tests")[1]
    unknown = api_client("short-lived.localhost", token=key).get("/api/store")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_host")

    store = store_create(owner=seller_a, name="Short lived", slug="short-lived")
    client = api_client("short-lived.localhost", token=key)
    assert client.get("/api/store").json()["id"] == store.pk  # unknown hosts are not kept
    assert "short-lived.localhost" in _cached_hosts()

    with django_capture_on_commit_callbacks(execute=True):
        store_delete(store=store)

    gone = client.get("/api/store")
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_host")


def test_a_profile_change_is_in_the_next_answer(client_a, store_a):
    assert client_a.get("/api/store").json()["name"] == "Alpha"

    changed = client_a.patch("/api/store", {"name": "Alpha Prime"}, format="json")

    assert (changed.status_code, changed.json()["name"]) == (200, "Alpha Prime")
    assert client_a.get("/api/store").json()["name"] == "Alpha Prime"


def test_without_redis_every_request_looks_its_host_up(store_a, api_token_a, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client = api_client(store_host(store_a), token=api_token_a)

    answers = [client.get("/api/store") for _ in range(2)]

    assert [(a.status_code, a.json()["id"]) for a in answers] == [(200, store_a.pk)] * 2
    assert _cached_hosts() == set()

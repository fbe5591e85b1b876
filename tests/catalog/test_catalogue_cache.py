"""The storefront at any size: the first page shows each category's first products and links to
the category's pages; answers are kept per store in Redis under a version every change bumps
on commit, and carry an ETag that If-None-Match turns into a 304 without a body.

The cache serves only requests outside a transaction, so the tests that check it commit for
real (`make_store`, transactional); the shape tests run in a rolled-back transaction.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection

from saas.tenant_middleware import tenant_hosts_forget
from tenant_apps.catalog.cache import catalogue_version
from tenant_apps.catalog.models import Category, Product
from tenant_apps.catalog.selectors import STOREFRONT_CATEGORY_PAGE, STOREFRONT_FIRST_PRODUCTS
from tenant_apps.catalog.services import product_create, product_delete, product_update
from tenant_apps.orders.stock import stock_take
from tests.support.factories import product_make
from tests.support.stores import api_client, in_store, store_host


def _shelf(count: int, category: str, **fields) -> list[Product]:
    return [product_make(f"{category} {index:02d}", category=category, **fields)
            for index in range(count)]  # fmt: skip


def _names(html: str) -> list[str]:
    return re.findall(r'<h3 class="product-name">([^<]*)</h3>', html)


# --- what the pages and APIs show ---------------------------------------------------------


def test_first_page_shows_each_categorys_first_products_and_a_show_all_link(store_a):
    with in_store(store_a):
        teas = _shelf(6, "Tea")
        cake = product_make("Cake", category="Bakery")
    assert STOREFRONT_FIRST_PRODUCTS == 4

    html = api_client(store_host(store_a)).get("/").content.decode()

    assert _names(html) == ["Tea 00", "Tea 01", "Tea 02", "Tea 03", "Cake"]
    category_id = teas[0].category_id
    assert (
        f'<a class="show-all" href="/category/{category_id}">Show all 6'
        '<span class="visually-hidden"> in Tea</span></a>'
    ) in html
    assert html.count('class="show-all"') == 1  # Bakery shows all it has
    assert f'data-category-id="{cake.category_id}"' in html
    assert "storefront/catalogue.css" in html and "storefront/storefront.js" in html


def test_first_page_api_has_the_catalogues_shape_with_the_first_products(store_a):
    with in_store(store_a):
        teas = _shelf(5, "Tea", mrp="50.00", sale_price="45.50")
        product_make("Cake", category="Bakery")

    body = api_client(store_host(store_a)).get("/api/storefront/front").json()

    assert [(c["name"], c["product_count"], len(c["products"])) for c in body["categories"]] == [
        ("Tea", 5, 4),
        ("Bakery", 1, 1),
    ]
    assert body["categories"][0]["products"][0] == {
        "id": teas[0].id,
        "name": "Tea 00",
        "description": "",
        "mrp": "50.00",
        "sale_price": "45.50",
        "image": None,
        "stock": None,
        "in_stock": True,
    }
    # The full catalogue keeps its contract: every product.
    full = api_client(store_host(store_a)).get("/api/storefront/catalog").json()
    assert [len(c["products"]) for c in full["categories"]] == [5, 1]


def test_category_page_lists_every_product_a_page_at_a_time(store_a):
    with in_store(store_a):
        teas = _shelf(STOREFRONT_CATEGORY_PAGE + 2, "Tea")
    client = api_client(store_host(store_a))
    url = f"/category/{teas[0].category_id}"

    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()

    assert _names(first) == [f"Tea {index:02d}" for index in range(STOREFRONT_CATEGORY_PAGE)]
    assert _names(second) == ["Tea 48", "Tea 49"]
    assert "<title>Tea · Alpha</title>" in first
    assert 'href="?page=2" rel="next"' in first and "Page 1 of 2" in first
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    assert '<a href="/">← All categories</a>' in first
    assert 'id="view-cart"' in first  # the shop page itself: cart and checkout work here too


@pytest.mark.parametrize("query", ["?page=3", "?page=0", "?page=two", "?page=-1"])
def test_a_category_page_that_does_not_exist_is_a_readable_404(store_a, query):
    with in_store(store_a):
        tea = product_make("Tea", category="Tea")

    response = api_client(store_host(store_a)).get(f"/category/{tea.category_id}{query}")

    assert response.status_code == 404
    assert "This store sells nothing under that link now" in response.content.decode()


def test_unknown_empty_and_other_stores_categories_are_404(store_a, store_b):
    with in_store(store_a):
        empty = Category.objects.create(name="Empty")
        archived = product_make("Old", category="Archive", is_active=False)
    with in_store(store_b):
        beta = product_make("Beta tea", category="Tea")
    client = api_client(store_host(store_a))

    for category_id in (empty.id, archived.category_id, beta.category_id + 1000, 2**40):
        assert client.get(f"/category/{category_id}").status_code == 404
        answer = client.get(f"/api/storefront/categories/{category_id}")
        assert (answer.status_code, answer.json()["code"]) == (404, "category_not_found")


def test_category_api_pages_and_refuses_bad_pages(store_a):
    with in_store(store_a):
        teas = _shelf(STOREFRONT_CATEGORY_PAGE + 1, "Tea")
    client = api_client(store_host(store_a))
    url = f"/api/storefront/categories/{teas[0].category_id}"

    second = client.get(url, {"page": 2}).json()
    past = client.get(url, {"page": 3})
    bad = client.get(url, {"page": "x"})

    assert second == {
        "id": teas[0].category_id,
        "name": "Tea",
        "product_count": 49,
        "page": 2,
        "pages": 2,
        "products": [
            {"id": teas[48].id, "name": "Tea 48", "description": "", "mrp": "120.00",
             "sale_price": "100.00", "image": None, "stock": None, "in_stock": True},
        ],
    }  # fmt: skip
    assert (past.status_code, past.json()["code"], past.json()["details"]) == (
        404, "page_not_found", {"pages": 2},
    )  # fmt: skip
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")


def test_out_of_stock_products_say_so_and_cannot_be_added(store_a):
    with in_store(store_a):
        jam = product_make("Jam", category="Jars")
        honey = product_make("Honey", category="Jars")
        Product.objects.filter(pk=jam.pk).update(stock=0)
        Product.objects.filter(pk=honey.pk).update(stock=3)
        pickle = product_make("Pickle", category="Jars")  # stock not tracked

    html = api_client(store_host(store_a)).get("/").content.decode()

    cards = dict(re.findall(r'<article class="product card[^"]*" data-product-id="(\d+)"'
                            r"(.*?)</article>", html, re.S))  # fmt: skip
    assert "Out of stock" in cards[str(jam.pk)]
    assert f'disabled aria-describedby="stock-out-{jam.pk}"' in cards[str(jam.pk)]
    for product in (honey, pickle):
        assert "Out of stock" not in cards[str(product.pk)]
        assert "disabled" not in cards[str(product.pk)]


def test_etag_and_if_none_match_answer_304_without_a_body(store_a):
    with in_store(store_a):
        product_make("Tea")
    client = api_client(store_host(store_a))

    for path in ("/", "/api/storefront/front", "/api/storefront/catalog"):
        first = client.get(path)
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        other = client.get(path, HTTP_IF_NONE_MATCH='"elsewhere-0"')

        assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{16}-[0-9a-f]{20}"',
                                                          first["ETag"])  # fmt: skip
        assert first["Cache-Control"] == "no-cache"
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
        assert (other.status_code, other.content) == (200, first.content)


# --- the cache, with real commits ---------------------------------------------------------


def _store_queries(client, path: str, **headers):
    """The answer to `path` and the SQL it ran against catalogue tables."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    connection.set_schema_to_public()
    return response, [q["sql"] for q in captured.captured_queries if "catalog_" in q["sql"]]


def _in_stock(body: dict) -> dict[str, bool]:
    return {p["name"]: p["in_stock"] for c in body["categories"] for p in c["products"]}


@pytest.mark.django_db(transaction=True)
def test_cached_answers_run_no_sql_and_every_change_shows_on_the_next_request(make_store):
    store = make_store("Cached shop")
    with in_store(store):
        tea = product_create(name="Tea", category="Drinks", mrp=Decimal("50"),
                             sale_price=Decimal("40"), stock=2)  # fmt: skip
    connection.set_schema_to_public()
    client = api_client(store_host(store))
    paths = ("/", "/api/storefront/front", "/api/storefront/catalog")

    first = {path: _store_queries(client, path) for path in paths}
    cached = {path: _store_queries(client, path) for path in paths}

    assert all(sql for _, sql in first.values())  # rendered from PostgreSQL once
    assert {path: sql for path, (_, sql) in cached.items()} == {path: [] for path in paths}
    assert all(cached[p][0].content == first[p][0].content for p in paths)

    def after(change) -> dict:
        with in_store(store):
            change()
        connection.set_schema_to_public()
        return client.get("/api/storefront/front").json()

    renamed = after(lambda: product_update(product=tea, name="Green tea"))
    assert _in_stock(renamed) == {"Green tea": True}
    assert "Green tea" in client.get("/").content.decode()

    def order_takes_both():
        with transaction.atomic():
            stock_take(quantities={tea.pk: 2})

    assert _in_stock(after(order_takes_both)) == {"Green tea": False}
    assert "Out of stock" in client.get("/").content.decode()
    made = []

    def coffee_added():
        made.append(product_create(name="Coffee", category="Drinks", mrp=Decimal("90"),
                                   sale_price=Decimal("80")))  # fmt: skip

    assert _in_stock(after(coffee_added)) == {"Coffee": True, "Green tea": False}
    assert _in_stock(after(lambda: product_delete(product=made[0]))) == {"Green tea": False}
    assert after(lambda: product_update(product=tea, is_active=False)) == {"categories": []}
    assert "This store has no products yet." in client.get("/").content.decode()


def _version(etag: str) -> str:
    return etag.strip('"').split("-")[0]


@pytest.mark.django_db(transaction=True)
def test_etag_changes_with_the_version_and_an_old_etag_gets_the_new_answer(make_store):
    store = make_store("Etag shop")
    with in_store(store):
        tea = product_create(name="Tea", category="Drinks", mrp=Decimal("50"),
                             sale_price=Decimal("40"))  # fmt: skip
    connection.set_schema_to_public()
    client = api_client(store_host(store))
    before = {path: client.get(path)["ETag"] for path in ("/", "/api/storefront/front")}
    unchanged = {path: client.get(path, HTTP_IF_NONE_MATCH=etag) for path, etag in before.items()}

    with in_store(store):
        product_update(product=tea, sale_price=Decimal("35"))
    connection.set_schema_to_public()
    answers = {path: client.get(path, HTTP_IF_NONE_MATCH=etag) for path, etag in before.items()}

    assert [a.status_code for a in unchanged.values()] == [304, 304]
    assert [a.status_code for a in answers.values()] == [200, 200]
    for path, answer in answers.items():
        assert _version(answer["ETag"]) != _version(before[path])
    assert answers["/api/storefront/front"].json()["categories"][0]["products"][0][
        "sale_price"] == "35.00"  # fmt: skip
    assert "₹35.00" in answers["/"].content.decode()


@pytest.mark.django_db(transaction=True)
def test_no_cache_hit_crosses_stores_with_the_same_product_ids(make_store):
    stores = [make_store("Left shop"), make_store("Right shop")]
    made = {}
    for store, name in zip(stores, ("Left tea", "Right tea"), strict=True):
        with in_store(store):
            made[name] = product_create(name=name, category="Drinks", mrp=Decimal("50"),
                                        sale_price=Decimal("40"))  # fmt: skip
    connection.set_schema_to_public()
    # Fresh schemas number their rows alike: the same ids, the same variant of every answer.
    assert made["Left tea"].pk == made["Right tea"].pk
    assert made["Left tea"].category_id == made["Right tea"].category_id
    category_id = made["Left tea"].category_id
    paths = ("/", "/api/storefront/front", "/api/storefront/catalog",
             f"/category/{category_id}", f"/api/storefront/categories/{category_id}")  # fmt: skip
    clients = [api_client(store_host(store)) for store in stores]

    for _ in range(2):  # the second round answers from the cache
        for client, name, other in zip(clients, ("Left tea", "Right tea"),
                                       ("Right tea", "Left tea"), strict=True):  # fmt: skip
            for path in paths:
                body = client.get(path).content.decode()
                assert name in body and other not in body, (path, name)
    for client in clients:
        _, sql = _store_queries(client, "/api/storefront/front")
        assert sql == []

    # The entries are Redis keys under each store's own schema prefix and its own version
    # (entries of an earlier store of the same name, under older versions, are never read).
    redis = get_redis_connection("default")
    keys = [key.decode() for key in redis.scan_iter(match="*:storefront:*", count=1000)]
    versions = []
    for store in stores:
        with in_store(store):
            versions.append(catalogue_version())
        current = [key for key in keys if key.startswith(f"{store.schema_name}:")
                   and f":storefront:{versions[-1]}:" in key]  # fmt: skip
        assert len(current) == len(paths)  # one entry per answer
        assert f"{store.schema_name}::1:storefront:version" in keys
    connection.set_schema_to_public()
    assert versions[0] != versions[1]
    # A change in one store leaves the other's entries in use.
    with in_store(stores[0]):
        product_update(product=made["Left tea"], name="Left green tea")
    connection.set_schema_to_public()
    assert "Left green tea" in clients[0].get("/").content.decode()
    _, sql = _store_queries(clients[1], "/api/storefront/front")
    assert sql == []


@pytest.mark.django_db(transaction=True)
def test_the_store_admin_changes_show_on_the_next_request(make_store):
    store = make_store("Admin shop")
    with in_store(store):
        tea = product_create(name="Tea", category="Drinks", mrp=Decimal("50"),
                             sale_price=Decimal("40"))  # fmt: skip
    connection.set_schema_to_public()
    host = store_host(store)
    buyer, seller = api_client(host), api_client(host, user=store.owner)
    assert "Drinks" in buyer.get("/").content.decode()

    renamed = seller.post(f"/admin/catalog/category/{tea.category_id}/change/",
                          {"name": "Hot drinks"})  # fmt: skip
    connection.set_schema_to_public()
    assert renamed.status_code == 302
    assert "Hot drinks" in buyer.get("/").content.decode()

    deleted = seller.post(f"/admin/catalog/product/{tea.pk}/delete/", {"post": "yes"})
    connection.set_schema_to_public()
    assert deleted.status_code == 302
    assert buyer.get("/api/storefront/front").json() == {"categories": []}


@pytest.mark.parametrize(("size", "categories"), [(3, 1), (60, 12)])
def test_first_page_and_category_queries_do_not_grow_with_the_catalogue(
    anon_client_a, store_a, django_assert_num_queries, size, categories
):
    with in_store(store_a):
        made = [product_make(f"Product {index:04d}", category=f"Category {index % categories:02d}")
                for index in range(size)]  # fmt: skip

    # As the full catalogue: the host's domain, the categories, the (first) products, and
    # django-tenants' two search_path settings.
    with django_assert_num_queries(5):
        front = anon_client_a.get("/api/storefront/front").json()
    tenant_hosts_forget()  # the host is looked up again, as on the first request
    with django_assert_num_queries(5):
        category = anon_client_a.get(f"/api/storefront/categories/{made[0].category_id}").json()

    assert sum(len(c["products"]) for c in front["categories"]) == min(size, 4 * categories)
    assert len(category["products"]) == size // categories

"""Buyer side of the catalogue: the store link's data, open to anyone on the store host."""

import pytest

from tenant_apps.catalog.models import Category
from tests.support.factories import product_make
from tests.support.stores import PLATFORM_HOST, api_client, in_store, store_host


def test_storefront_describes_the_store(anon_client_a, store_a):
    response = anon_client_a.get("/api/storefront")

    assert response.status_code == 200
    assert response.json() == {
        "id": store_a.id,
        "name": "Alpha",
        "address": "1 alpha street",
        "link": store_a.link,
    }
    assert store_a.link.startswith("http://alpha.localhost")


def test_storefront_api_does_not_exist_on_the_platform_host(db):
    assert api_client(PLATFORM_HOST).get("/api/storefront").status_code == 404


def test_catalog_groups_active_products_by_category_most_products_first(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea", category="Drinks", mrp="50.00", sale_price="45.50",
                           description="Assam", image="store_alpha/products/tea.png")  # fmt: skip
        coffee = product_make("Coffee", category="Drinks")
        product_make("Retired", category="Drinks", is_active=False)
        cake = product_make("Cake", category="Bakery")
        apron = product_make("Apron", category="Aprons")
        product_make("Ghost", category="Hidden", is_active=False)
        Category.objects.create(name="Empty")

    response = anon_client_a.get("/api/storefront/catalog")

    assert response.status_code == 200
    categories = response.json()["categories"]
    # Two products first; then the one-product categories by name.
    assert [(c["name"], c["product_count"]) for c in categories] == [
        ("Drinks", 2),
        ("Aprons", 1),
        ("Bakery", 1),
    ]
    assert [p["id"] for p in categories[0]["products"]] == [coffee.id, tea.id]
    assert categories[0]["products"][1] == {
        "id": tea.id,
        "name": "Tea",
        "description": "Assam",
        "mrp": "50.00",
        "sale_price": "45.50",
        "image": f"http://{store_host(store_a)}:8000/media/store_alpha/products/tea.png",
        "stock": None,
        "in_stock": True,
    }
    assert categories[1]["products"][0]["id"] == apron.id
    assert categories[2]["products"][0]["id"] == cake.id
    assert categories[2]["products"][0]["image"] is None


def test_catalog_of_one_store_is_not_shown_on_another(store_a, store_b):
    with in_store(store_a):
        product_make("Alpha only")

    response = api_client(store_host(store_b)).get("/api/storefront/catalog")

    assert response.status_code == 200
    assert response.json() == {"categories": []}


def _catalog_of(size: int, categories: int) -> None:
    for index in range(size):
        product_make(f"Product {index:04d}", category=f"Category {index % categories:02d}")


@pytest.mark.parametrize(("size", "categories"), [(3, 1), (60, 12)])
def test_catalog_query_count_does_not_grow_with_the_catalogue(
    anon_client_a, store_a, django_assert_num_queries, size, categories
):
    with in_store(store_a):
        _catalog_of(size, categories)

    # Three SELECTs whatever the size: the host's domain (tenant middleware), the categories
    # with their counts, all active products; django-tenants sets search_path once for the
    # public schema and once for the store.
    with django_assert_num_queries(5):
        response = anon_client_a.get("/api/storefront/catalog")

    body = response.json()
    assert len(body["categories"]) == categories
    assert sum(len(c["products"]) for c in body["categories"]) == size


def test_seller_and_buyer_tokens_do_not_matter_for_the_public_catalog(client_a):
    assert client_a.get("/api/storefront/catalog").status_code == 200


def test_store_link_renders_the_shop(store_a):
    with in_store(store_a):
        product_make("Darjeeling <first flush>", category="Tea")

    response = api_client(store_host(store_a)).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Alpha</h1>" in html
    assert "Darjeeling &lt;first flush&gt;" in html
    assert 'class="add-to-cart"' in html
    assert "storefront/storefront.js" in html


def test_store_link_on_an_unknown_host_is_404(db):
    response = api_client("nobody.localhost").get("/")
    assert response.status_code == 404

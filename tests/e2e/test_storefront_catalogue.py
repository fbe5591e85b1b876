"""A big catalogue in a real headless Chromium, at 1280 px and on a 390 px phone: the shop's
first page shows each category's first products with "Show all", which opens the category's
own pages (48 products a page, Next / Previous); a product out of stock says so and its Add
button is disabled; the cart works on a category page as on the first page."""

from decimal import Decimal

import pytest
from django.db import connection

from tenant_apps.catalog.services import product_create
from tests.support.browser import live_url
from tests.support.pages import audit_passes, page_audit, sideways_overflow
from tests.support.stores import in_store, store_host

pytestmark = pytest.mark.slow  # a real browser on a live server

PHONE = {"width": 390, "height": 844}
TEAS = 50


def _catalogue(store) -> dict:
    with in_store(store):
        teas = [
            product_create(
                name=f"Tea {index:02d}", category="Tea", mrp=Decimal("120.00"),
                sale_price=Decimal("99.00"), description="Loose leaf, 100 g",
                stock=0 if index == 1 else None,
            )
            for index in range(TEAS)
        ]  # fmt: skip
        cake = product_create(
            name="Plum cake", category="Bakery", mrp=Decimal("250.00"), sale_price=Decimal("250")
        )
    connection.set_schema_to_public()
    return {"teas": teas, "cake": cake}


def _card(page, name: str):
    return page.locator("[data-testid=product]", has=page.locator(".product-name", has_text=name))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_show_all_opens_the_category_pages_and_out_of_stock_cannot_be_added(
    make_store, live_server, page
):
    store = make_store("Tea house")
    made = _catalogue(store)
    home = live_url(live_server, store_host(store), "/")

    assert audit_passes(page_audit(page, home, "storefront-front")) == {}
    page.set_viewport_size(PHONE)
    assert page.locator(".category h2").all_inner_texts() == ["Tea (50)", "Bakery (1)"]
    assert page.locator(".product-name").all_inner_texts() == [
        "Tea 00", "Tea 01", "Tea 02", "Tea 03", "Plum cake",
    ]  # fmt: skip
    sold_out = _card(page, "Tea 01")
    assert sold_out.locator(".stock-out").inner_text() == "Out of stock"
    assert page.get_by_role("button", name="Add Tea 01 to cart").is_disabled()
    assert page.get_by_role("button", name="Add Tea 00 to cart").is_enabled()
    assert page.locator(".show-all").count() == 1  # Bakery shows all it has

    page.get_by_role("link", name="Show all 50 in Tea").click()
    page.wait_for_url(f"**/category/{made['teas'][0].category_id}")
    assert page.title() == "Tea · Tea house"
    assert page.locator(".product-name").count() == 48
    assert page.inner_text(".pager [aria-current=page]") == "Page 1 of 2"
    assert page.get_by_role("link", name="Previous page").count() == 0
    assert sideways_overflow(page) == 0
    assert page.get_by_role("button", name="Add Tea 01 to cart").is_disabled()
    page.get_by_role("button", name="Add Tea 47 to cart").click()
    page.wait_for_function("document.getElementById('cart-count').textContent === '1'")
    assert page.inner_text("#flash") == "Tea 47 added to your cart."

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**?page=2")
    assert page.locator(".product-name").all_inner_texts() == ["Tea 48", "Tea 49"]
    # The same cart on every page of the shop (the page's script loads it after the page).
    page.wait_for_function("document.getElementById('cart-count').textContent === '1'")
    category_url = page.url
    assert audit_passes(page_audit(page, category_url, "storefront-category-page-2")) == {}
    first_page = category_url.replace("?page=2", "")
    assert audit_passes(page_audit(page, first_page, "storefront-category")) == {}

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="← All categories").click()
    page.wait_for_url(home)
    assert page.locator(".category h2").first.inner_text() == "Tea (50)"

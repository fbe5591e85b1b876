"""Every store-host endpoint, called on store A with each kind of credential from store B, is
refused and returns none of A's data.

The routes are read from the store URLconf, so a new endpoint is covered without touching this
test; an endpoint that is public by design must be named in PUBLIC_BY_DESIGN with its reason.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import URLResolver, get_resolver

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.services import api_token_create
from tenant_apps.analytics.services import ingestion_token_create
from tenant_apps.catalog.services import product_create
from tenant_apps.conversations.services import client_create, conversation_create, operator_ensure
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.discounts import discount_create
from tenant_apps.orders.models import Cart, Customer
from tenant_apps.orders.services import cart_create, cart_line_set
from tenant_apps.signups.models import WidgetSite
from tenant_apps.traffic.services import repository_create
from tests.support.stores import api_client, in_store, store_host

MARKER = "ALPHA-PRIVATE-7f3a"

# (route, method) pairs anyone may call; a credential of another store changes nothing there.
PUBLIC_BY_DESIGN = {
    ("api/users/create", "post"): "sign-up, takes no credential",
    ("api/auth/otp/request", "post"): "seller sign-in",
    ("api/auth/otp/verify", "post"): "seller sign-in",
    ("api/auth/token/refresh", "post"): "seller sign-in (the refresh token is the credential)",
    ("healthz", "get"): "health probe",
    ("login", "get"): "sign-in page",
    ("login", "post"): "sign-in page",
    ("logout", "get"): "sign-out",
    ("api/schema/", "get"): "API description",
    ("api/docs/", "get"): "API docs page",
    ("static/widgets/signup.v1.js", "get"): "the public widget script",
    ("", "get"): "the storefront page at the store link",
    ("api/storefront", "get"): "public store card",
    ("api/storefront/catalog", "get"): "public catalogue",
    ("api/storefront/front", "get"): "public catalogue: the shop's first page",
    ("api/storefront/categories/<int:category_id>", "get"): "public catalogue: one category",
    ("category/<int:category_id>", "get"): "the storefront page of one category",
    ("api/cart", "post"): "a new anonymous cart",
    ("api/customers/otp/request", "post"): "buyer sign-in",
    ("api/customers/otp/verify", "post"): "buyer sign-in",
    ("api/customers/token/refresh", "post"): "buyer sign-in (the refresh token is the credential)",
}
SKIPPED_PREFIXES = ("admin/", "^media/")  # the store admin has its own tests


def routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    for route, callback in walk(get_resolver("saas.urls_tenant").url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is not None:
            methods = [
                m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
            ]
        else:
            methods = ["get"]  # HTML pages
        for method in methods:
            if (route, method) not in PUBLIC_BY_DESIGN:
                yield route, method


ROUTES = sorted(set(routes()))


@pytest.fixture
def store_a_data(store_a, seller_a):
    """Objects of store A that the URLs point at, each carrying MARKER."""
    with in_store(store_a):
        product = product_create(
            name=f"{MARKER} shoe",
            category="Shoes",
            mrp=Decimal("10.00"),
            sale_price=Decimal("9.00"),
        )
        client = client_create(name=MARKER, email="alpha.client@example.com", timezone="UTC")
        conversation = conversation_create(client=client, operator=operator_ensure(seller=seller_a))
        site = WidgetSite.objects.get()
        ingestion_token, _ = ingestion_token_create(name=MARKER)
        repository = repository_create(seller=seller_a, url="https://github.com/alpha/private-repo")
        discount = discount_create(code=MARKER, kind="amount", value=Decimal("5.00"))
        # An abandoned cart (idle a day) holding the marked product, for /api/carts/abandoned.
        cart = cart_line_set(cart=cart_create(), product_id=product.pk, quantity=1)
        Cart.objects.filter(pk=cart.pk).update(last_activity_at=cart.created_at - timedelta(1))
    api_token, _ = api_token_create(seller=seller_a, name=MARKER)
    return {
        "product_id": product.pk,
        "client_id": client.pk,
        "conversation_id": conversation.pk,
        "site_id": site.pk,
        "token_id": ingestion_token.pk,
        "repository_id": repository.pk,
        "order_id": 1,
        "api_token_id": api_token.pk,
        "discount_id": discount.pk,
    }


@pytest.fixture
def store_b_credentials(store_b, seller_b):
    """One credential of every kind, all belonging to store B."""
    with in_store(store_b):
        customer = Customer.objects.create(mobile="+919800000077")
        buyer = customer_token_pair(customer=customer, schema_name=store_b.schema_name)["access"]
        _, ingestion_key = ingestion_token_create(name="beta ingestion")
        cart_token = cart_create().token
    _, api_key = api_token_create(seller=seller_b, name="beta")
    session_client = api_client(store_host(store_b), user=seller_b)
    return {
        "seller JWT": {"HTTP_AUTHORIZATION": f"Bearer {seller_token_pair(seller_b)['access']}"},
        "API token": {"HTTP_X_API_TOKEN": api_key},
        "API token (Authorization)": {"HTTP_AUTHORIZATION": f"Token {api_key}"},
        "buyer token": {"HTTP_AUTHORIZATION": f"Bearer {buyer}"},
        "ingestion token": {"HTTP_AUTHORIZATION": f"Token {ingestion_key}"},
        "cart token": {"HTTP_X_CART_TOKEN": cart_token},
        "session": {"HTTP_COOKIE": f"sessionid={session_client.cookies['sessionid'].value}"},
        "_api_key": api_key,
    }


def concrete_path(route: str, ids: dict, credentials: dict) -> str:
    route = route.lstrip("^").rstrip("$").replace("/?", "")

    def value(match):
        name = match.group("name")
        if name == "user_token":
            return credentials["_api_key"]  # the credential travels in the URL here
        return str(ids.get(name, 1))

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def test_every_route_is_either_checked_or_public_by_design():
    assert len(ROUTES) >= 40
    assert ("api/products", "get") in ROUTES


@pytest.mark.parametrize("route, method", ROUTES)
def test_credentials_of_store_b_are_refused_on_store_a(
    route, method, store_a, store_a_data, store_b_credentials
):
    path = concrete_path(route, store_a_data, store_b_credentials)
    client = api_client(store_host(store_a))
    for kind, headers in store_b_credentials.items():
        if kind.startswith("_"):
            continue
        response = getattr(client, method)(path, data={}, format="json", **headers)

        # 400 is the cart API asking for its own token; 405 a page that takes no POST.
        refused = response.status_code in (400, 401, 403, 404, 405) or (
            response.status_code == 302 and "login" in response["Location"]
        )
        assert refused, f"{method.upper()} {path} with B's {kind}: {response.status_code}"
        assert MARKER not in response.content.decode(errors="replace"), (method, path, kind)

"""The OpenAPI schema is what client SDKs are generated from: every paginated list, and the
platform's /api/stores, answer exactly the shape the schema of their host documents."""

import jsonschema
import pytest

from tenant_apps.signups.models import WidgetSite
from tests.support.factories import buyer_client, product_make
from tests.support.signups import SHOP_ORIGIN, widget_client
from tests.support.stores import PLATFORM_HOST, api_client, in_store, store_host

ADDRESS = {"line1": "1 MG Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}
PAGINATED_LISTS = (
    "/api/products",
    "/api/orders",
    "/api/clients",
    "/api/conversations",
    "/api/operators",
    "/api/signups",
    "/api/widget/sites",
    "/api/discounts",
)


def openapi_to_json_schema(node):
    """OpenAPI 3.0 says `nullable: true` where JSON Schema says `"null"` is one more type."""
    if isinstance(node, list):
        return [openapi_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: openapi_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if "$ref" in node or "allOf" in node or "oneOf" in node:
            node = {"anyOf": [{"type": "null"}, node]}
    return node


def documented_schema(client, path: str, status: str = "200") -> dict:
    """The JSON schema of `path`'s GET answer, as the schema of the client's host says."""
    openapi = client.get("/api/schema/?format=json").json()
    response = openapi["paths"][path]["get"]["responses"][status]
    schema = response["content"]["application/json"]["schema"]
    return {
        **openapi_to_json_schema(schema),
        "components": openapi_to_json_schema(openapi["components"]),
    }


def assert_matches_schema(client, path: str, query: str = "") -> dict:
    answer = client.get(f"{path}?{query}" if query else path)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    schema = documented_schema(client, path)
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
    return body


@pytest.fixture
def filled_store(store_a, client_a):
    """Store A with one of everything its lists show: a product, a client and conversation, a
    discount, a widget signup and a buyer's order."""
    with in_store(store_a):
        tea = product_make("Tea", category="Drinks", mrp="50.00", sale_price="45.50")
        site = WidgetSite.objects.get()
        site.allowed_origins = [*site.allowed_origins, SHOP_ORIGIN]
        site.save()
    client = client_a.post(
        "/api/clients",
        {"name": "Asha Rao", "email": "asha@example.com", "timezone": "Asia/Kolkata"},
        format="json",
    ).json()
    assert client_a.post("/api/conversations", {"client": client["id"]}).status_code == 201
    discount = {"code": "SAVE50", "kind": "amount", "value": "50"}
    assert client_a.post("/api/discounts", discount, format="json").status_code == 201
    signup = widget_client(store_a).post(
        f"/api/widget/signups?key={site.key}", {"email": "bo@example.com", "consent": True}
    )
    assert signup.status_code == 201, signup.content
    buyer, _ = buyer_client(store_a)
    cart = api_client(store_host(store_a)).post("/api/cart").json()["token"]
    line = {"product_id": tea.id, "quantity": 2}
    assert buyer.put("/api/cart/items", line, HTTP_X_CART_TOKEN=cart).status_code == 200
    order = buyer.post("/api/orders", {"cart_token": cart, "address": ADDRESS}, format="json")
    assert order.status_code == 201, order.content
    return buyer


@pytest.mark.parametrize("path", PAGINATED_LISTS)
def test_each_paginated_list_answers_the_envelope_its_schema_documents(
    client_a, filled_store, path
):
    body = assert_matches_schema(client_a, path)

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) >= 1
    assert (body["next"], body["previous"]) == (None, None)


def test_a_buyers_orders_answer_the_envelope_their_schema_documents(filled_store):
    body = assert_matches_schema(filled_store, "/api/customers/me/orders")

    assert body["count"] == 1
    assert [line["quantity"] for line in body["results"][0]["lines"]] == [2]


def test_a_second_page_links_back_and_both_links_are_documented_uris(client_a, store_a):
    with in_store(store_a):
        for number in range(3):
            product_make(f"Tea {number}")

    body = assert_matches_schema(client_a, "/api/products", "page=2&page_size=2")

    assert body["count"] == 3
    assert len(body["results"]) == 1
    assert body["next"] is None
    assert body["previous"].endswith("/api/products?page_size=2")


@pytest.mark.parametrize("page_size", ["0", "201", "-1", "ten", "2.5"])
def test_a_page_size_outside_the_documented_range_is_400(client_a, page_size):
    answer = client_a.get(f"/api/products?page_size={page_size}")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert list(answer.json()["details"]) == ["page_size"]
    parameters = client_a.get("/api/schema/?format=json").json()["paths"]["/api/products"]
    documented = {p["name"]: p["schema"] for p in parameters["get"]["parameters"]}
    assert documented["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert documented["page"] == {"type": "integer", "minimum": 1}


def test_the_platform_store_list_answers_what_its_schema_documents(seller_a, store_a):
    from saas.api.authentication import seller_token_pair

    client = api_client(PLATFORM_HOST, jwt=seller_token_pair(seller_a)["access"])

    body = assert_matches_schema(client, "/api/stores")

    assert [(store["slug"], store["role"]) for store in body] == [("alpha", "owner")]
    assert body[0]["domain"] == store_host(store_a)

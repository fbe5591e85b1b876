"""The HTTP contract: /conversation/<id>/, /chat/ and the /api/ helpers."""

from datetime import datetime

import pytest
from django.core import mail
from drf_spectacular.generators import SchemaGenerator

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.conversations import urls as conversation_urls
from tenant_apps.conversations.models import Chat, Client, Conversation, Operator
from tenant_apps.conversations.window import window_send_at
from tests.support.mail_safety import chat_text
from tests.support.stores import api_client, in_store, store_host


@pytest.fixture
def api(client_a):
    return client_a


def _client(api, **fields):
    body = {"name": "Asha Rao", "email": "asha@example.com", "timezone": "Asia/Kolkata"} | fields
    response = api.post("/api/clients", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _conversation(api, client_id, **fields):
    response = api.post("/api/conversations", {"client": client_id} | fields, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _chat(api, conversation_id, user_id, payload):
    return api.post(
        "/chat/",
        {"conversationId": conversation_id, "chat": {"payload": payload, "userId": user_id}},
        format="json",
    )


@pytest.fixture
def conversation(api, store_a):
    client = _client(api, mobile="+919811111111")
    with in_store(store_a):
        from tenant_apps.conversations.services import discount_code_set

        discount_code_set(client=Client.objects.get(pk=client["id"]), code="ASHA10")
    return _conversation(api, client["id"])


def test_client_create_and_list(api):
    created = _client(api, mobile="+91 98111 11111")

    assert set(created) == {
        "id", "name", "email", "timezone", "mobile", "discountCode", "createdAt", "unsubscribed_at"
    }  # fmt: skip
    assert (created["name"], created["email"], created["timezone"]) == (
        "Asha Rao",
        "asha@example.com",
        "Asia/Kolkata",
    )
    assert (created["mobile"], created["discountCode"]) == ("+919811111111", None)
    listed = api.get("/api/clients").json()
    assert listed["count"] == 1
    assert [c["id"] for c in listed["results"]] == [created["id"]]
    assert api.get(f"/api/clients/{created['id']}").json() == created


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "A", "email": "not-an-email", "timezone": "UTC"}, "invalid"),
        ({"name": "A", "email": "a@example.com", "timezone": "Mars/Base"}, "invalid_timezone"),
        ({"name": "A", "email": "a@example.com"}, "required"),
        (
            {"name": "A", "email": "a@example.com", "timezone": "UTC", "mobile": "1"},
            "invalid_mobile",
        ),
    ],
)
def test_client_create_bad_input(api, body, code):
    response = api.post("/api/clients", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert api.get("/api/clients").json()["count"] == 0


def test_client_duplicate_email_is_409(api):
    _client(api)
    response = api.post(
        "/api/clients",
        {"name": "Other", "email": "ASHA@example.com", "timezone": "UTC"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "client_exists")


def test_discount_code_api(api):
    client = _client(api)
    response = api.post(
        f"/api/clients/{client['id']}/discount-codes", {"code": "WELCOME5"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["code"] == "WELCOME5"
    assert api.get(f"/api/clients/{client['id']}").json()["discountCode"] == "WELCOME5"


def test_conversation_defaults_to_the_caller_as_operator(api, seller_a, store_a):
    client = _client(api)

    created = _conversation(api, client["id"])

    with in_store(store_a):
        operator = Operator.objects.get(seller_id=seller_a.pk)
    assert created["operator"] == {"id": operator.pk, "name": operator.name}
    assert created["client"] == {
        "id": client["id"],
        "name": "Asha Rao",
        "email": "asha@example.com",
        "timezone": "Asia/Kolkata",
    }
    assert (created["status"], created["closedAt"]) == ("open", None)
    operators = api.get("/api/operators").json()["results"]
    assert [(o["id"], o["me"]) for o in operators] == [(operator.pk, True)]


def test_conversation_with_another_operator(api, store_a):
    staff = Seller.objects.create_user(mobile="+919800009999", name="Staff Person")
    StoreMembership.objects.create(store=store_a, seller=staff, role="staff")
    staff_api = api_client(store_host(store_a), jwt=seller_token_pair(staff)["access"])
    staff_operator = staff_api.get("/api/operators").json()["results"]
    staff_operator_id = next(o["id"] for o in staff_operator if o["me"])
    client = _client(api)

    created = _conversation(api, client["id"], operator=staff_operator_id)

    assert created["operator"] == {"id": staff_operator_id, "name": "Staff Person"}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"client": 999999}, 404, "client_not_found"),
        ({"client": "abc"}, 400, "invalid"),
        ({}, 400, "required"),
    ],
)
def test_conversation_create_bad_input(api, body, status, code):
    response = api.post("/api/conversations", body, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_conversation_create_unknown_operator(api):
    client = _client(api)
    response = api.post(
        "/api/conversations", {"client": client["id"], "operator": client["id"]}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "operator_not_found")


def test_conversation_list_filters(api):
    asha = _client(api)
    ben = _client(api, name="Ben", email="ben@example.com", timezone="America/New_York")
    first = _conversation(api, asha["id"])
    second = _conversation(api, ben["id"])
    api.post(f"/api/conversations/{first['id']}/close")

    def ids(query):
        response = api.get(f"/api/conversations{query}")
        assert response.status_code == 200
        return [c["id"] for c in response.json()["results"]]

    assert ids("") == [second["id"], first["id"]]
    assert ids("?status=open") == [second["id"]]
    assert ids("?status=closed") == [first["id"]]
    assert ids(f"?client={asha['id']}") == [first["id"]]
    assert ids(f"?client={ben['id']}&status=closed") == []
    bad = api.get("/api/conversations?status=archived")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_choice")


def test_close_then_close_again(api, conversation):
    closed = api.post(f"/api/conversations/{conversation['id']}/close")
    again = api.post(f"/api/conversations/{conversation['id']}/close")
    missing = api.post("/api/conversations/999999/close")

    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closedAt"] is not None
    assert (again.status_code, again.json()["code"]) == (409, "conversation_closed")
    assert (missing.status_code, missing.json()["code"]) == (404, "conversation_not_found")


def test_chat_contract_example(api, conversation, django_capture_on_commit_callbacks):
    operator_id = conversation["operator"]["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _chat(
            api,
            conversation["id"],
            operator_id,
            "Sure {{ username }}. Here is your code {{ discountCode }}",
        )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"chatId", "status", "scheduledFor", "held"}
    assert body["held"] is None
    detail = api.get(f"/conversation/{conversation['id']}/").json()
    chat = detail["chats"][0]
    created_at = datetime.fromisoformat(chat["createdAt"])
    expected_send_at = window_send_at(moment=created_at, timezone="Asia/Kolkata")
    assert datetime.fromisoformat(body["scheduledFor"]) == expected_send_at
    if expected_send_at == created_at:
        # Inside the client's window: handed to the send task at once (eager in tests).
        assert body["status"] == "queued"
        assert chat["status"] == "sent"
        assert [chat_text(m) for m in mail.outbox] == ["Sure Asha Rao. Here is your code ASHA10"]
    else:
        assert (body["status"], chat["status"], mail.outbox) == ("queued", "queued", [])


def test_conversation_detail_shape_and_order(api, conversation, store_a):
    operator_id = conversation["operator"]["id"]
    client_id = conversation["client"]["id"]
    first = _chat(api, conversation["id"], operator_id, "Hello {{username}}").json()
    second = _chat(api, conversation["id"], client_id, "Hi, code please").json()
    third = _chat(api, conversation["id"], operator_id, "{{ discountCode }}").json()

    response = api.get(f"/conversation/{conversation['id']}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "status", "operator", "client", "chats"}
    assert body["id"] == conversation["id"]
    assert body["status"] == "open"
    assert body["operator"] == conversation["operator"]
    assert body["client"] == conversation["client"]
    assert [c["chatId"] for c in body["chats"]] == [
        first["chatId"],
        second["chatId"],
        third["chatId"],
    ]
    assert set(body["chats"][0]) == {
        "chatId", "payload", "rendered", "userId", "status", "createdAt", "scheduledFor", "sentAt",
        "held",
    }  # fmt: skip
    assert [(c["payload"], c["rendered"], c["userId"]) for c in body["chats"]] == [
        ("Hello {{username}}", "Hello Asha Rao", operator_id),
        ("Hi, code please", "Hi, code please", client_id),
        ("{{ discountCode }}", "ASHA10", operator_id),
    ]
    client_chat = body["chats"][1]
    assert client_chat["status"] == "sent"
    assert client_chat["scheduledFor"] is None
    assert client_chat["sentAt"] == client_chat["createdAt"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", "payload_empty"),
        ("    ", "payload_empty"),
        ("x" * 301, "payload_too_long"),
        ("two\nlines", "payload_control_character"),
        ("nul\u0000", "payload_control_character"),
        ("hidden\u202eflip", "payload_not_printable"),
        ("<b>bold</b>", "payload_html"),
        ("Hi {{ firstName }}", "unknown_placeholder"),
        ("Hi {{ username", "placeholder_malformed"),
        (42, "invalid"),
        (None, "null"),
    ],
)
def test_chat_payload_validation(api, conversation, payload, code):
    response = _chat(api, conversation["id"], conversation["operator"]["id"], payload)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert api.get(f"/conversation/{conversation['id']}/").json()["chats"] == []


def test_chat_discount_code_missing(api):
    client = _client(api, email="nocode@example.com")
    conversation = _conversation(api, client["id"])
    response = _chat(api, conversation["id"], conversation["operator"]["id"], "{{discountCode}}")
    assert (response.status_code, response.json()["code"]) == (400, "discount_code_missing")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"conversationId": 999999, "chat": {"payload": "Hi", "userId": 1}}, 404, None),
        ({"chat": {"payload": "Hi", "userId": 1}}, 400, "required"),
        ({"conversationId": 1}, 400, "required"),
        ({"conversationId": "x", "chat": {"payload": "Hi", "userId": 1}}, 400, "invalid"),
        ({"conversationId": 1, "chat": {"payload": "Hi"}}, 400, "required"),
        ({"conversationId": 1, "chat": "Hi"}, 400, "invalid"),
        ({"conversationId": 10**30, "chat": {"payload": "Hi", "userId": 1}}, 400, "max_value"),
    ],
)
def test_chat_bad_envelope(api, body, status, code):
    response = api.post("/chat/", body, format="json")
    assert response.status_code == status
    assert response.json()["code"] == (code or "conversation_not_found")


def test_chat_user_must_be_operator_or_client(api, conversation):
    stranger = _client(api, name="Other", email="other@example.com")
    response = _chat(api, conversation["id"], stranger["id"], "Hi")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_user")


def test_chat_on_closed_conversation_is_409(api, conversation):
    api.post(f"/api/conversations/{conversation['id']}/close")
    response = _chat(api, conversation["id"], conversation["operator"]["id"], "Hi")
    assert (response.status_code, response.json()["code"]) == (409, "conversation_closed")


def test_unknown_conversation_detail_is_404(api):
    response = api.get("/conversation/424242/")
    assert (response.status_code, response.json()["code"]) == (404, "conversation_not_found")


def test_malformed_json_is_400(api):
    response = api.generic("POST", "/chat/", "{not json", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "malformed_body")


def test_anonymous_is_refused(anon_client_a, conversation):
    assert anon_client_a.get(f"/conversation/{conversation['id']}/").status_code == 401
    assert anon_client_a.post("/chat/", {}, format="json").status_code == 401
    assert anon_client_a.get("/api/clients").status_code == 401


def test_store_b_credentials_are_refused_on_store_a(
    api, conversation, store_a, seller_b, api_token_b
):
    paths = [
        ("get", f"/conversation/{conversation['id']}/"),
        ("get", "/api/clients"),
        ("get", "/api/conversations"),
        ("get", "/api/operators"),
        ("get", f"/api/clients/{conversation['client']['id']}"),
    ]
    chat_body = {
        "conversationId": conversation["id"],
        "chat": {"payload": "Hi", "userId": conversation["operator"]["id"]},
    }
    for credentials in ({"jwt": seller_token_pair(seller_b)["access"]}, {"token": api_token_b}):
        intruder = api_client(store_host(store_a), **credentials)
        for method, path in paths:
            response = getattr(intruder, method)(path)
            assert response.status_code == 403, path
            assert "Asha" not in response.content.decode()
        assert intruder.post("/chat/", chat_body, format="json").status_code == 403
        closed = intruder.post(f"/api/conversations/{conversation['id']}/close")
        assert closed.status_code == 403
    with in_store(store_a):
        assert Chat.objects.count() == 0
        assert Conversation.objects.get().status == "open"
        assert Operator.objects.count() == 1


def test_store_b_sees_none_of_store_a(api, conversation, client_b):
    # The same ids on store B's host point at B's own (empty) tables.
    assert client_b.get(f"/conversation/{conversation['id']}/").status_code == 404
    assert client_b.get("/api/clients").json()["count"] == 0
    assert client_b.get("/api/conversations").json()["count"] == 0


def test_schema_describes_the_contract():
    # Generated from this tool's own routes, so the check does not depend on other tools.
    schema = SchemaGenerator(patterns=conversation_urls.urlpatterns).get_schema(
        request=None, public=True
    )
    paths = schema["paths"]
    chat_request = paths["/chat/"]["post"]["requestBody"]["content"]["application/json"]
    assert chat_request["schema"]["$ref"] == "#/components/schemas/ChatCreateApiInputRequest"
    created = paths["/chat/"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["$ref"] == "#/components/schemas/ChatCreateApiOutput"
    output = schema["components"]["schemas"]["ChatCreateApiOutput"]
    assert set(output["properties"]) == {"chatId", "status", "scheduledFor", "held"}
    held_refs = [option["$ref"] for option in output["properties"]["held"]["oneOf"]]
    assert held_refs == ["#/components/schemas/HeldEnum", "#/components/schemas/NullEnum"]
    assert schema["components"]["schemas"]["HeldEnum"]["enum"] == ["verify_account", "daily_quota"]
    client = schema["components"]["schemas"]["ClientOutput"]["properties"]["unsubscribed_at"]
    assert (client["format"], client["nullable"]) == ("date-time", True)
    assert "/conversation/{conversation_id}/" in paths
    assert "/api/conversations/{conversation_id}/close" in paths
    assert set(paths["/api/clients"]) == {"get", "post"}


def test_out_of_range_ids_are_404_not_500(api):
    huge = 10**25
    assert api.get(f"/conversation/{huge}/").status_code == 404
    assert api.get(f"/api/clients/{huge}").status_code == 404
    assert api.post(f"/api/conversations/{huge}/close").status_code == 404
    assert api.post(f"/api/clients/{huge}/discount-codes", {"code": "X1"}).status_code == 404

"""The store admin lists and shows this store's conversations data to its members."""

import pytest
from django.utils import timezone

from tests.support.stores import api_client, in_store, store_host


@pytest.mark.parametrize(
    "path",
    [
        "/admin/conversations/client/",
        "/admin/conversations/operator/",
        "/admin/conversations/discountcode/",
        "/admin/conversations/conversation/",
        "/admin/conversations/chat/",
    ],
)
def test_admin_lists_open_for_the_owner(store_a, seller_a, conversation_kolkata, path):
    client = api_client(store_host(store_a), user=seller_a)
    response = client.get(path)
    assert response.status_code == 200


def test_admin_conversation_page_shows_its_chats(store_a, seller_a, conversation_kolkata):
    from tenant_apps.conversations.services import chat_create

    chat_create(
        conversation_id=conversation_kolkata.pk,
        user_id=conversation_kolkata.operator_id,
        payload="Hello {{ username }}",
    )
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(f"/admin/conversations/conversation/{conversation_kolkata.pk}/change/")

    assert response.status_code == 200
    assert "Hello Asha Rao" in response.content.decode()


def test_admin_refuses_a_seller_of_another_store(store_a, seller_b, conversation_kolkata):
    client = api_client(store_host(store_a), user=seller_b)
    response = client.get("/admin/conversations/client/")
    assert response.status_code in (302, 403)
    assert "Asha" not in response.content.decode()


def test_admin_shows_an_unsubscribe_and_cannot_undo_it(store_a, seller_a, client_kolkata):
    with in_store(store_a):
        client_kolkata.unsubscribed_at = timezone.now()
        client_kolkata.save(update_fields=["unsubscribed_at"])
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(f"/admin/conversations/client/{client_kolkata.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Unsubscribed at" in html
    assert 'name="unsubscribed_at"' not in html  # shown, not a field anyone can clear

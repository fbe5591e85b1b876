"""The e-mail of an operator's message, and its one-click unsubscribe link (RFC 8058).

Every message carries `List-Unsubscribe: <https://…>` and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (mail clients show an "Unsubscribe" button
that POSTs to the link, https://www.rfc-editor.org/rfc/rfc8058) and the same link in the body.
The link is a signed token naming the store (its schema: client ids start at 1 in every store)
and the client; it is valid UNSUBSCRIBE_LINK_MAX_AGE and needs no login.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from shared_apps.accounts.links import (
    LinkTokenError,
    LinkTokenExpired,
    link_token_make,
    link_token_read,
)

from .errors import ConversationError, ConversationsErrorCode
from .models import Chat, Client

UNSUBSCRIBE_SALT = "tenant_apps.conversations.unsubscribe"
# Long enough for an old message in an inbox (CAN-SPAM asks for 30 days at least).
UNSUBSCRIBE_LINK_MAX_AGE = timedelta(days=180)


def store_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "name", "") or "Your store"


def unsubscribe_url(*, client: Client, issued_at: datetime | None = None) -> str:
    """The client's unsubscribe link on this store's host (its primary domain)."""
    token = link_token_make(
        {"store": connection.schema_name, "client": client.pk},
        salt=UNSUBSCRIBE_SALT,
        issued_at=issued_at,
    )
    path = reverse(
        "conversation-unsubscribe", kwargs={"token": token}, urlconf=settings.ROOT_URLCONF
    )
    return connection.tenant.link.rstrip("/") + path


def unsubscribe_token_client_id(token: str) -> int:
    """The client an unsubscribe token of this store names, or ConversationError."""
    try:
        payload = link_token_read(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_MAX_AGE)
    except LinkTokenExpired as error:
        raise ConversationError(
            "This unsubscribe link has expired. Use the link in a newer message from the store.",
            code=ConversationsErrorCode.UNSUBSCRIBE_LINK_EXPIRED,
        ) from error
    except LinkTokenError as error:
        raise _link_invalid() from error
    client_id = payload.get("client")
    # A link made by another store names that store's client, whatever the id here.
    if payload.get("store") != connection.schema_name or not isinstance(client_id, int):
        raise _link_invalid()
    return client_id


def _link_invalid() -> ConversationError:
    return ConversationError(
        "This unsubscribe link is not valid. Use the link exactly as it arrived by e-mail.",
        code=ConversationsErrorCode.UNSUBSCRIBE_LINK_INVALID,
    )


def chat_email(*, chat: Chat) -> EmailMessage:
    """The e-mail of an operator's message to the conversation's client."""
    client = chat.conversation.client
    link = unsubscribe_url(client=client)
    name = store_name()
    body = render_to_string(
        "conversations/chat_email.txt",
        {"rendered": chat.rendered, "store_name": name, "unsubscribe_url": link},
    )
    return EmailMessage(
        subject=f"A message from {name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[client.email],
        headers={
            "X-Seller-Suite-Chat": str(chat.pk),
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )

"""Conversation events for the store's support analytics (filled in below)."""


def conversation_opened_emit(*, conversation) -> None:
    return None


def conversation_closed_emit(*, conversation) -> None:
    return None


def chat_created_emit(*, chat) -> None:
    return None

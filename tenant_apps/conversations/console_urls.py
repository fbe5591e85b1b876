"""The Conversations section of the console, mounted at /console/."""

from django.urls import path

from . import console_views

urlpatterns = [
    path("conversations/", console_views.inbox_view, name="console-conversations"),
    path("conversations/new", console_views.new_view, name="console-conversation-new"),
    path(
        "conversations/<int:conversation_id>/",
        console_views.thread_view,
        name="console-conversation",
    ),
    path(
        "conversations/<int:conversation_id>/messages",
        console_views.message_view,
        name="console-conversation-message",
    ),
    path(
        "conversations/<int:conversation_id>/messages/check",
        console_views.message_check_view,
        name="console-conversation-message-check",
    ),
    path(
        "conversations/<int:conversation_id>/close",
        console_views.close_view,
        name="console-conversation-close",
    ),
    path(
        "conversations/<int:conversation_id>/reopen",
        console_views.reopen_view,
        name="console-conversation-reopen",
    ),
]

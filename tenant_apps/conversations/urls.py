from django.urls import path

from . import apis, views

urlpatterns = [
    # The contract's two routes sit at the root of the store host.
    path(
        "conversation/<int:conversation_id>/",
        apis.ConversationDetailApi.as_view(),
        name="conversation-detail",
    ),
    path("chat/", apis.ChatCreateApi.as_view(), name="chat-create"),
    # The one-click unsubscribe link of every conversation e-mail (a page, no login).
    path(
        "unsubscribe/<str:token>", views.UnsubscribeView.as_view(), name="conversation-unsubscribe"
    ),
    path("api/clients", apis.ClientListCreateApi.as_view(), name="conversation-clients"),
    path("api/clients/<int:client_id>", apis.ClientDetailApi.as_view(), name="client-detail"),
    path(
        "api/clients/<int:client_id>/discount-codes",
        apis.DiscountCodeSetApi.as_view(),
        name="client-discount-code-set",
    ),
    path("api/operators", apis.OperatorListApi.as_view(), name="conversation-operators"),
    path(
        "api/conversations",
        apis.ConversationListCreateApi.as_view(),
        name="conversation-list",
    ),
    path(
        "api/conversations/<int:conversation_id>/close",
        apis.ConversationCloseApi.as_view(),
        name="conversation-close",
    ),
]

"""HTML pages of the conversations tool.

Store members work in the store admin (the tool's console entry) and through the APIs. The one
page here is for the store's clients: the unsubscribe link of every conversation e-mail.
"""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .errors import ConversationError
from .mail import store_name
from .selectors import client_for_unsubscribe_link
from .services import client_unsubscribe

TEMPLATE = "conversations/unsubscribe.html"


def _refused(request, error: ConversationError):
    return render(request, TEMPLATE, {"state": "refused", "message": error.message}, status=400)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET: a page with a confirm button. POST: unsubscribe at once (RFC 8058 one-click).

    No login and no CSRF token: a mail client's one-click POST carries neither (RFC 8058,
    section 3.1); the signed link is the whole credential and only ever unsubscribes.
    """

    def get(self, request, token: str):
        try:
            client = client_for_unsubscribe_link(token=token)
        except ConversationError as error:
            return _refused(request, error)
        state = "done" if client.unsubscribed_at else "confirm"
        return render(request, TEMPLATE, {"state": state, "client": client, "store": store_name()})

    def post(self, request, token: str):
        try:
            client = client_unsubscribe(token=token)
        except ConversationError as error:
            return _refused(request, error)
        return render(request, TEMPLATE, {"state": "done", "client": client, "store": store_name()})

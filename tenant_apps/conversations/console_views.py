"""The console's Conversations section: the inbox (open / closed), New conversation, a thread
with each message's delivery state, the composer (checked inline before sending), close and
reopen. Thin: the same selectors and services as `/api/conversations` and `POST /chat/`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.access.timezone import current_store_timezone
from saas.console.guards import console_page

from . import selectors, services, threads
from .console_forms import ComposerForm, NewConversationForm
from .errors import ConversationError
from .models import Conversation
from .payload import PLACEHOLDERS

INBOX_PAGE_SIZE = 25


def _conversation_or_404(conversation_id: int) -> Conversation:
    try:
        return selectors.conversation_detail(conversation_id=conversation_id)
    except ConversationError as error:
        raise Http404(error.message) from error


@require_GET
@console_page
def inbox_view(request):
    status = request.GET.get("status")
    if status not in Conversation.Status.values:
        status = Conversation.Status.OPEN
    page = Paginator(selectors.conversation_inbox(status=status), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"status": status, "page": page, "counts": selectors.conversation_inbox_counts()}
    return render(request, "console/conversations/inbox.html", context)


@require_http_methods(["GET", "POST"])
@console_page
def new_view(request):
    form = NewConversationForm(
        request.POST or None,
        clients=selectors.client_list(),
        initial={"timezone": str(current_store_timezone())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.client_id() is not None:
                conversation = services.conversation_open(
                    seller=request.user, client_id=form.client_id()
                )
            else:
                conversation = threads.conversation_open_with_new_client(
                    seller=request.user, **form.new_client()
                )
        except ConversationError as error:
            form.show_error(error)
        else:
            messages.success(request, f"Conversation with {conversation.client.name} started.")
            return redirect("console-conversation", conversation_id=conversation.pk)
    status = 400 if form.is_bound else 200
    return render(request, "console/conversations/new.html", {"form": form}, status=status)


def _thread_context(conversation: Conversation, form: ComposerForm) -> dict:
    sender_verified = selectors.store_mail_sender_verified()
    chats = [
        {
            "chat": chat,
            "state": selectors.chat_delivery_state(
                chat=chat, client=conversation.client, sender_verified=sender_verified
            ),
        }
        for chat in conversation.chats.all()
    ]
    return {
        "conversation": conversation,
        "chats": chats,
        "form": form,
        "placeholders": [{"name": name, "text": f"{{{{ {name} }}}}"} for name in PLACEHOLDERS],
        "sender_verified": sender_verified,
    }


@require_GET
@console_page
def thread_view(request, conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    form = ComposerForm(conversation=conversation)
    return render(request, "console/conversations/thread.html", _thread_context(conversation, form))


@require_POST
@console_page
def message_view(request, conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    form = ComposerForm(request.POST, conversation=conversation)
    if form.is_valid():
        try:
            chat = services.chat_create(
                conversation_id=conversation.pk,
                user_id=form.user_id(),
                payload=form.message_text(),
            )
        except ConversationError as error:
            form.show_error(error)
        else:
            state = selectors.chat_delivery_state(
                chat=chat,
                client=conversation.client,
                sender_verified=selectors.store_mail_sender_verified(),
            )
            messages.success(request, f"Message saved. {state.label}.")
            return redirect("console-conversation", conversation_id=conversation.pk)
    context = _thread_context(conversation, form)
    return render(request, "console/conversations/thread.html", context, status=400)


@require_POST
@console_page
def message_check_view(request, conversation_id: int):
    """The composer's inline check (htmx, on input): the rules of `POST /chat/`, nothing kept."""
    conversation = _conversation_or_404(conversation_id)
    form = ComposerForm(request.POST, conversation=conversation)
    context = {"conversation": conversation, "error": None, "check": None}
    if form.is_valid():
        try:
            context["check"] = threads.chat_check(
                conversation_id=conversation.pk,
                user_id=form.user_id(),
                payload=form.message_text(),
            )
        except ConversationError as error:
            form.show_error(error)
    if form.errors:
        context["error"] = " ".join(form.errors.get("payload", [])) or "Check the message."
    return render(request, "console/conversations/_composer_check.html", context)


@require_POST
@console_page
def close_view(request, conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    try:
        services.conversation_close(conversation=conversation)
    except ConversationError:
        messages.error(request, "The conversation was already closed.")
    else:
        messages.success(request, f"Conversation with {conversation.client.name} closed.")
    return redirect("console-conversation", conversation_id=conversation.pk)


@require_POST
@console_page
def reopen_view(request, conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    try:
        threads.conversation_reopen(conversation=conversation)
    except ConversationError:
        messages.error(request, "The conversation was already open.")
    else:
        messages.success(request, f"Conversation with {conversation.client.name} reopened.")
    return redirect("console-conversation", conversation_id=conversation.pk)

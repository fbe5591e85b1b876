"""Conversations feed the store's support analytics, once per fact."""

from datetime import timedelta

from tenant_apps.analytics.models import Agent, ConversationState, Event
from tenant_apps.conversations.events import conversation_analytics_record
from tenant_apps.conversations.services import chat_create, conversation_close, conversation_create
from tests.support.times import utc


def test_conversation_lifecycle_becomes_analytics_events(
    operator_a, client_kolkata, django_capture_on_commit_callbacks
):
    opened = utc(2026, 3, 9, 4, 0)
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_create(client=client_kolkata, operator=operator_a, now=opened)
    with django_capture_on_commit_callbacks(execute=True):
        question = chat_create(
            conversation_id=conversation.pk,
            user_id=client_kolkata.pk,
            payload="Any discount?",
            now=opened + timedelta(minutes=5),
        )
    # Written at 23:30 IST so that no send task runs; the reply is recorded all the same.
    with django_capture_on_commit_callbacks(execute=True):
        answer = chat_create(
            conversation_id=conversation.pk,
            user_id=operator_a.pk,
            payload="Use {{ discountCode }}",
            now=utc(2026, 3, 9, 18, 0),
        )
    with django_capture_on_commit_callbacks(execute=True):
        conversation_close(conversation=conversation, now=utc(2026, 3, 9, 19, 0))

    assert list(
        Event.objects.order_by("occurred_at", "event_id").values_list("event_id", flat=True)
    ) == [
        f"conv-{conversation.pk}-assigned",
        f"conv-{conversation.pk}-created",
        f"chat-{question.pk}",
        f"chat-{answer.pk}",
        f"conv-{conversation.pk}-closed",
    ]
    state = ConversationState.objects.get(external_id=f"conv-{conversation.pk}")
    assert state.status == "closed"
    assert state.created_at == opened
    assert state.first_reply_at == utc(2026, 3, 9, 18, 0)
    assert state.channel.external_id == "email"
    agent = Agent.objects.get()
    assert (agent.external_id, agent.name) == (f"operator-{operator_a.pk}", operator_a.name)


def test_recording_again_is_a_no_op(conversation_kolkata, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation_analytics_record(kind="opened", object_id=conversation_kolkata.pk)

    again = conversation_analytics_record(kind="opened", object_id=conversation_kolkata.pk)

    assert again == 0
    assert Event.objects.count() == 2

import pytest

from tenant_apps.conversations.services import (
    client_create,
    conversation_create,
    discount_code_set,
    operator_ensure,
)
from tests.support.stores import in_store


@pytest.fixture
def in_alpha(store_a):
    """Run the test body inside store A's schema."""
    with in_store(store_a):
        yield store_a


@pytest.fixture
def operator_a(in_alpha, seller_a):
    return operator_ensure(seller=seller_a)


@pytest.fixture
def client_kolkata(in_alpha):
    client = client_create(
        name="Asha Rao", email="asha@example.com", timezone="Asia/Kolkata", mobile="+919811111111"
    )
    discount_code_set(client=client, code="ASHA10")
    return client


@pytest.fixture
def client_new_york(in_alpha):
    return client_create(name="Ben Cole", email="ben@example.com", timezone="America/New_York")


@pytest.fixture
def conversation_kolkata(operator_a, client_kolkata):
    return conversation_create(client=client_kolkata, operator=operator_a)


@pytest.fixture
def conversation_new_york(operator_a, client_new_york):
    return conversation_create(client=client_new_york, operator=operator_a)

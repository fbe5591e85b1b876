"""The access module's shared pieces, on real rows: hashed keys and their use stamps."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from saas.access.membership import api_token_member, api_token_seller
from saas.access.tokens import LAST_USED_RESOLUTION_SECONDS, key_from_request, key_hash
from shared_apps.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_new_key_is_stored_only_as_its_hash_with_a_short_prefix(seller_a):
    token, key = ApiToken.new_with_key(seller=seller_a, name="ci")
    token.save()

    stored = ApiToken.objects.get(pk=token.pk)
    assert len(key) == 32
    assert stored.key_hash == key_hash(key) != key
    assert stored.key_prefix == key[:8]
    assert ApiToken.lookup(key) == stored
    assert ApiToken.lookup(key + "0") is None


def test_use_is_stamped_at_most_once_per_resolution(seller_a):
    token, key = ApiToken.new_with_key(seller=seller_a, name="ci")
    token.save()

    api_token_seller(key=key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    api_token_seller(key=key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    stale = timezone.now() - timedelta(seconds=LAST_USED_RESOLUTION_SECONDS + 1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    api_token_seller(key=key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_a_key_opens_only_stores_its_seller_is_a_member_of(seller_a, store_a, store_b):
    token, key = ApiToken.new_with_key(seller=seller_a, name="ci")
    token.save()

    assert api_token_member(key=key, store_id=store_a.pk) == seller_a
    assert api_token_member(key=key, store_id=store_b.pk) is None


def test_an_inactive_sellers_key_opens_nothing(seller_a, store_a):
    token, key = ApiToken.new_with_key(seller=seller_a, name="ci")
    token.save()
    type(seller_a).objects.filter(pk=seller_a.pk).update(is_active=False)

    assert api_token_seller(key=key) is None
    assert api_token_member(key=key, store_id=store_a.pk) is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_X_API_TOKEN": " abc "}, "abc"),
        ({"HTTP_AUTHORIZATION": "Token abc"}, "abc"),
        ({"HTTP_AUTHORIZATION": "token abc"}, "abc"),
        ({"HTTP_AUTHORIZATION": "Bearer abc"}, None),
        ({"HTTP_AUTHORIZATION": "Token"}, None),
        ({}, None),
    ],
)
def test_the_key_is_read_from_either_header(headers, expected):
    request = RequestFactory().get("/", **headers)

    assert key_from_request(request) == expected

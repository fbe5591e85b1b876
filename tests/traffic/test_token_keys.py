"""The GitHub token key rotates: old keys keep decrypting until the tokens are re-encrypted."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command

from tenant_apps.traffic.models import GithubCredential
from tenant_apps.traffic.selectors import github_token_find
from tenant_apps.traffic.services import github_token_rotate, github_token_set
from tests.support.stores import in_store
from tests.support.traffic import GITHUB_TOKEN

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def rotate_command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("traffic_github_tokens_rotate", stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_a_token_survives_a_new_first_key_and_rotation_moves_it_to_that_key(
    settings, store_a, store_b, seller_a
):
    # Given store A's token encrypted under the old key (store B has no token)
    settings.TRAFFIC_TOKEN_KEYS = [OLD_KEY]
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        before = GithubCredential.objects.get()

    # When a new key is put first, the old one still decrypts
    settings.TRAFFIC_TOKEN_KEYS = [NEW_KEY, OLD_KEY]
    with in_store(store_a):
        assert github_token_find() == GITHUB_TOKEN

    # and the rotation re-encrypts every store's token with the new key
    assert rotate_command() == (
        "1 token(s) re-encrypted, 0 unreadable, 1 store(s) without a token.",
        "",
    )

    # Then the new key alone reads it, the old key alone no longer does
    with in_store(store_a):
        after = GithubCredential.objects.get()
        settings.TRAFFIC_TOKEN_KEYS = [NEW_KEY]
        assert github_token_find() == GITHUB_TOKEN
        settings.TRAFFIC_TOKEN_KEYS = [OLD_KEY]
        assert github_token_find() is None
    assert after.token_encrypted != before.token_encrypted
    assert Fernet(NEW_KEY).decrypt(after.token_encrypted.encode()).decode() == GITHUB_TOKEN
    # The token was not set again by anyone: who set it, and when, stay
    assert (after.updated_at, after.updated_by_id) == (before.updated_at, seller_a.id)


def test_a_token_under_the_key_derived_from_the_secret_key_rotates_to_a_configured_key(
    settings, store_a, seller_a
):
    settings.TRAFFIC_TOKEN_KEYS = []
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        settings.TRAFFIC_TOKEN_KEYS = [NEW_KEY]

        assert github_token_find() == GITHUB_TOKEN
        assert github_token_rotate() is True
        assert github_token_rotate() is True  # a second run changes nothing that matters

        encrypted = GithubCredential.objects.get().token_encrypted
    assert Fernet(NEW_KEY).decrypt(encrypted.encode()).decode() == GITHUB_TOKEN


def test_a_token_no_key_reads_is_reported_and_left_alone(settings, store_a, seller_a):
    settings.TRAFFIC_TOKEN_KEYS = [OLD_KEY]
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        before = GithubCredential.objects.get().token_encrypted
    settings.TRAFFIC_TOKEN_KEYS = [NEW_KEY]

    assert rotate_command() == (
        "0 token(s) re-encrypted, 1 unreadable, 1 store(s) without a token.",
        f"{store_a.slug}: no configured key reads the GitHub token; "
        "a member sets it again (the fetch already asks for it).",
    )
    with in_store(store_a):
        assert GithubCredential.objects.get().token_encrypted == before
        assert github_token_find() is None

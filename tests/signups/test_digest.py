"""The Mon/Wed digest: console line, one e-mail per owner whose address is verified, figures,
and no second e-mail."""

import json
from datetime import UTC, datetime

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.signups.models import Signup, SignupDigest
from tenant_apps.signups.services import signup_digest_send
from tenant_apps.signups.tasks import signup_digest_task
from tests.support.stores import in_store


@pytest.fixture(autouse=True)
def owner_addresses_verified(db):
    """The session stores' owners verified by mobile; here their addresses are verified too."""
    Seller.objects.filter(email__in=["owner@alpha.example.com", "owner@beta.example.com"]).update(
        email_verified_at=utc(2025, 1, 1)
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_signups(store, *rows):
    with in_store(store):
        for moment, email, name, page in rows:
            Signup.objects.create(email=email, name=name, page_url=page, created_at=moment)


@pytest.fixture
def alpha_signups(store_a):
    make_signups(
        store_a,
        (utc(2025, 2, 20, 9), "feb@example.com", "", ""),
        (utc(2025, 2, 28, 18, 30), "first@example.com", "First", "https://shop.example/a"),
        (utc(2025, 3, 3, 6, 15), "second@example.com", "", "https://shop.example/b"),
    )


def test_digest_prints_and_mails_each_owner_the_figures(store_a, alpha_signups, capsys):
    with in_store(store_a):
        digest = signup_digest_send(store=store_a, run_key="run-1", now=utc(2025, 3, 3, 8))

    assert capsys.readouterr().out == "Alpha: 2 new signups in March 2025\n"
    assert (digest.this_month, digest.since_last, digest.total) == (2, 3, 3)
    assert digest.recipients_sent == ["owner@alpha.example.com"]
    [message] = mail.outbox
    assert message.to == ["owner@alpha.example.com"]
    assert message.subject == "Alpha: 2 new signups in March 2025"
    assert message.body == (
        "Alpha: 2 new signups in March 2025\n"
        "\n"
        "This month (March 2025): 2\n"
        "Since the last digest: 3\n"
        "Total: 3\n"
        "\n"
        "Latest signups:\n"
        "- second@example.com, 2025-03-03 11:45 IST, from https://shop.example/b\n"
        "- first@example.com (First), 2025-03-01 00:00 IST, from https://shop.example/a\n"
        "- feb@example.com, 2025-02-20 14:30 IST\n"
        "\n"
        "See them all: http://alpha.localhost:8000/console/signups/\n"
    )


def test_since_last_counts_from_the_previous_digest(store_a, alpha_signups):
    with in_store(store_a):
        signup_digest_send(store=store_a, run_key="monday", now=utc(2025, 3, 3, 8))
        Signup.objects.create(email="tuesday@example.com", created_at=utc(2025, 3, 4, 10))
        wednesday = signup_digest_send(store=store_a, run_key="wednesday", now=utc(2025, 3, 5, 8))

    assert (wednesday.this_month, wednesday.since_last, wednesday.total) == (3, 1, 4)
    assert len(mail.outbox) == 2
    assert "Since the last digest: 1\n" in mail.outbox[1].body


def test_a_retried_run_sends_no_second_email(store_a, alpha_signups, capsys):
    with in_store(store_a):
        first = signup_digest_send(store=store_a, run_key="task-42", now=utc(2025, 3, 3, 8))
        Signup.objects.create(email="late@example.com", created_at=utc(2025, 3, 3, 8, 1))
        retried = signup_digest_send(store=store_a, run_key="task-42", now=utc(2025, 3, 3, 8, 5))
        digests = SignupDigest.objects.count()

    assert len(mail.outbox) == 1
    assert retried.pk == first.pk
    assert (retried.this_month, retried.total) == (2, 3)  # the figures of the first attempt
    assert digests == 1


def test_every_owner_gets_one_email_and_staff_none(store_a, alpha_signups):
    co_owner = Seller.objects.create_user(
        mobile="+919800000077", email="co@alpha.example.com", email_verified_at=utc(2025, 1, 2)
    )
    staff = Seller.objects.create_user(
        mobile="+919800000078", email="staff@alpha.example.com", email_verified_at=utc(2025, 1, 2)
    )
    StoreMembership.objects.create(store=store_a, seller=co_owner, role="owner")
    StoreMembership.objects.create(store=store_a, seller=staff, role="staff")

    with in_store(store_a):
        signup_digest_send(store=store_a, run_key="r", now=utc(2025, 3, 3, 8))

    assert sorted(m.to[0] for m in mail.outbox) == [
        "co@alpha.example.com",
        "owner@alpha.example.com",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_a_refused_mail_may_be_sent_by_the_retry(store_a, alpha_signups, settings):
    settings.EMAIL_BACKEND = "tests.signups.mail_backends.RefusingBackend"
    with in_store(store_a), pytest.raises(ConnectionRefusedError):
        signup_digest_send(store=store_a, run_key="r", now=utc(2025, 3, 3, 8))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with in_store(store_a):
        digest = signup_digest_send(store=store_a, run_key="r", now=utc(2025, 3, 3, 8, 1))

    assert len(mail.outbox) == 1
    assert digest.recipients_sent == ["owner@alpha.example.com"]


def test_empty_store_digest(store_b, capsys):
    with in_store(store_b):
        signup_digest_send(store=store_b, run_key="r", now=utc(2025, 3, 3, 8))
    assert capsys.readouterr().out == "Beta: 0 new signups in March 2025\n"
    assert "No signups yet." in mail.outbox[0].body
    assert mail.outbox[0].to == ["owner@beta.example.com"]


def test_the_beat_task_runs_inside_the_store_of_its_headers(store_a, alpha_signups, capsys):
    task = PeriodicTask.objects.get(
        store_schedule__store=store_a, store_schedule__key="signup-digest"
    )
    assert task.task == "tenant_apps.signups.tasks.signup_digest_task"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "8", "1,3")
    assert str(task.crontab.timezone) == "UTC"

    # Eager run with the same headers beat sends (tenant-schemas-celery switches the schema).
    result = signup_digest_task.apply(headers=json.loads(task.headers), task_id="beat-run-1")
    again = signup_digest_task.apply(headers=json.loads(task.headers), task_id="beat-run-1")

    assert result.successful() and again.successful()
    assert result.result == again.result
    assert capsys.readouterr().out.startswith("Alpha: ")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@alpha.example.com"]
    assert "Total: 3\n" in mail.outbox[0].body


def test_digest_skips_owners_whose_address_is_not_verified(store_a, alpha_signups, capsys):
    # Signed in with a mobile code (verified seller), but the address was never confirmed.
    mobile_only = Seller.objects.create_user(
        mobile="+919800000079",
        email="mobile-only@alpha.example.com",
        mobile_verified_at=utc(2025, 1, 2),
    )
    never = Seller.objects.create_user(email="never@alpha.example.com")
    StoreMembership.objects.create(store=store_a, seller=mobile_only, role="owner")
    StoreMembership.objects.create(store=store_a, seller=never, role="owner")

    with in_store(store_a):
        digest = signup_digest_send(store=store_a, run_key="r", now=utc(2025, 3, 3, 8))

    assert [m.to for m in mail.outbox] == [["owner@alpha.example.com"]]
    assert digest.recipients_sent == ["owner@alpha.example.com"]


def test_digest_of_a_store_with_no_verified_owner_is_printed_not_mailed(store_b, seller_b, capsys):
    Seller.objects.filter(pk=seller_b.pk).update(email_verified_at=None)

    with in_store(store_b):
        digest = signup_digest_send(store=store_b, run_key="r", now=utc(2025, 3, 3, 8))

    assert capsys.readouterr().out == "Beta: 0 new signups in March 2025\n"
    assert mail.outbox == []
    assert digest.recipients_sent == []

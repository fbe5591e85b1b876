import pytest
from celery.signals import task_retry

from saas.celery import app as celery_app
from shared_apps.accounts.models import Seller, StoreMembership
from shared_apps.accounts.services import api_token_create
from tenant_apps.traffic.services import github_token_set, repository_create
from tests.support.stores import in_store
from tests.support.traffic import GITHUB_TOKEN, REPO_CREATED, START

from .fake_github import FakeGithub


@pytest.fixture(autouse=True)
def _github_unreachable_by_default(settings):
    """No test reaches the real GitHub: without `fake_github` every call fails to connect."""
    settings.GITHUB_API_URL = "http://127.0.0.1:9"


@pytest.fixture
def fake_github(settings):
    server = FakeGithub(clock=START).start()
    settings.GITHUB_API_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def traffic_store(store_a, seller_a, fake_github):
    """Store A with the GitHub token set and one followed repository known to the fake."""
    fake_github.repository_add(
        "HackSoftware/Django-Styleguide", created=REPO_CREATED, token=GITHUB_TOKEN
    )
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(
            seller=seller_a, url="https://github.com/HackSoftware/Django-Styleguide"
        )
    return repository


@pytest.fixture
def member_a(store_a) -> tuple[Seller, str]:
    """A second (staff) member of store A and their API token key."""
    seller = Seller.objects.create_user(mobile="+919800000077")
    StoreMembership.objects.create(store=store_a, seller=seller, role=StoreMembership.Role.STAFF)
    return seller, api_token_create(seller=seller, name="staff")[1]


@pytest.fixture
def retries():
    """Countdowns of the retries Celery schedules while the test runs.

    Eager tasks re-raise `Retry` when eager errors propagate; a worker never does. Here the
    eager run behaves like a worker and runs each retry at once, its countdown recorded.
    """
    seen: list[int] = []

    def record(sender=None, reason=None, **kwargs):
        seen.append(reason.when)

    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    task_retry.connect(record, weak=False)
    yield seen
    task_retry.disconnect(record)
    celery_app.conf.task_eager_propagates = propagates

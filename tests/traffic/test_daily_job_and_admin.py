"""The store's daily fetch job as beat runs it, and the store admin pages of the tool."""

import json

from django.test import Client

from saas.celery import app as celery_app
from tenant_apps.traffic.models import GithubCredential, TrafficDay
from tenant_apps.traffic.tasks import traffic_fetch_all_task
from tenants.models import StoreSchedule
from tests.support.stores import in_store, store_host

JOB = "tenant_apps.traffic.tasks.traffic_fetch_all_task"


def test_the_store_daily_job_fetches_inside_its_own_store(traffic_store, store_a, fake_github):
    # Given the beat entry created with store A
    schedule = StoreSchedule.objects.select_related("periodic_task").get(
        store=store_a, key="traffic-fetch"
    )
    periodic_task = schedule.periodic_task
    assert periodic_task.task == JOB
    assert periodic_task.enabled is True
    # (a worker imports every app's tasks module at start; the test imports it above)
    assert periodic_task.task == traffic_fetch_all_task.name

    # When beat fires it (from the public schema, with the task's own headers)
    result = celery_app.tasks[periodic_task.task].apply(
        args=json.loads(periodic_task.args or "[]"),
        kwargs=json.loads(periodic_task.kwargs or "{}"),
        headers=json.loads(periodic_task.headers),
    )

    # Then store A's repository was fetched in store A's schema
    assert result.get() == 1
    with in_store(store_a):
        assert TrafficDay.objects.filter(repository=traffic_store).count() == 15
    assert len(fake_github.requests) == 4


def test_store_admin_lists_repositories_and_never_shows_the_token(traffic_store, store_a, seller_a):
    client = Client(HTTP_HOST=store_host(store_a))
    with in_store(store_a):
        client.force_login(seller_a)
        credential = GithubCredential.objects.get()

    listing = client.get("/admin/traffic/repository/")
    change = client.get(f"/admin/traffic/repository/{traffic_store.id}/change/")
    token_page = client.get(f"/admin/traffic/githubcredential/{credential.pk}/change/")

    assert listing.status_code == 200
    assert "HackSoftware/Django-Styleguide" in listing.content.decode()
    assert change.status_code == 200
    assert token_page.status_code == 200
    for response in (listing, change, token_page):
        html = response.content.decode()
        assert credential.token_encrypted not in html
        assert "ghp_store_token_with_push_access" not in html

"""The store admin lists this tool's data; the API schema describes its endpoints."""

import pytest
from django.utils import timezone

from tenant_apps.signups.models import Signup, SignupDigest
from tests.support.stores import api_client, in_store, store_host


@pytest.mark.parametrize("model", ["widgetsite", "signup", "signupdigest"])
def test_store_admin_lists_the_models_for_members(store_a, seller_a, model):
    now = timezone.now()
    with in_store(store_a):
        Signup.objects.create(email="admin-list@example.com")
        SignupDigest.objects.create(
            run_key="r", created_at=now, covered_until=now, month_label="March 2025",
            this_month=1, since_last=1, total=1,
        )  # fmt: skip
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(f"/admin/signups/{model}/")

    assert response.status_code == 200
    if model == "signup":
        assert "admin-list@example.com" in response.content.decode()


def test_admin_of_store_a_is_refused_to_store_b_member(store_a, seller_b):
    client = api_client(store_host(store_a), user=seller_b)
    response = client.get("/admin/signups/signup/")
    assert response.status_code in (302, 403)


def test_schema_describes_the_signup_endpoints(store_a, client_a):
    response = client_a.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/widget/sites"]) >= {"get", "post"}
    assert "patch" in paths["/api/widget/sites/{site_id}"]
    assert "post" in paths["/api/widget/sites/{site_id}/rotate-key"]
    assert "get" in paths["/api/signups"]
    assert "get" in paths["/api/signups/stats"]
    signup_paths = [p for p in paths if p.startswith("/api/widget/signups")]
    assert signup_paths
    post = paths[signup_paths[0]]["post"]
    assert {"201", "200", "403", "413", "429"} <= set(post["responses"])
    assert "/bench/bare-signup" not in paths

"""The traffic API contract: repositories of the caller, the store's write-only GitHub token."""

import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from saas.api.authentication import seller_token_pair
from tenant_apps.traffic import urls as traffic_urls
from tenant_apps.traffic.models import (
    GithubCredential,
    PathSnapshot,
    ReferrerSnapshot,
    Repository,
    TrafficDay,
)
from tenant_apps.traffic.services import github_token_set
from tests.support.stores import api_client, in_store, store_host
from tests.support.traffic import GITHUB_TOKEN

STYLEGUIDE = "https://github.com/HackSoftware/Django-Styleguide"


@pytest.fixture
def api_a(store_a, api_token_a):
    return api_client(store_host(store_a), token=api_token_a)


def create(client, url):
    return client.post("/api/repos/create", {"url": url}, format="json")


def repository_count(store) -> int:
    with in_store(store):
        return Repository.objects.count()


def test_create_then_list(api_a, store_a):
    response = create(api_a, STYLEGUIDE)

    assert response.status_code == 200
    assert set(response.json()) == {"id"}
    repository_id = response.json()["id"]
    with in_store(store_a):
        repository = Repository.objects.get()
    assert repository_id == str(repository.id)
    listed = api_a.get("/api/repos")
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": repository_id,
            "url": STYLEGUIDE,
            "created_at": repository.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]


@pytest.mark.parametrize(
    "url",
    [
        STYLEGUIDE,
        STYLEGUIDE + "/",
        STYLEGUIDE + ".git",
        STYLEGUIDE + ".git/",
        "  " + STYLEGUIDE + "  ",
        "http://github.com/HackSoftware/Django-Styleguide",
        "https://www.github.com/HackSoftware/Django-Styleguide",
        "HTTPS://GitHub.com/HackSoftware/Django-Styleguide",
        STYLEGUIDE + "#readme",
        # The forms GitHub itself shows for cloning, and a link without its scheme.
        "github.com/HackSoftware/Django-Styleguide",
        "git@github.com:HackSoftware/Django-Styleguide.git",
        "ssh://git@github.com/HackSoftware/Django-Styleguide",
    ],
)
def test_accepted_urls_are_normalised(api_a, url):
    response = create(api_a, url)

    assert response.status_code == 200, response.json()
    assert [row["url"] for row in api_a.get("/api/repos").json()] == [STYLEGUIDE]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "blank"),
        ("not a url", "invalid_url"),
        ("ftp://github.com/HackSoftware/Django-Styleguide", "invalid_url"),
        ("https://", "invalid_url"),
        ("https://github.com:99999/a/b", "invalid_url"),
        ("https://gitlab.com/HackSoftware/Django-Styleguide", "not_github"),
        ("https://github.com.evil.example/HackSoftware/Django-Styleguide", "not_github"),
        ("https://user@github.com/HackSoftware/Django-Styleguide", "not_github"),
        ("https://github.com:8443/HackSoftware/Django-Styleguide", "not_github"),
        ("https://github.com/HackSoftware/Django-Styleguide?tab=readme", "not_github"),
        ("https://github.com/", "not_a_repository"),
        ("https://github.com/HackSoftware", "not_a_repository"),
        ("https://github.com/HackSoftware/Django-Styleguide/issues", "not_a_repository"),
        ("https://github.com/HackSoftware//Django-Styleguide", "not_a_repository"),
        ("https://github.com/-bad/repo", "not_a_repository"),
        ("https://github.com/bad_owner/repo", "not_a_repository"),
        ("https://github.com/orgs/HackSoftware", "not_a_repository"),
        ("https://github.com/settings/profile", "not_a_repository"),
        ("https://github.com/owner/..", "not_a_repository"),
        ("https://github.com/owner/re%20po", "not_a_repository"),
        ("https://github.com/" + "a" * 40 + "/repo", "not_a_repository"),
        ("https://github.com/owner/.git", "not_a_repository"),
    ],
)
def test_rejected_urls(api_a, store_a, url, code):
    response = create(api_a, url)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["error"]
    assert repository_count(store_a) == 0


@pytest.mark.parametrize("body", [{}, {"url": None}, {"url": ["x"]}, {"url": "x" * 301}])
def test_malformed_bodies_are_400(api_a, store_a, body):
    response = api_a.post("/api/repos/create", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]
    assert repository_count(store_a) == 0


@pytest.mark.parametrize(
    "again",
    [
        STYLEGUIDE,
        STYLEGUIDE + ".git",
        "https://github.com/hacksoftware/django-styleguide/",
    ],
)
def test_adding_the_same_repository_twice_is_400(api_a, store_a, again):
    assert create(api_a, STYLEGUIDE).status_code == 200

    response = create(api_a, again)

    assert response.status_code == 400
    assert response.json()["code"] == "repository_exists"
    assert response.json()["error"] == "You already follow HackSoftware/Django-Styleguide."
    assert repository_count(store_a) == 1


def test_two_members_may_follow_the_same_repository(api_a, store_a, member_a):
    _, member_token = member_a
    member_api = api_client(store_host(store_a), token=member_token)

    assert create(api_a, STYLEGUIDE).status_code == 200
    assert create(member_api, STYLEGUIDE).status_code == 200
    assert repository_count(store_a) == 2


def test_detail_gives_traffic_oldest_first_with_referrers_and_paths(
    traffic_store, store_a, api_token_a, fake_github, django_capture_on_commit_callbacks
):
    client = api_client(store_host(store_a), token=api_token_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/repos/{traffic_store.id}/refresh").status_code == 202

    response = client.get(f"/api/repos/{traffic_store.id}")

    assert response.status_code == 200
    body = response.json()
    window = fake_github.window("HackSoftware/Django-Styleguide")
    assert body["id"] == str(traffic_store.id)
    assert body["url"] == STYLEGUIDE
    assert body["traffic"] == [
        {"date": day.isoformat(), **counts} for day, counts in sorted(window.items())
    ]
    today = fake_github.clock.date().isoformat()
    assert body["referrers"] == [
        {"date": today, **row} for row in fake_github.referrers("HackSoftware/Django-Styleguide")
    ]
    assert body["paths"] == [
        {"date": today, **row} for row in fake_github.paths("HackSoftware/Django-Styleguide")
    ]
    assert body["last_fetch"]["error"] == ""
    assert body["last_fetch"]["succeeded_at"] is not None


def test_detail_filters_by_date(traffic_store, store_a, api_token_a, fake_github):
    from tenant_apps.traffic.tasks import traffic_fetch_task

    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
    client = api_client(store_host(store_a), token=api_token_a)

    response = client.get(f"/api/repos/{traffic_store.id}?start=2024-02-20&end=2024-02-22")

    assert [row["date"] for row in response.json()["traffic"]] == [
        "2024-02-20",
        "2024-02-21",
        "2024-02-22",
    ]
    bad = client.get(f"/api/repos/{traffic_store.id}?start=2024-02-23&end=2024-02-22")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_range"


def test_the_first_fetch_runs_when_a_repository_is_added(
    store_a, seller_a, api_a, fake_github, django_capture_on_commit_callbacks
):
    fake_github.repository_add(
        "HackSoftware/Django-Styleguide", created=fake_github.clock.date(), token=GITHUB_TOKEN
    )
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)

    with django_capture_on_commit_callbacks(execute=True):
        repository_id = create(api_a, STYLEGUIDE).json()["id"]

    traffic = api_a.get(f"/api/repos/{repository_id}").json()["traffic"]
    today = fake_github.clock.date()
    assert traffic == [
        {
            "date": today.isoformat(),
            **fake_github.truth("HackSoftware/Django-Styleguide", today),
        }
    ]


def test_refresh_queues_a_fetch_and_answers_202(
    traffic_store, store_a, api_token_a, fake_github, django_capture_on_commit_callbacks
):
    client = api_client(store_host(store_a), token=api_token_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/api/repos/{traffic_store.id}/refresh")

    assert response.status_code == 202
    assert response.json() == {"id": str(traffic_store.id), "status": "queued"}
    assert len(callbacks) == 1
    assert fake_github.requests == []  # nothing runs before the transaction commits
    callbacks[0]()
    assert len(fake_github.requests) == 4
    with in_store(store_a):
        assert TrafficDay.objects.filter(repository=traffic_store).count() == 15


def test_refresh_of_an_unknown_repository_is_404(api_a):
    response = api_a.post(f"/api/repos/{uuid.uuid4()}/refresh")

    assert response.status_code == 404
    assert response.json()["code"] == "repository_not_found"


def test_delete_removes_the_repository_and_all_its_data(traffic_store, store_a, api_token_a):
    from tenant_apps.traffic.tasks import traffic_fetch_task

    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
        assert TrafficDay.objects.count() == 15
        assert ReferrerSnapshot.objects.count() == 3
        assert PathSnapshot.objects.count() == 2
    client = api_client(store_host(store_a), token=api_token_a)

    response = client.post(f"/api/repos/{traffic_store.id}/delete")

    assert response.status_code == 202
    with in_store(store_a):
        assert Repository.objects.count() == 0
        assert TrafficDay.objects.count() == 0
        assert ReferrerSnapshot.objects.count() == 0
        assert PathSnapshot.objects.count() == 0
    assert client.get(f"/api/repos/{traffic_store.id}").status_code == 404
    again = client.post(f"/api/repos/{traffic_store.id}/delete")
    assert again.status_code == 400
    assert again.json()["code"] == "repository_not_followed"


@pytest.mark.parametrize("repository_id", ["nope", str(uuid.uuid4()), "1"])
def test_delete_of_an_unknown_repository_is_400(api_a, repository_id):
    response = api_a.post(f"/api/repos/{repository_id}/delete")

    assert response.status_code == 400
    assert response.json()["error"] == "You follow no such repository."
    assert response.json()["code"] == "repository_not_followed"


@pytest.mark.parametrize("repository_id", ["nope", str(uuid.uuid4())])
def test_detail_of_an_unknown_repository_is_404(api_a, repository_id):
    response = api_a.get(f"/api/repos/{repository_id}")

    assert response.status_code == 404
    assert response.json()["code"] == "repository_not_found"


# -- who may call -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/repos"),
        ("post", "/api/repos/create"),
        ("get", "/api/repos/{id}"),
        ("post", "/api/repos/{id}/delete"),
        ("post", "/api/repos/{id}/refresh"),
        ("put", "/api/traffic/github-token"),
    ],
)
def test_missing_or_wrong_token_is_refused(traffic_store, store_a, anon_client_a, method, path):
    path = path.format(id=traffic_store.id)
    body = {"url": STYLEGUIDE, "token": "x"}

    missing = getattr(anon_client_a, method)(path, body, format="json")
    wrong = getattr(api_client(store_host(store_a), token="0" * 32), method)(
        path, body, format="json"
    )

    assert missing.status_code == 401
    assert missing.json()["error"]
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "authentication_failed"
    assert repository_count(store_a) == 1
    with in_store(store_a):
        assert GithubCredential.objects.count() == 1
        assert GithubCredential.objects.get().updated_by_id == traffic_store.seller_id


def test_store_b_credentials_are_refused_on_store_a(
    traffic_store, store_a, store_b, seller_b, api_token_b
):
    for client in (
        api_client(store_host(store_a), token=api_token_b),
        api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"]),
    ):
        listed = client.get("/api/repos")
        detail = client.get(f"/api/repos/{traffic_store.id}")
        deleted = client.post(f"/api/repos/{traffic_store.id}/delete")
        refreshed = client.post(f"/api/repos/{traffic_store.id}/refresh")
        created = create(client, "https://github.com/acme/other")
        token = client.put("/api/traffic/github-token", {"token": "ghp_b"}, format="json")

        for response in (listed, detail, deleted, refreshed, created, token):
            assert response.status_code == 403
            assert response.json()["code"] == "permission_denied"
            assert "HackSoftware" not in response.content.decode()
    assert repository_count(store_a) == 1
    assert repository_count(store_b) == 0
    with in_store(store_a):
        assert GithubCredential.objects.get().updated_by_id == traffic_store.seller_id


def test_store_b_sees_only_its_own_repositories(traffic_store, store_b, api_token_b):
    client = api_client(store_host(store_b), token=api_token_b)

    assert client.get("/api/repos").json() == []
    assert client.get(f"/api/repos/{traffic_store.id}").status_code == 404


def test_another_member_of_the_store_cannot_touch_my_repositories(traffic_store, store_a, member_a):
    _, member_token = member_a
    client = api_client(store_host(store_a), token=member_token)

    assert client.get("/api/repos").json() == []
    assert client.get(f"/api/repos/{traffic_store.id}").status_code == 404
    assert client.post(f"/api/repos/{traffic_store.id}/delete").status_code == 400
    assert client.post(f"/api/repos/{traffic_store.id}/refresh").status_code == 404
    assert repository_count(store_a) == 1


# -- the store's GitHub token -------------------------------------------------------------


def test_members_set_the_github_token_and_it_is_never_returned(
    store_a, api_a, member_a, fake_github, django_capture_on_commit_callbacks
):
    _, member_token = member_a
    member_api = api_client(store_host(store_a), token=member_token)
    assert api_a.get("/api/traffic/github-token").json() == {
        "configured": False,
        "updated_at": None,
    }

    response = member_api.put("/api/traffic/github-token", {"token": GITHUB_TOKEN}, format="json")

    assert response.status_code == 200
    assert response.json()["configured"] is True
    assert set(response.json()) == {"configured", "updated_at"}
    fake_github.repository_add(
        "HackSoftware/Django-Styleguide", created=fake_github.clock.date(), token=GITHUB_TOKEN
    )
    with django_capture_on_commit_callbacks(execute=True):
        repository_id = create(api_a, STYLEGUIDE).json()["id"]
    answers = [
        response,
        api_a.get("/api/traffic/github-token"),
        api_a.get("/api/repos"),
        api_a.get(f"/api/repos/{repository_id}"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert GITHUB_TOKEN not in answer.content.decode()
    # and the token works: the first fetch used it
    assert len(api_a.get(f"/api/repos/{repository_id}").json()["traffic"]) == 1


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "   "}, {"token": "a b"}])
def test_an_empty_or_malformed_github_token_is_400(store_a, api_a, body):
    response = api_a.put("/api/traffic/github-token", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]
    with in_store(store_a):
        assert GithubCredential.objects.count() == 0


def test_the_github_token_can_be_removed(store_a, api_a):
    api_a.put("/api/traffic/github-token", {"token": GITHUB_TOKEN}, format="json")

    response = api_a.delete("/api/traffic/github-token")

    assert response.json() == {"configured": False, "updated_at": None}
    with in_store(store_a):
        assert GithubCredential.objects.count() == 0


def test_the_schema_describes_the_traffic_api():
    # Generated from this app's routes alone, so the test speaks only of the traffic API.
    schema = SchemaGenerator(patterns=traffic_urls.urlpatterns).get_schema(public=True)

    assert sorted(schema["paths"]) == [
        "/api/repos",
        "/api/repos/create",
        "/api/repos/{repository_id}",
        "/api/repos/{repository_id}/delete",
        "/api/repos/{repository_id}/refresh",
        "/api/traffic/github-token",
        "/api/traffic/share-tokens",
        "/api/traffic/share-tokens/{token_id}",
    ]
    create = schema["paths"]["/api/repos/create"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "RepositoryCreateApiInputRequest"
    )
    detail = schema["paths"]["/api/repos/{repository_id}"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("RepositoryTraffic")
    traffic = schema["components"]["schemas"]["RepositoryTraffic"]["properties"]
    assert sorted(traffic) == [
        "created_at", "id", "last_fetch", "paths", "referrers", "traffic", "url",
    ]  # fmt: skip

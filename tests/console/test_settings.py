"""Settings in the console: the store profile, the team, periodic jobs and API tokens. Owners
change them; staff see the profile read-only and their own API tokens, and get 403 elsewhere."""

import re

import pytest
from django.test import Client
from django_celery_beat.models import PeriodicTask

from shared_apps.accounts.models import ApiToken, Seller, StoreMembership
from shared_apps.accounts.services import api_token_create
from tenants.models import Store
from tests.support.console import console_client
from tests.support.stores import store_host


@pytest.fixture
def staff_a(store_a) -> Seller:
    seller = Seller.objects.create_user(mobile="+919800000071", name="Sita")
    StoreMembership.objects.create(store=store_a, seller=seller, role=StoreMembership.Role.STAFF)
    return seller


def text(response) -> str:
    return response.content.decode()


def digest_task(store) -> PeriodicTask:
    return PeriodicTask.objects.get(
        store_schedule__store=store, store_schedule__key="signup-digest"
    )


def test_the_profile_form_shows_the_store_and_saves_it(store_a):
    client = console_client(store_a)

    page = client.get("/console/settings/")
    saved = client.post(
        "/console/settings/",
        {"name": "Alpha Pickles", "address": "2 Mill Rd", "timezone": "Asia/Dubai"},
    )
    after = client.get("/console/settings/")

    assert page.status_code == 200
    assert 'value="Alpha"' in text(page)
    assert '<option value="Asia/Kolkata" selected>' in text(page)
    assert '<option value="INR" selected>INR · Indian rupee</option>' in text(page)
    assert (saved.status_code, saved["Location"]) == (302, "/console/settings/")
    store = Store.objects.get(pk=store_a.pk)
    assert (store.name, store.address, store.timezone) == (
        "Alpha Pickles",
        "2 Mill Rd",
        "Asia/Dubai",
    )
    assert "Store profile saved." in text(after)


def test_a_profile_without_a_name_says_so_and_changes_nothing(store_a):
    answer = console_client(store_a).post(
        "/console/settings/", {"name": "  ", "address": "x", "timezone": "Asia/Kolkata"}
    )

    assert answer.status_code == 400
    assert '<p class="field-error">Give your store a name.</p>' in text(answer)
    assert Store.objects.get(pk=store_a.pk).address == "1 alpha street"


def test_staff_see_the_profile_read_only_and_cannot_post_it(store_a, staff_a):
    client = console_client(store_a, seller=staff_a)

    page = client.get("/console/settings/")
    post = client.post(
        "/console/settings/", {"name": "Mine", "address": "", "timezone": "Asia/Kolkata"}
    )

    assert page.status_code == 200
    assert "Only the store's owners can change the profile." in text(page)
    assert (
        "<form" not in text(page).split('aria-labelledby="profile-title"')[1].split("</section>")[0]
    )
    nav = re.search(r'<nav aria-label="Settings sections".*?</nav>', text(page), re.S).group(0)
    assert re.findall(r">([^<]+)</a>", nav) == ["Store profile", "API tokens"]
    assert post.status_code == 403
    assert Store.objects.get(pk=store_a.pk).name == "Alpha"


def test_owners_see_every_settings_page_in_the_section_menu(store_a):
    page = console_client(store_a).get("/console/settings/team/")

    nav = re.search(r'<nav aria-label="Settings sections".*?</nav>', text(page), re.S).group(0)
    assert re.findall(r">([^<]+)</a>", nav) == [
        "Store profile", "Team", "Periodic jobs", "Ingestion tokens", "API tokens",
    ]  # fmt: skip
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == ["Team"]


def test_the_owner_invites_by_mobile_and_sees_the_team(store_a):
    client = console_client(store_a)

    invited = client.post(
        "/console/settings/team/invite", {"mobile": "98765 43210", "role": "staff"}
    )
    page = client.get("/console/settings/team/")

    assert (invited.status_code, invited["Location"]) == (302, "/console/settings/team/")
    seller = Seller.objects.get(mobile="+919876543210")
    assert StoreMembership.objects.get(store=store_a, seller=seller).role == "staff"
    assert "+919876543210 added as staff: they sign in with a code sent to that number." in text(
        page
    )
    rows = re.findall(r'<td data-label="Mobile">([^<]+)</td>', text(page))
    assert rows == ["+919800000001", "+919876543210"]


def test_a_bad_mobile_is_shown_next_to_the_field_and_adds_nobody(store_a):
    answer = console_client(store_a).post(
        "/console/settings/team/invite", {"mobile": "12345", "role": "staff"}
    )

    assert answer.status_code == 400
    assert (
        '<p class="field-error">Enter a mobile number, like 98765 43210 or +919876543210.</p>'
        in text(answer)
    )
    assert StoreMembership.objects.filter(store=store_a).count() == 1


def test_the_last_owner_cannot_be_demoted_or_removed_from_the_page(store_a, seller_a):
    client = console_client(store_a)
    own = StoreMembership.objects.get(store=store_a, seller=seller_a)

    demote = client.post(f"/console/settings/team/{own.pk}/role", {f"m{own.pk}-role": "staff"})
    remove = client.post(f"/console/settings/team/{own.pk}/remove")
    page = client.get("/console/settings/team/")

    assert demote.status_code == remove.status_code == 302
    assert StoreMembership.objects.get(pk=own.pk).role == "owner"
    assert text(page).count("is the store&#x27;s only owner") == 2


def test_the_owner_changes_a_role_and_removes_a_member(store_a, staff_a):
    client = console_client(store_a)
    staff = StoreMembership.objects.get(store=store_a, seller=staff_a)

    client.post(f"/console/settings/team/{staff.pk}/role", {f"m{staff.pk}-role": "owner"})
    promoted = StoreMembership.objects.get(pk=staff.pk).role
    client.post(f"/console/settings/team/{staff.pk}/remove")

    assert promoted == "owner"
    assert not StoreMembership.objects.filter(pk=staff.pk).exists()


def test_staff_cannot_open_team_jobs_or_ingestion_tokens(store_a, staff_a, seller_a):
    client = console_client(store_a, seller=staff_a)
    own = StoreMembership.objects.get(store=store_a, seller=seller_a)

    answers = [
        client.get("/console/settings/team/"),
        client.post("/console/settings/team/invite", {"mobile": "+919876543219", "role": "owner"}),
        client.post(f"/console/settings/team/{own.pk}/remove"),
        client.get("/console/settings/jobs/"),
        client.get("/console/settings/jobs/signup-digest/"),
        client.get("/console/settings/ingestion-tokens/"),
        client.post("/console/settings/ingestion-tokens/", {"name": "mine"}),
    ]

    assert [answer.status_code for answer in answers] == [403] * 7
    assert StoreMembership.objects.filter(store=store_a).count() == 2
    assert not Seller.objects.filter(mobile="+919876543219").exists()


def test_jobs_are_listed_in_words(store_a):
    page = console_client(store_a).get("/console/settings/jobs/")

    when = dict(re.findall(r'data-job="([^"]+)">.*?class="job-when">([^<]+)<', text(page), re.S))
    assert when["signup-digest"] == "Mondays and Wednesdays at 08:00 UTC"
    assert when["conversation-mail-dispatch"] == "Every hour at :00"
    assert when["traffic-fetch"] == "Every day at 03:15 UTC"


def test_a_job_is_edited_with_minute_hour_and_days(store_a):
    client = console_client(store_a)

    form = client.get("/console/settings/jobs/signup-digest/")
    saved = client.post(
        "/console/settings/jobs/signup-digest/",
        {"enabled": "on", "minute": "30", "hour": "", "days": ["1", "6"]},
    )
    after = client.get("/console/settings/jobs/")

    assert form.status_code == 200
    assert 'value="1" id="id_days_0" checked' in text(form)
    assert (saved.status_code, saved["Location"]) == (302, "/console/settings/jobs/")
    task = digest_task(store_a)
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "*", "1,6")
    assert "new signups): Mondays and Saturdays, every hour at :30, on." in text(after)


def test_a_bad_minute_is_explained_and_the_job_is_unchanged(store_a):
    answer = console_client(store_a).post(
        "/console/settings/jobs/signup-digest/", {"minute": "75", "hour": "8", "days": ["1"]}
    )

    assert answer.status_code == 400
    assert '<p class="field-error">The minute is a whole number from 0 to 59.</p>' in text(answer)
    task = digest_task(store_a)
    assert (task.enabled, task.crontab.minute, task.crontab.day_of_week) == (True, "0", "1,3")


def test_switching_a_job_off(store_a):
    console_client(store_a).post(
        "/console/settings/jobs/traffic-fetch/", {"minute": "15", "hour": "3"}
    )

    task = PeriodicTask.objects.get(
        store_schedule__store=store_a, store_schedule__key="traffic-fetch"
    )
    assert task.enabled is False


def test_an_unknown_job_is_not_found(store_a):
    assert console_client(store_a).get("/console/settings/jobs/nope/").status_code == 404


def test_api_tokens_are_created_shown_once_and_revoked(store_a, seller_a):
    client = console_client(store_a)

    created = client.post("/console/settings/api-tokens/", {"name": "ci"})
    first = client.get("/console/settings/api-tokens/")
    second = client.get("/console/settings/api-tokens/")
    token = ApiToken.objects.get(seller=seller_a, name="ci")
    key = re.search(r'id="new-key-value" class="key-value" value="([^"]+)"', text(first)).group(1)

    assert created.status_code == 302
    assert ApiToken.lookup(key).pk == token.pk
    assert key not in text(second)
    assert f"<code>{token.key_prefix}…</code>" in text(second)

    revoked = client.post(f"/console/settings/api-tokens/{token.pk}/revoke")
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_staff_manage_their_own_api_tokens_only(store_a, staff_a, seller_a):
    owners, _ = api_token_create(seller=seller_a, name="owner's")
    client = console_client(store_a, seller=staff_a)

    page = client.get("/console/settings/api-tokens/")
    created = client.post("/console/settings/api-tokens/", {"name": "staff ci"})
    revoke_owners = client.post(f"/console/settings/api-tokens/{owners.pk}/revoke")

    assert page.status_code == 200
    assert "owner&#x27;s" not in text(page)
    assert created.status_code == 302
    assert ApiToken.objects.filter(seller=staff_a, name="staff ci").count() == 1
    assert revoke_owners.status_code == 302
    assert ApiToken.objects.filter(pk=owners.pk).exists()


def test_a_token_without_a_name_is_refused(store_a, seller_a):
    answer = console_client(store_a).post("/console/settings/api-tokens/", {"name": ""})

    assert answer.status_code == 400
    assert '<p class="field-error">Give the key a name.</p>' in text(answer)
    assert not ApiToken.objects.filter(seller=seller_a).exists()


def test_anonymous_go_to_login_and_other_stores_sellers_are_refused(store_a, store_b):
    anonymous = Client(HTTP_HOST=store_host(store_a)).get("/console/settings/team/")
    stranger = console_client(store_a, seller=store_b.owner)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/login?next=%2Fconsole%2Fsettings%2Fteam%2F"
    assert stranger.get("/console/settings/").status_code == 403
    assert stranger.post("/console/settings/api-tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.filter(seller=store_b.owner).exists()

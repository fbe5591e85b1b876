"""The console's frame: the menu every page carries, members only, the platform hand-off."""

import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from saas.access.handoff import handoff_url
from saas.console.templatetags import money
from tests.support.console import console_client
from tests.support.stores import store_host

MENU = [
    "Overview",
    "Products",
    "Orders",
    "Customers",
    "Signups",
    "Conversations",
    "Analytics",
    "Traffic",
    "Settings",
]


def menu_of(html: str) -> tuple[list[str], list[str]]:
    nav = re.search(r'<nav aria-label="Console".*?</nav>', html, re.S).group(0)
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)
    return labels, current


def test_every_console_page_has_the_menu_in_order_with_its_section_current(store_a):
    client = console_client(store_a)

    overview = client.get("/console/")
    settings_page = client.get("/console/settings/")

    assert overview.status_code == 200
    assert menu_of(overview.content.decode()) == (MENU, ["Overview"])
    assert menu_of(settings_page.content.decode()) == (MENU, ["Settings"])


def test_anonymous_visitors_go_to_sign_in_and_other_stores_sellers_are_refused(store_a, store_b):
    anonymous = Client(HTTP_HOST=store_host(store_a)).get("/console/")
    stranger = console_client(store_a, seller=store_b.owner).get("/console/")

    assert (anonymous.status_code, anonymous["Location"]) == (302, "/login?next=%2Fconsole%2F")
    assert stranger.status_code == 403


def test_a_handoff_link_signs_the_seller_in_once(store_a):
    url = handoff_url(seller=store_a.owner, store=store_a, next_path="/console/settings/")
    path = url.split(f"{store_host(store_a)}:8000", 1)[1]
    browser = Client(HTTP_HOST=store_host(store_a))

    first = browser.get(path)
    signed_in = browser.get("/console/")
    replayed = Client(HTTP_HOST=store_host(store_a)).get(path)

    assert url.startswith(f"http://{store_host(store_a)}:8000/console/handoff?token=")
    assert (first.status_code, first["Location"]) == (302, "/console/settings/")
    assert signed_in.status_code == 200
    assert replayed.status_code == 400
    assert "This sign-in link has expired" in replayed.content.decode()


def test_a_handoff_for_one_store_opens_no_other(store_a, store_b):
    url = handoff_url(seller=store_a.owner, store=store_a)
    token = parse_qs(urlsplit(url).query)["token"][0]

    elsewhere = Client(HTTP_HOST=store_host(store_b)).get("/console/handoff", {"token": token})
    altered = Client(HTTP_HOST=store_host(store_a)).get("/console/handoff", {"token": token[:-1]})

    assert elsewhere.status_code == 400
    assert altered.status_code == 400


def test_a_handoff_never_sends_the_browser_to_another_site(store_a):
    url = handoff_url(seller=store_a.owner, store=store_a, next_path="//evil.example/")
    path = url.split(":8000", 1)[1]

    answer = Client(HTTP_HOST=store_host(store_a)).get(path)

    assert answer["Location"] == "/console/"


def test_money_shows_its_currency_and_groups_rupees_in_lakhs():
    assert money("1234567.5") == "₹12,34,567.50"
    assert money("0") == "₹0.00"
    assert money("-3.456", "USD") == "\u2212$3.46"
    assert money("999", "AED") == "AED 999.00"
    assert money("not a number") == ""

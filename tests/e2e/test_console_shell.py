"""The console's frame in a real browser: the hand-off signs in, the Overview fits both widths."""

import pytest

from tests.support.browser import live_url
from tests.support.pages import audit_passes, console_sign_in, page_audit
from tests.support.stores import store_host

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_the_overview_after_a_handoff_fits_a_phone_and_passes_axe(make_store, live_server, page):
    store = make_store("Console shop")

    console_sign_in(page, live_server, store)
    landed = page.url
    findings = page_audit(page, live_url(live_server, store_host(store), "/console/"), "overview")

    assert landed == live_url(live_server, store_host(store), "/console/")
    assert page.get_by_role("navigation", name="Console").get_by_role("link").count() == 9
    assert audit_passes(findings) == {}

"""The Settings section's own menu: the platform's pages, then the tools' settings pages.

Staff see only the pages they may open (the profile, read-only, and their own API tokens);
every other settings page is the owners'.
"""

from django.shortcuts import render
from django.urls import reverse

from saas.access.membership import request_membership
from saas.console.nav import NavLink
from saas.tools import ConsoleEntry, console_settings_entries
from shared_apps.accounts.models import StoreMembership

# (entry, open to staff)
PLATFORM_PAGES = (
    (ConsoleEntry(label="Store profile", url_name="console-settings", order=10), True),
    (ConsoleEntry(label="Team", url_name="console-settings-team", order=20), False),
    (ConsoleEntry(label="Periodic jobs", url_name="console-settings-jobs", order=30), False),
    (ConsoleEntry(label="API tokens", url_name="console-settings-api-tokens", order=90), True),
)


def request_is_owner(request) -> bool:
    membership = request_membership(request)
    return membership is not None and membership.role == StoreMembership.Role.OWNER


def settings_links(request) -> list[NavLink]:
    owner = request_is_owner(request)
    entries = [entry for entry, staff_too in PLATFORM_PAGES if owner or staff_too]
    if owner:
        entries += console_settings_entries()
    links = []
    for entry in sorted(entries, key=lambda entry: entry.order):
        url = reverse(entry.url_name)
        links.append(NavLink(label=entry.label, url=url, current=request.path == url))
    return links


def settings_render(request, template: str, context: dict, status: int = 200):
    """A Settings page: `template` extends console/settings/_layout.html (the section menu)."""
    context = {"is_owner": request_is_owner(request), "settings_links": settings_links(request),
               **context}  # fmt: skip
    return render(request, template, context, status=status)


NEW_KEY_SESSION = "console_new_key"


def key_show_once(request, *, name: str, key: str) -> None:
    """A new key for the next page only: after the redirect it is shown once, then gone."""
    request.session[NEW_KEY_SESSION] = {"name": name, "key": key}


def key_shown(request) -> dict | None:
    return request.session.pop(NEW_KEY_SESSION, None)

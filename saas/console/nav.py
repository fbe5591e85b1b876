"""The console menu: Overview, the tools' sections in their order, Settings."""

from dataclasses import dataclass

from django.urls import reverse

from saas.tools import ConsoleEntry, console_entries

OVERVIEW = ConsoleEntry(label="Overview", url_name="console-overview", order=10)
SETTINGS = ConsoleEntry(label="Settings", url_name="console-settings", order=90)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def menu_entries() -> list[ConsoleEntry]:
    return sorted([OVERVIEW, *console_entries(), SETTINGS], key=lambda entry: entry.order)


def console_menu(path: str) -> list[NavLink]:
    """The menu for a page at `path`; the section holding it is the current one.

    A section owns every path under its own URL (an order page is inside Orders); Overview
    (/console/) owns only itself, or it would hold every page.
    """
    links = []
    for entry in menu_entries():
        url = reverse(entry.url_name)
        current = path == url if entry is OVERVIEW else path.startswith(url)
        links.append(NavLink(label=entry.label, url=url, current=current))
    return links

"""The tool registry: what each tool declares to the platform, and the loops over it.

A tool is a Django app whose `AppConfig` subclasses `ToolConfig`. It declares its periodic
jobs, its store-setup step, its URLs on store hosts (and on the platform host, if any) and its
console entry. The platform (provisioning, URLconfs, the console) only loops over
`registered_tools()` and names no tool; adding a tool is a new app plus one line in
`TENANT_APPS`. See docs/architecture.md, "Adding a tool".
"""

from dataclasses import dataclass

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class Schedule:
    """A periodic job every store gets, as a django-celery-beat crontab (UTC).

    `key` is stable (the store admin and tests look schedules up by it); `task` is the
    registered Celery task name, which live PeriodicTask rows hold, so it never changes.
    """

    key: str
    title: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"


@dataclass(frozen=True)
class ConsoleEntry:
    """A section of the seller console: its label, URL name and place in the menu.

    The menu order the product promises (Overview 10, Products 20, Orders 30, Customers 40,
    Signups 50, Conversations 60, Analytics 70, Traffic 80, Settings 90) is held by
    tests/saas/test_tools.py; a new tool picks a number in between.
    """

    label: str
    url_name: str
    order: int


@dataclass(frozen=True)
class OverviewCard:
    """One figure on the console's Overview, linking to the section it comes from."""

    title: str
    value: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class ChecklistStep:
    """One step of a new store's checklist on the Overview, shown until `done`."""

    label: str
    url: str
    done: bool


class ToolConfig(AppConfig):
    """Base `AppConfig` of every tool; the attributes are the tool's declaration."""

    schedules: tuple[Schedule, ...] = ()
    # Dotted path of the URLconf mounted at "/" on every store host.
    store_urls: str | None = None
    # Dotted path of a URLconf mounted at "/" on the platform host (the widget script, say).
    platform_urls: str | None = None
    # The tool's sections of the seller console, and the URLconf of their pages, mounted at
    # /console/ on every store host.
    console: tuple[ConsoleEntry, ...] = ()
    console_urls: str | None = None
    # The tool's pages under the console's Settings (/console/settings/<...>, in its
    # console_urls): store-level settings, for the store's owners.
    console_settings: tuple[ConsoleEntry, ...] = ()

    def store_setup(self, store) -> None:
        """Defaults a new store needs; runs inside the new store's schema. None by default."""

    def demo_fill(self, store) -> None:
        """Fill the demo store (`make run`) with real-looking data; idempotent. Runs inside
        the store's schema, in INSTALLED_APPS order (products before the orders of them)."""

    def console_overview(self, request) -> list[OverviewCard]:
        """The tool's figures on the console's Overview (inside the store's schema)."""
        return []

    def console_checklist(self, request) -> list[ChecklistStep]:
        """The tool's steps of a new store's checklist on the Overview."""
        return []


def registered_tools() -> list[ToolConfig]:
    """Installed tools, in the order of INSTALLED_APPS."""
    return [config for config in apps.get_app_configs() if isinstance(config, ToolConfig)]


def store_default_schedules() -> list[Schedule]:
    return [schedule for tool in registered_tools() for schedule in tool.schedules]


def console_entries() -> list[ConsoleEntry]:
    """The tools' console sections, in menu order (the console adds Overview and Settings)."""
    entries = [entry for tool in registered_tools() for entry in tool.console]
    return sorted(entries, key=lambda entry: entry.order)


def console_settings_entries() -> list[ConsoleEntry]:
    """The tools' pages inside the console's Settings, in their order."""
    entries = [entry for tool in registered_tools() for entry in tool.console_settings]
    return sorted(entries, key=lambda entry: entry.order)

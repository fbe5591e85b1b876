"""One person across the store's tools: a buyer (by mobile), the conversation clients with that
mobile, and the widget signups with those clients' e-mail addresses.

Read through the signups and conversations tools' selectors (a tool may read another's
selectors: docs/architecture.md), so their rules on what a client or a signup is stay theirs.
"""

from dataclasses import dataclass, field

from tenant_apps.conversations.selectors import clients_by_contacts
from tenant_apps.signups.selectors import signups_by_emails

from .models import Customer


@dataclass
class PersonLinks:
    clients: list = field(default_factory=list)
    signups: list = field(default_factory=list)

    @property
    def emails(self) -> list[str]:
        return sorted({client.email.lower() for client in self.clients})

    @property
    def name(self) -> str:
        return next((client.name for client in self.clients if client.name), "")


def customer_people(customers: list[Customer]) -> dict[int, PersonLinks]:
    """Each buyer's conversation clients (same mobile) and signups (same e-mail), by buyer id.

    Two queries for the whole page, whatever its length.
    """
    by_mobile: dict[str, list[int]] = {}
    for customer in customers:
        by_mobile.setdefault(customer.mobile, []).append(customer.pk)
    people = {customer.pk: PersonLinks() for customer in customers}
    by_email: dict[str, list[int]] = {}
    for client in clients_by_contacts(mobiles=list(by_mobile)):
        for customer_id in by_mobile.get(client.mobile, []):
            people[customer_id].clients.append(client)
            by_email.setdefault(client.email.lower(), []).append(customer_id)
    if by_email:
        for signup in signups_by_emails(list(by_email)):
            for customer_id in by_email[signup.email.lower()]:
                people[customer_id].signups.append(signup)
    return people

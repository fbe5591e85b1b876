"""Template context of console pages: the menu, the caller's role, the store's currency."""

from saas.access.membership import request_membership

from .nav import console_menu


def console(request) -> dict:
    if not request.path.startswith("/console/"):
        return {}
    membership = request_membership(request)
    if membership is None:
        return {}
    return {
        "console_menu": console_menu(request.path),
        "console_role": membership.role,
        # For `{{ amount|money:store_currency }}`: every amount shows the store's currency.
        "store_currency": getattr(request.tenant, "currency", "INR"),
    }

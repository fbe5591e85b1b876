"""Template context of console pages: the menu and the caller's role."""

from saas.access.membership import request_membership

from .nav import console_menu


def console(request) -> dict:
    if not request.path.startswith("/console/"):
        return {}
    membership = request_membership(request)
    if membership is None:
        return {}
    return {"console_menu": console_menu(request.path), "console_role": membership.role}

"""Every error code the product answers has exactly one HTTP status, wherever it is raised."""

from collections import defaultdict
from importlib import import_module

from saas.api.errors import ApplicationError, ErrorCode
from saas.tools import registered_tools

PLATFORM_ERROR_MODULES = ("shared_apps.accounts.errors", "tenants.errors")


def _error_enums() -> list[type[ErrorCode]]:
    modules = [*PLATFORM_ERROR_MODULES, *(f"{tool.name}.errors" for tool in registered_tools())]
    enums = []
    for name in modules:
        module = import_module(name)
        enums += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, ErrorCode) and value is not ErrorCode
        ]
    return enums


def test_every_tool_declares_its_error_codes():
    declared = {enum.__module__ for enum in _error_enums()}

    assert declared == {
        *PLATFORM_ERROR_MODULES,
        *(f"{tool.name}.errors" for tool in registered_tools()),
    }


def test_no_code_answers_two_statuses():
    statuses = defaultdict(set)
    for enum in _error_enums():
        for member in enum:
            statuses[member.code].add(member.status_code)

    assert {code: found for code, found in statuses.items() if len(found) > 1} == {}


def test_an_error_raised_with_a_member_takes_its_code_and_status():
    class SampleErrorCode(ErrorCode):
        GONE = ("gone", 410)

    error = ApplicationError("It is gone.", code=SampleErrorCode.GONE)

    assert (error.code, error.status_code, error.message) == ("gone", 410, "It is gone.")

"""requirements.lock pins what `make install` puts in .venv: every range of pyproject.toml holds
its pinned version, and the interpreter running the tests has exactly the pinned versions."""

import tomllib
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.live import ROOT


def locked() -> dict[str, Requirement]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith(("#", " ")):
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = requirement
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]] + [
        Requirement(line) for line in project["optional-dependencies"]["test"]
    ]


def pinned_version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==", requirement
    return specifier.version


def test_every_declared_requirement_is_pinned_inside_its_range():
    pins = locked()
    missing, outside = [], {}
    for requirement in declared():
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            missing.append(str(requirement))
        elif not requirement.specifier.contains(pinned_version(pin), prereleases=True):
            outside[str(requirement)] = pinned_version(pin)

    assert missing == [], "not in requirements.lock: run `make lock`"
    assert outside == {}, "pinned outside pyproject.toml's range: run `make lock`"


def test_the_installed_versions_are_the_pinned_ones():
    differing = {}
    for name, requirement in locked().items():
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned_version(requirement):
            differing[name] = (pinned_version(requirement), installed)

    assert differing == {}, "(pinned, installed): run `make install`"

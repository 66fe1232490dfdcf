"""The repository's habits hold: locked dependencies, lint before the tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in [*project["dependencies"], *extras["dev"], *extras["bench"]]]


def test_constraints_pin_every_dependency_within_its_range():
    # Fails when a dependency is added or its range changed without `bash scripts/lock.sh`.
    pins = _pins()
    problems = []
    for req in _requirements():
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name}: not in constraints.txt")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}: constraints.txt has {version}, needs {req.specifier}")
    assert problems == []


def test_lint_tools_are_pinned_exactly():
    dev = {canonicalize_name(r.name): r for r in _requirements()}
    for tool in ("ruff", "mypy"):
        (spec,) = dev[tool].specifier
        assert spec.operator == "==", tool
        assert _pins()[tool] == spec.version


def test_the_test_command_lints_first():
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "bash scripts/lint.sh" in script
    assert script.index("bash scripts/lint.sh") < script.index(".venv/bin/pytest")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
    lint = (ROOT / "scripts" / "lint.sh").read_text()
    for step in ("ruff check", "ruff format --check", "mypy --strict app"):
        assert step in lint


# docs/contributing.md, "Limits that every change keeps": the catalogs are one table of codes
# and labels; everything else is split by what it does before it grows past this.
MAX_LINES = 400
EXEMPT = {"app/catalogs.py"}


def test_no_module_of_app_outgrows_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "app").rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > MAX_LINES
        and str(path.relative_to(ROOT)) not in EXEMPT
    }
    assert too_long == {}

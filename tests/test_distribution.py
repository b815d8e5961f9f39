"""The distribution's name and entry points: `etk` on PyPI is an unrelated project, so etk is
published as element-template-kit, with the command `etk` and the import package `generator`.
(.ci/run builds the wheel and sdist and runs the installed wheel in a fresh venv.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

import generator

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_is_element_template_kit_with_the_etk_command() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == "element-template-kit"
    assert project["scripts"] == {"etk": "generator.cli:main"}
    assert project["entry-points"]["pytest11"] == {"etk": "generator.testing.pytest_plugin"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["generator"]


def test_the_version_has_one_source() -> None:
    assert PYPROJECT["project"]["dynamic"] == ["version"] and "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["hatch"]["version"] == {"path": "generator/__init__.py"}
    assert generator.__version__.count(".") == 2

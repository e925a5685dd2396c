"""pyproject.toml is the one dependency list: the conda environments must name the same packages."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENTS = [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"]
# conda-forge names that differ from the PyPI name (PyPI name -> conda name); none do today
CONDA_NAMES: dict[str, str] = {}
# conda-only entries that are not Python dependencies of the package
CONDA_ONLY = {"python", "pip"}


def normalize(name: str) -> str:
    """PEP 503 normalisation: case-insensitive, runs of '-', '_' and '.' are one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split(requirement: str) -> tuple[str, str]:
    """('pandas', '>=2.2') from 'pandas>=2.2'; extras and markers are not used in this project."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$", requirement)
    assert match, f"cannot read the requirement {requirement!r}"
    return normalize(match.group(1)), match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        listed += extra
    out = {}
    for requirement in listed:
        name, spec = split(requirement)
        out[normalize(CONDA_NAMES.get(name, name))] = spec
    return out


def conda_requirements(path: Path) -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep.get("pip", [])
            continue
        name, spec = split(str(dep))
        if name not in CONDA_ONLY:
            conda[name] = spec
    return conda, pip


@pytest.mark.parametrize("path", ENVIRONMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_names_the_same_packages_as_pyproject(path):
    conda, _ = conda_requirements(path)
    wanted = pyproject_requirements()
    missing = sorted(set(wanted) - set(conda))
    extra = sorted(set(conda) - set(wanted))
    assert not missing and not extra, (
        f"{path.name} and pyproject.toml disagree: missing from {path.name}: {missing}; "
        f"not in pyproject.toml: {extra}"
    )


@pytest.mark.parametrize("path", ENVIRONMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_has_the_same_minimum_versions(path):
    conda, _ = conda_requirements(path)
    wanted = pyproject_requirements()
    differ = {n: (conda[n], wanted[n]) for n in wanted if n in conda and conda[n] != wanted[n]}
    assert differ == {}, f"version bounds differ ({path.name}, pyproject.toml): {differ}"


@pytest.mark.parametrize("path", ENVIRONMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_uses_conda_forge_and_python_3_11(path):
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_conda_environment_installs_the_package_and_binder_does_after_copying():
    _, pip = conda_requirements(ENVIRONMENTS[0])
    assert pip == ["-e ."]
    _, binder_pip = conda_requirements(ENVIRONMENTS[1])
    assert binder_pip == []  # Binder builds the environment before the repository is there
    post = ROOT / "binder" / "postBuild"
    assert "pip install --no-deps -e ." in post.read_text(encoding="utf-8")
    assert os.access(post, os.X_OK)


def test_normalize_and_split():
    assert split("PyYAML>=6.0") == ("pyyaml", ">=6.0")
    assert split("pre_commit >= 3.7") == ("pre-commit", ">=3.7")
    assert normalize("Zope.Interface") == "zope-interface"


def test_pre_commit_hooks_are_pinned():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {}
    for repo in config["repos"]:
        assert re.fullmatch(r"v?\d+(\.\d+)+", str(repo["rev"])), f"{repo['repo']} is not pinned to a release"
        for hook in repo["hooks"]:
            hooks[hook["id"]] = repo["repo"]
    assert hooks["ruff-check"].endswith("astral-sh/ruff-pre-commit")
    assert hooks["nbstripout"].endswith("kynan/nbstripout")

"""`pip install .` installs one package, glemsel, and every subpackage of it: the package list
in pyproject.toml is explicit (package-dir maps the top-level folders), so a new folder
that is not listed would be missing from a real install while an editable one still works."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_is_installed_under_glemsel():
    config = _setuptools()
    folders = {}
    for package, folder in config["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            folders[".".join([package, *rel])] = init.parent
    assert sorted(folders) == sorted(config["packages"])


def test_glemsel_is_the_only_top_level_package():
    config = _setuptools()
    assert {p.split(".")[0] for p in config["packages"]} == {"glemsel"}


def test_the_detectors_data_is_shipped():
    data = _setuptools()["package-data"]["glemsel.detectors"]
    shipped = {p.name for pattern in data for p in (ROOT / "detectors").glob(pattern)}
    assert {p.name for p in (ROOT / "detectors" / "data").iterdir()} <= shipped

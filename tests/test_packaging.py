"""The built wheel ships ontology, shapes, queries and seeds, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = target.glob("graphkg-*.whl")
    return built


def test_wheel_ships_ontology_shapes_queries_and_seeds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        *(f"graphkg/_data/ontology/{p.name}" for p in (ROOT / "ontology").glob("*.ttl")),
        *(f"graphkg/_data/shapes/{p.name}" for p in (ROOT / "shapes").glob("*.ttl")),
        *(f"graphkg/_data/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")),
        *(
            f"graphkg/_data/seeds/{p.relative_to(ROOT / 'seeds')}"
            for p in (ROOT / "seeds").rglob("*")
            if p.is_file()
        ),
    ]
    assert [name for name in expected if name not in names] == []


def test_installed_package_builds_the_store_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "graphkg", "--store", "store", "build"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import graphkg.resources as r; print(r.resource_dir('shapes'))"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == str(unpacked / "graphkg" / "_data" / "shapes")

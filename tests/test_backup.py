"""`graphkg backup` and `graphkg restore-backup` round-trip the whole store, history
included, on both backends; a damaged or foreign backup is refused and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkg.search import open_for_reading, search_expression
from graphkg.settings import Settings
from graphkg.store import latest_checkpoint

from conftest import ARTICLE_ID, BASE, facts


def dump(graphkg_cli, store: Path | str) -> list[str]:
    result = graphkg_cli("--store", store, "export", "--format", "nquads")
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.splitlines())


def history(graphkg_cli, store: Path | str, env: dict[str, str]) -> list[dict]:
    result = graphkg_cli("--store", store, "history", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_backup_restores_the_store_and_its_history(
    graphkg_cli, seed_store: Path | str, tmp_path: Path
) -> None:
    env = {"GRAPHKG_HISTORY": str(tmp_path / "history")}
    article = tmp_path / "kept" / "facts.yaml"
    article.parent.mkdir()
    article.write_text(facts("kept-weber"), encoding="utf-8")
    assert graphkg_cli("--store", seed_store, "add", article, env=env).returncode == 0
    before, changes = dump(graphkg_cli, seed_store), history(graphkg_cli, seed_store, env)
    folder = tmp_path / "backup"
    made = graphkg_cli("--store", seed_store, "backup", folder, env=env)
    assert made.returncode == 0, made.stderr
    assert "1 changes of history" in made.stdout
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["quads"] == sum(1 for line in before if line)
    # Then the store changes, and the backup puts it back.
    assert graphkg_cli("--store", seed_store, "remove", ARTICLE_ID, env=env).returncode == 0
    assert dump(graphkg_cli, seed_store) != before
    restored = graphkg_cli("--store", seed_store, "restore-backup", folder, env=env)
    assert restored.returncode == 0, restored.stderr
    assert dump(graphkg_cli, seed_store) == before
    after = history(graphkg_cli, seed_store, env)
    assert after[1:] == changes
    assert after[0]["action"].startswith("restore of the backup made")
    check = graphkg_cli("--store", seed_store, "check")
    assert check.returncode == 0, check.stdout
    # The restored store's search index is made with it: the restored article is found.
    settings = Settings(store=seed_store, base=BASE, history=tmp_path / "history")  # type: ignore[arg-type]
    version = latest_checkpoint(seed_store).name if isinstance(seed_store, Path) else ""  # type: ignore[union-attr]
    index = open_for_reading(settings, version)
    try:
        assert "Anna Weber" in [hit.label for hit in index.search(search_expression("Weber") or "")]
    finally:
        index.close()


def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(
    graphkg_cli, seed_store: Path | str, tmp_path: Path
) -> None:
    env = {"GRAPHKG_HISTORY": str(tmp_path / "history")}
    folder = tmp_path / "backup"
    assert graphkg_cli("--store", seed_store, "backup", folder, env=env).returncode == 0
    before = dump(graphkg_cli, seed_store)
    with (folder / "store.nq").open("a") as data:
        data.write("<urn:x> <urn:y> <urn:z> <urn:g> .\n")
    damaged = graphkg_cli("--store", seed_store, "restore-backup", folder, env=env)
    assert damaged.returncode == 1 and "damaged" in damaged.stderr
    foreign = graphkg_cli(
        "--store", seed_store, "--base", "https://example.org/kg/", "restore-backup", folder
    )
    assert foreign.returncode == 1 and "--base https://w3id.org/graphkg/" in foreign.stderr
    nothing = graphkg_cli("--store", seed_store, "restore-backup", tmp_path, env=env)
    assert nothing.returncode == 1 and "not a graphkg backup" in nothing.stderr
    again = graphkg_cli("--store", seed_store, "backup", folder, env=env)
    assert again.returncode == 1 and "not empty" in again.stderr
    assert dump(graphkg_cli, seed_store) == before


@pytest.mark.parametrize("unwritable", ["store", "history"])
def test_an_unwritable_location_gives_a_clear_error(
    graphkg_cli, tmp_path: Path, unwritable: str
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    article = tmp_path / "a" / "facts.yaml"
    article.parent.mkdir()
    article.write_text(facts("blocked-weber"), encoding="utf-8")
    store = blocked / "store" if unwritable == "store" else tmp_path / "store"
    env = {"GRAPHKG_HISTORY": str(blocked / "history")} if unwritable == "history" else {}
    result = graphkg_cli("--store", store, "add", article, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(blocked) in result.stderr

"""A named query's ``iri`` parameter takes an entity's id, a CURIE or a full IRI, over HTTP
and on the command line, on both store backends; an id that matches nothing is a clear
error naming the closest ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from flask.testing import FlaskClient

from conftest import BASE

OFFICIALS = f"{BASE}id/organization/azerbaijani-officials"


def rows(client: FlaskClient, name: str, **params: str) -> list[dict[str, str]]:
    answer = client.get(f"/queries/{name}.json", query_string=params)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    bindings = answer.get_json()["results"]["bindings"]
    return [{key: value["value"] for key, value in row.items()} for row in bindings]


@pytest.mark.parametrize("actor", ["azerbaijani-officials", OFFICIALS])
def test_an_iri_parameter_takes_an_entity_id_or_an_iri(client: FlaskClient, actor: str) -> None:
    found = rows(client, "responses", actor=actor)
    assert found and {row["actor"] for row in found} == {OFFICIALS}


def test_an_iri_parameter_takes_a_curie(client: FlaskClient) -> None:
    by_curie = rows(client, "claims-by-speaker", status="cs:alleges")
    by_iri = rows(client, "claims-by-speaker", status=f"{BASE}claim-status/alleges")
    assert by_curie and by_curie == by_iri
    assert len(by_curie) < len(rows(client, "claims-by-speaker"))


def test_an_unknown_id_is_400_naming_the_closest_ids(client: FlaskClient) -> None:
    answer = client.get(
        "/queries/responses.json",
        query_string={"actor": "azerbaijani-oficials"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert "azerbaijani-oficials" in error and "azerbaijani-officials" in error
    page = client.get("/queries/responses", query_string={"actor": "azerbaijani-oficials"})
    assert page.status_code == 400 and "azerbaijani-officials" in page.get_data(as_text=True)


def test_the_command_line_takes_an_id_too(
    graphkg_cli: Callable[..., CompletedProcess[str]], built_store_dir: Path
) -> None:
    found = graphkg_cli(
        "--store", str(built_store_dir), "query", "responses",
        "--param", "actor=azerbaijani-officials", "--format", "csv",
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert OFFICIALS in found.stdout
    missing = graphkg_cli(
        "--store", str(built_store_dir), "query", "responses",
        "--param", "actor=azerbaijani-oficials", "--format", "csv",
    )  # fmt: skip
    assert missing.returncode != 0 and "azerbaijani-officials" in missing.stderr

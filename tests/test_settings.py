"""Settings: defaults < file < environment < flags; unknown or mistyped values rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkg.errors import SettingsError
from graphkg.settings import Settings, load_settings


def test_defaults_apply_without_configuration() -> None:
    assert load_settings(environ={}) == Settings()


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "graphkg.toml"
    config.write_text('port = 9000\nquery_timeout = 5\nstore = "/srv/kg"\n')
    settings = load_settings(config_file=config, environ={"GRAPHKG_PORT": "9100"})
    assert (settings.port, settings.query_timeout, settings.store) == (9100, 5.0, Path("/srv/kg"))


def test_flags_override_everything(tmp_path: Path) -> None:
    settings = load_settings(environ={"GRAPHKG_PORT": "9100"}, overrides={"port": 9200})
    assert settings.port == 9200


def test_lists_come_comma_separated_from_the_environment() -> None:
    settings = load_settings(environ={"GRAPHKG_SERVICE_ALLOWLIST": "https://a/, https://b/"})
    assert settings.service_allowlist == ("https://a/", "https://b/")


def test_booleans_accept_common_spellings() -> None:
    assert (
        load_settings(environ={"GRAPHKG_UNION_DEFAULT_GRAPH": "off"}).union_default_graph is False
    )


def test_unknown_setting_is_rejected_with_the_known_ones() -> None:
    with pytest.raises(SettingsError, match="unknown setting 'colour'.*base"):
        load_settings(environ={"GRAPHKG_COLOUR": "blue"})


def test_the_servers_query_pool_address_is_not_taken_for_a_setting() -> None:
    assert load_settings(environ={"GRAPHKG_QUERY_POOL": "/tmp/pool/socket"}) == Settings()


def test_mistyped_value_names_the_setting_and_its_origin() -> None:
    with pytest.raises(SettingsError, match="GRAPHKG_PORT"):
        load_settings(environ={"GRAPHKG_PORT": "eighty"})


def test_base_must_be_an_http_iri_ending_in_a_separator() -> None:
    with pytest.raises(SettingsError, match="base"):
        load_settings(environ={"GRAPHKG_BASE": "https://example.org/kg"})


def test_unreadable_settings_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("port = = 1")
    with pytest.raises(SettingsError, match="bad.toml"):
        load_settings(config_file=bad, environ={})

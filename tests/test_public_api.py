"""The public API is exactly what ``graphkg.__all__`` names."""

import graphkg
import graphkg.server


def test_public_api_is_pinned() -> None:
    assert sorted(graphkg.__all__) == sorted(
        [
            "ChangeRefused",
            "FactFileError",
            "GraphkgError",
            "KnowledgeGraph",
            "MappedSource",
            "NamedQuery",
            "Ontology",
            "ParameterError",
            "Problem",
            "QueryError",
            "Settings",
            "SettingsError",
            "StoreError",
            "StoreStats",
            "UnknownArticle",
            "ValidationFailed",
            "ValidationReport",
            "__version__",
            "add_file",
            "build_store",
            "load_named_queries",
            "load_ontology",
            "load_settings",
            "map_fact_file",
            "mint_iri",
            "open",
            "validate_files",
            "validate_source",
        ]
    )


def test_every_public_name_exists() -> None:
    for name in graphkg.__all__:
        assert hasattr(graphkg, name), name


def test_server_exports_create_app() -> None:
    assert graphkg.server.__all__ == ["create_app"]


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert graphkg.__version__ == version("graphkg")

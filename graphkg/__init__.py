"""graphkg: facts reported in news articles as a validated RDF knowledge graph."""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from graphkg.errors import (
    ChangeRefused,
    FactFileError,
    GraphkgError,
    ParameterError,
    QueryError,
    SettingsError,
    StoreError,
    UnknownArticle,
    ValidationFailed,
)
from graphkg.iri import mint_iri
from graphkg.mapping import MappedSource, map_fact_file
from graphkg.ontology import Ontology, load_ontology
from graphkg.pipeline import add_file, build_store, validate_files
from graphkg.problems import Problem
from graphkg.queries import NamedQuery, load_named_queries
from graphkg.settings import Settings, load_settings
from graphkg.store import KnowledgeGraph, StoreStats, open_store
from graphkg.validation import ValidationReport, validate_source


def open(store: str | Path | None = None, *, base: str | None = None) -> KnowledgeGraph:  # noqa: A001
    """The knowledge graph of a store, for Python code: a directory, a remote store's URL,
    or (``None``) the one the settings name (``GRAPHKG_STORE``, a settings file, the default).

    Queries go through :meth:`KnowledgeGraph.query`; :meth:`KnowledgeGraph.rdflib_view`
    gives rdflib-based tools a read-only view of the current data.
    """
    settings = load_settings(overrides={"store": store, "base": base})
    return open_store(settings)


try:
    __version__ = version("graphkg")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"

__all__ = [
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

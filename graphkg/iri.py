"""Minting IRIs: every IRI graphkg creates comes from here.

IRIs are built from a configurable base, a kind segment and an id (a slug),
never from facts that a correction could change, so the same fact files always
give the same IRIs.
"""

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""The slug rule for ids: lower-case ASCII words joined by single hyphens."""


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))


def slugify(text: str) -> str:
    """A valid id made from free text, e.g. a title (used to suggest ids)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def mint_iri(base: str, segment: str, id_: str) -> str:
    """The IRI of an entity or fact: ``{base}id/{segment}/{id}``."""
    if not is_valid_id(id_):
        raise ValueError(f"invalid id {id_!r}: use lower-case words joined by hyphens")
    return f"{base}id/{segment}/{id_}"


def root_iri(base: str, iri: str) -> str | None:
    """The entity or fact an IRI of ``base`` belongs to: ``{base}id/{segment}/{id}``.

    A nested node's IRI (an evidence, a world statement) gives its parent's.
    """
    if not iri.startswith(f"{base}id/"):
        return None
    parts = iri[len(base) :].split("/", 3)
    if len(parts) < 3 or not is_valid_id(parts[2]):
        return None
    return base + "/".join(parts[:3])


def nested_iri(parent: str, property_name: str, index: int) -> str:
    """The IRI of the ``index``-th (from 1) child node under ``parent``."""
    return f"{parent}/{property_name}/{index}"


def article_graph_iri(base: str, article_id: str) -> str:
    return f"{base}graph/article/{article_id}"


def entities_graph_iri(base: str) -> str:
    return f"{base}graph/entities"


def world_graph_iri(base: str) -> str:
    return f"{base}graph/world"


def ontology_graph_iri(base: str) -> str:
    return f"{base}graph/ontology"


def shapes_graph_iri(base: str) -> str:
    return f"{base}graph/shapes"


def version_graph_iri(base: str) -> str:
    """The graph of a remote store's version marker (see :mod:`graphkg.remote`)."""
    return f"{base}graph/version"


SHARED_SOURCE_SEGMENT = "source"
"""The kind segment of a shared entities file's source: ``{base}id/source/{id}``."""


def shared_source_iri(base: str, source_id: str) -> str:
    """The source of a shared entities file, named by its top-level ``source:`` id."""
    return mint_iri(base, SHARED_SOURCE_SEGMENT, source_id)


def shared_source_id(base: str, iri: str) -> str | None:
    """The id of a shared entities file's source IRI; None for an article or anything else."""
    prefix = f"{base}id/{SHARED_SOURCE_SEGMENT}/"
    id_ = iri.removeprefix(prefix)
    return id_ if id_ != iri and is_valid_id(id_) else None


RETAINED_SOURCE = "retained"
"""The shared source that keeps what a removed or edited article declared and other
articles still reference; an article that declares such an id again takes it back."""


def retained_source_iri(base: str) -> str:
    return shared_source_iri(base, RETAINED_SOURCE)


def entities_source_iri(base: str) -> str:
    """The source of ``seeds/entities.yaml``, which says ``source: entities``."""
    return shared_source_iri(base, "entities")

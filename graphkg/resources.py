"""Where the ontology, shapes, named queries and seeds live.

In an installed wheel they are packaged under ``graphkg/_data``; in a checkout
they are the top-level folders of the repository.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory ``ontology``, ``shapes``, ``queries`` or ``seeds``."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def turtle_files(name: str) -> list[Path]:
    """The Turtle files of a resource directory, in a stable order."""
    return sorted(resource_dir(name).glob("*.ttl"))

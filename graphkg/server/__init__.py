"""The graphkg web server: SPARQL 1.1 endpoint, linked data, dumps and pages."""

from graphkg.server.app import create_app

__all__ = ["create_app"]

"""HTML pages: registered by :func:`init_app`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page blueprints."""

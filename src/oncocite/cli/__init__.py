"""The `oncocite` command line: a thin shell over the Library API."""

from oncocite.cli.app import app, main

__all__ = ["app", "main"]

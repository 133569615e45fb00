"""Charl's core: syntax, analysis and execution. See docs/architecture.md for the code map."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("charl")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

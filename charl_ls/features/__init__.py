"""The feature table: one row per feature module of this package (see `charl_ls/__init__.py`).

Each module listed here has a `register(server)` that declares its settings and registers its handlers
through `CharlLanguageServer`'s guarded decorators. Order matters only for `lifecycle` and `sync`, which
set up what the others rely on (position encoding, settings, documents).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charl_ls.language_server import CharlLanguageServer

FEATURE_MODULES: tuple[str, ...] = (
    "lifecycle",  # initialize, settings, shutdown
    "sync",  # open/change/close, pushed and pulled diagnostics
    "hover",
    "completion",  # completion and resolve
    "signature",
    "navigation",  # definition, references, highlights, document symbols
    "rename",  # prepareRename and rename
    "workspace_symbols",
    "code_lens",  # the Run | Run on GPU | Profile lens and its commands
    "semantic_tokens",  # full, range and delta
    "folding",
    "selection",
    "inlay_hints",  # shapes and parameter names, `charl.inlayHints.*`
    "code_actions",  # quick fixes and the add-annotation refactor
    "formatting",  # document and range formatting, when the formatter package is importable
)


def register_all(server: CharlLanguageServer) -> None:
    for name in FEATURE_MODULES:
        import_module(f"{__name__}.{name}").register(server)

"""Entry point of `charl-ls`.

The language server's features arrive with the language-server milestone. Until then the command exists so
that editor configurations can name it, answers `--version`, and refuses to start with a clear message
instead of pretending to serve an editor.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from charl_core import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="charl-ls", description="The Charl language server.")
    parser.add_argument("--version", action="version", version=f"charl-ls {__version__}")
    parser.parse_args(argv)
    print("charl-ls: the language server is not available in this version of Charl yet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

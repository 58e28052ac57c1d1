"""Command-line interface: a thin layer over the Python API.

Each command lives in its own module and registers itself on :data:`app`.
Bad input (:class:`orbitsim.errors.InputError`) is printed as one line on
stderr with exit status 2 and no traceback.
"""

from __future__ import annotations

import sys

from ..errors import InputError
from .app import app

# Importing the command modules registers their commands.
from . import track, overflight, decay, run, risk, check  # noqa: E402,F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``orbitsim`` console script; exits with the command's status.

    Usage errors are typer's own (exit 2); :class:`InputError` from the API
    becomes one line on stderr, exit 2.
    """
    try:
        app(args=argv, prog_name="orbitsim")
    except InputError as exc:
        print(f"orbitsim: error: {exc}", file=sys.stderr)
        sys.exit(2)

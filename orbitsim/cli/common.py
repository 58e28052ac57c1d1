"""Option handling shared by the commands: the element set to use and the plot path."""

from __future__ import annotations

import sys
import warnings

from ..errors import InputError


def plot_path(plot, suffixes=(".png", ".svg")):
    """Refuse a plot path whose format we cannot write (before any work is done)."""
    if plot is not None and plot.suffix.lower() not in suffixes:
        raise InputError(f"plot must be {' or '.join(suffixes)}, got {plot.name!r}",
                         field="--plot")
    return plot


def elements_and_start(tle, start, force: bool):
    """The element set for ``--tle``/``--start`` and the start time (aware UTC).

    Element-age warnings (start more than 3 days from the epoch) go to stderr as
    ``orbitsim: warning: ...``; without ``--start`` the run starts at the epoch.
    """
    from ..elements import select_elements
    from ..timeutil import parse_utc

    start_dt = None if start is None else parse_utc(start, field="--start")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es = select_elements(tle, start_dt, force=force)
    for w in caught:
        print(f"orbitsim: warning: {w.message}", file=sys.stderr)
    return es, (es.epoch if start_dt is None else start_dt)

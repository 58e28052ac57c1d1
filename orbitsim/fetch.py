"""Optional online fetch of current element sets from CelesTrak.

CelesTrak's GP service (Kelso, https://celestrak.org/NORAD/documentation/gp-data-formats.php)
serves the latest element set for a NORAD catalog number:
``https://celestrak.org/NORAD/elements/gp.php?CATNR=25544&FORMAT=TLE``.
The response is validated with :func:`orbitsim.elements.parse_tle` before
anything is written, and written atomically (:func:`orbitsim.io.write_text`).

orbitsim never needs the network otherwise: the ISS sets of early 2022 are
bundled. Without a network :func:`fetch_gp` raises
``InputError("cannot reach CelesTrak (offline?)")``.

The URL template can be overridden with the environment variable
``ORBITSIM_CELESTRAK_URL`` (a ``{catnr}`` placeholder is filled in), e.g. for
a mirror; the override is used only when set, never as a silent fallback.
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.request
from pathlib import Path

from .elements import ElementSet, parse_tle
from .errors import InputError
from .io import write_text

__all__ = ["CELESTRAK_GP_URL", "gp_url", "fetch_gp", "fetch_to_file"]

CELESTRAK_GP_URL = "https://celestrak.org/NORAD/elements/gp.php?CATNR={catnr}&FORMAT=TLE"
_MAX_CATALOG = 339_999            # Alpha-5 upper end (Z9999)
_USER_AGENT = "orbitsim/0.1 (+offline ISS simulator; single GP request)"


def gp_url(catalog: int) -> str:
    """The GP request URL for *catalog* (honours ``ORBITSIM_CELESTRAK_URL``)."""
    template = os.environ.get("ORBITSIM_CELESTRAK_URL") or CELESTRAK_GP_URL
    return template.replace("{catnr}", str(catalog))


def _check_catalog(catalog) -> int:
    try:
        n = int(catalog)
    except (TypeError, ValueError):
        raise InputError(f"not a NORAD catalog number: {catalog!r}", field="catalog") from None
    if not 1 <= n <= _MAX_CATALOG:
        raise InputError(f"catalog number {n} outside 1..{_MAX_CATALOG}", field="catalog")
    return n


def _urlopen(url: str, timeout_s: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout_s) as resp:
        return resp.read(1_000_000)


def fetch_gp(catalog: int, *, timeout_s: float = 20.0) -> tuple[str, list[ElementSet]]:
    """Download and validate the current element set(s) for *catalog*.

    Returns ``(text, sets)``: the TLE text as served and the parsed sets.
    Raises :class:`InputError` when CelesTrak cannot be reached, answers
    with an HTTP error, or serves something that is not a valid TLE for
    that catalog number.
    """
    n = _check_catalog(catalog)
    url = gp_url(n)
    try:
        raw = _urlopen(url, timeout_s)
    except urllib.error.HTTPError as exc:
        raise InputError(f"CelesTrak answered HTTP {exc.code} {exc.reason}", file=url,
                         field="network") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"cannot reach CelesTrak (offline?): {reason}", field="network") from None
    text = raw.decode("utf-8", errors="replace")
    if not text.strip() or "No GP data found" in text:
        raise InputError(f"CelesTrak has no element set for catalog number {n}", file=url,
                         field="catalog")
    sets = parse_tle(text, source=url)
    wrong = [s.catalog for s in sets if s.catalog != n]
    if wrong:
        raise InputError(f"CelesTrak answered with catalog number {wrong[0]}, not {n}", file=url,
                         field="catalog_number")
    return text, sets


def fetch_to_file(catalog: int, out=None, *, timeout_s: float = 20.0) -> tuple[Path, list]:
    """Fetch *catalog* and write the validated TLE text to *out*
    (default ``<catalog>.tle``) atomically. Returns ``(path, sets)``."""
    text, sets = fetch_gp(catalog, timeout_s=timeout_s)
    path = Path(out) if out is not None else Path(f"{int(catalog)}.tle")
    write_text(path, text if text.endswith("\n") else text + "\n")
    return path, sets

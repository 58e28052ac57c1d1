"""Atomic output: a failed run leaves nothing half-written.

Files are written to a temporary sibling and renamed into place
(``os.replace`` is atomic on POSIX within one file system). Whole output
directories are staged in a temporary sibling and renamed at the end.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_json(d / "r.json", {"altitude_km": 415.2})
>>> (d / "r.json").read_text()
'{\\n  "altitude_km": 415.2\\n}\\n'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import numpy as np

from .errors import InputError


def _default(obj):
    if isinstance(obj, np.ndarray):
        if np.issubdtype(obj.dtype, np.datetime64):
            return [t + "Z" for t in np.datetime_as_string(obj, unit="s").tolist()]
        return obj.tolist()
    if isinstance(obj, np.datetime64):  # before np.generic: .item() would make it naive
        return str(np.datetime_as_string(obj, unit="s")) + "Z"
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dt.datetime):
        if obj.tzinfo is None:
            raise TypeError("naive datetime in output; orbitsim times are UTC-aware")
        return obj.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def parse_toml(text: str, file: str) -> dict:
    """Parse TOML *text*; a syntax error becomes an :class:`InputError` naming *file* and
    the line tomllib reports."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not valid TOML: {exc}", file=file,
                         line=int(m.group(1)) if m else None) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_json(data) -> str:
    """JSON text for results: numpy arrays become lists, times ISO 8601 UTC."""
    return json.dumps(data, indent=2, default=_default, allow_nan=False, ensure_ascii=False) + "\n"


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside *path*; rename it to *path* on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are published files
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path, text: str) -> None:
    """Write *text* to *path* atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path, data) -> None:
    """Write *data* as JSON to *path* atomically."""
    text = to_json(data)  # serialise first: a failure writes nothing
    write_text(path, text)


def save_figure(fig, path) -> None:
    """Save a matplotlib figure atomically; the format follows the suffix (png, svg)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".").lower() or "png", dpi=120,
                    bbox_inches="tight")


@contextlib.contextmanager
def staged_dir(out):
    """Build an output directory in a temporary sibling, then move it into place.

    On error the staging directory is removed and *out* is left as it was.
    An existing *out* is replaced only when the new one is complete.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes 0700
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old.{os.getpid()}"
        os.replace(out, old)
    os.replace(stage, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

"""Time at the API edge: timezone-aware UTC datetimes; inside: numpy datetime64 (UTC).

Skyfield's timescale and the DE421 ephemeris are loaded from the
``skyfield-data`` package, never downloaded.

>>> parse_utc("2022-03-01T12:00")
datetime.datetime(2022, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
>>> parse_utc("2022-03-01T15:00+03:00").isoformat()
'2022-03-01T12:00:00+00:00'
>>> to_datetime64(parse_utc("2022-03-01"))
np.datetime64('2022-03-01T00:00:00.000000')
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings

import numpy as np

from .errors import InputError

UTC = dt.timezone.utc
ONE_DAY_S = 86400.0


def parse_utc(text, *, field: str = "time") -> dt.datetime:
    """Parse an ISO 8601 date or date-time; naive input is taken as UTC."""
    if isinstance(text, dt.datetime):
        value = text
    elif isinstance(text, dt.date):
        value = dt.datetime(text.year, text.month, text.day)
    else:
        s = str(text).strip()
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        try:
            value = dt.datetime.fromisoformat(s)
        except ValueError:
            raise InputError(f"not an ISO 8601 UTC time: {text!r} (e.g. 2022-03-01T12:00Z)",
                             field=field) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_datetime64(t) -> np.datetime64:
    """Aware datetime (or datetime64) -> numpy datetime64[us] in UTC."""
    if isinstance(t, np.datetime64):
        return t.astype("datetime64[us]")
    if isinstance(t, dt.datetime):
        if t.tzinfo is None:
            raise InputError("naive datetime: orbitsim needs timezone-aware UTC times")
        t = t.astimezone(UTC).replace(tzinfo=None)
    return np.datetime64(t, "us")


def utc_times(time_utc) -> np.ndarray:
    """Times as a ``datetime64[us]`` array (UTC): an aware datetime or datetime64 input;
    anything else (e.g. floats) is an :class:`InputError`."""
    if isinstance(time_utc, dt.datetime):
        time_utc = to_datetime64(time_utc)
    t = np.asarray(time_utc)
    if t.dtype.kind != "M":
        raise InputError(f"times must be datetime64 (UTC), got {t.dtype}", field="time_utc")
    return t.astype("datetime64[us]")


def to_datetime(t) -> dt.datetime:
    """numpy datetime64 (UTC) -> aware datetime."""
    if isinstance(t, dt.datetime):
        return parse_utc(t)
    us = np.datetime64(t, "us").astype(np.int64)
    return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=int(us))


def seconds_since(t, t0) -> np.ndarray:
    """Seconds from *t0* to *t* (datetime64 arrays or scalars)."""
    return (np.asarray(t, dtype="datetime64[us]") - to_datetime64(t0)).astype(np.float64) / 1e6


def iso(t) -> str:
    """ISO 8601 UTC text with a Z, to the second."""
    return to_datetime(t).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def _loader():
    from skyfield.api import Loader
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        # skyfield-data warns when its Earth-orientation file is older than
        # today; orbitsim's dates (2022 onwards) lie inside or just past it
        # and skyfield extrapolates UT1 from the file's predictions.
        warnings.simplefilter("ignore", RuntimeWarning)
        path = get_skyfield_data_path()
    return Loader(path, verbose=False)


@functools.cache
def timescale():
    """Skyfield timescale with IERS finals2000A (UT1-UTC, leap seconds and
    polar motion) from skyfield-data (offline)."""
    ts = _loader().timescale(builtin=False)
    # Polar motion x_p, y_p from the same IERS file, so that skyfield's ITRS
    # frame (and orbitsim.propagate) include it (IERS Conventions 2010 §5.4.1).
    from skyfield.data import iers

    with _loader().open("finals2000A.all") as f:
        iers.install_polar_motion_table(ts, iers.parse_x_y_dut1_from_finals_all(f))
    return ts


@functools.cache
def ephemeris():
    """JPL DE421 ephemeris from skyfield-data (offline); opened once, closed at exit."""
    import atexit

    kernel = _loader()("de421.bsp")
    atexit.register(kernel.close)
    return kernel


def skyfield_times(t):
    """datetime64 array (UTC) -> skyfield Time array (leap seconds respected).

    Whole UTC days plus the seconds of the day are handed to skyfield, so
    no leap second is skipped (counting seconds from 2000 would drop the
    five leap seconds of 2005-2016 and shift 2022 times by 5 s).

    >>> skyfield_times(np.datetime64("2022-03-01T12:00:00")).utc_iso()
    ['2022-03-01T12:00:00Z']
    """
    t = np.atleast_1d(np.asarray(t, dtype="datetime64[us]"))
    us = t.astype(np.int64)
    day, rem = np.divmod(us, 86_400_000_000)
    return timescale().utc(1970, 1, 1 + day, 0, 0, rem / 1e6)

"""SGP4 ground tracks: SGP4 (TEME) -> ITRS -> WGS 84 geodetic, vectorised.

Chain, all numpy over N points (no per-point Python):

1. **SGP4** through ``sgp4``'s array API (``Satrec.sgp4_array``, the C++
   implementation of Vallado et al. 2006, AIAA 2006-6753), fed UTC Julian
   dates (the TLE epoch is UTC, AIAA 2006-6753 §3), giving position and
   velocity in the TEME frame [km, km/s].
2. **TEME -> PEF**: rotation about z by GMST 1982 evaluated at UT1
   (AIAA 2006-6753 Appendix C; Vallado 2013 §3.7, Eq. 3-47 and Algorithm 24):
   ``r_PEF = R3(theta_GMST82) r_TEME``.
3. **PEF -> ITRS**: polar motion ``W = R1(y_p) R2(x_p) R3(-s')`` (IERS
   Conventions 2010 §5.4.1; Vallado 2013 Eq. 3-77), the convention
   skyfield's ``itrs`` frame uses.
4. **ITRS -> WGS 84 geodetic** latitude, longitude, ellipsoidal height
   (Bowring 1976 with one refinement; Vallado 2013 §3.3, Algorithm 12
   solves the same equations): **geodetic**, not geocentric, latitude.

Earth orientation (UT1-UTC, x_p, y_p) comes from IERS finals2000A in
``skyfield-data`` through skyfield's timescale (:mod:`orbitsim.timeutil`),
sampled hourly and linearly interpolated (the data are daily); the
result agrees with skyfield's ``EarthSatellite(...).at(t)`` followed by
``wgs84.latlon_of`` to well under a metre (``tests/test_propagate.py``)
while running several times faster for 10^6 points (``bench/bench_track.py``).

>>> from orbitsim.elements import bundled_iss
>>> es = bundled_iss()[0]
>>> tr = track(es, es.epoch, hours=1.0, step_s=600.0, sunlit=False)
>>> len(tr.time_utc), bool(abs(tr.lat_deg).max() < 52.0)
(7, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sgp4.api import SGP4_ERRORS

from .constants import FLATTENING, R_EARTH_EQ_M
from .elements import ElementSet
from .errors import InputError
from .timeutil import parse_utc, skyfield_times, to_datetime64

__all__ = ["Track", "times", "track", "sgp4_teme", "teme_to_itrs", "itrs_to_geodetic",
           "julian_date_utc", "gmst82_rad", "MAX_POINTS"]

#: Refuse tracks longer than this: ~190 bytes per point at peak (10^6 points:
#: 190 MB, bench/bench_track.py), so 5 * 10^6 points stay below 1 GB.
MAX_POINTS = 5_000_000

_A_KM = R_EARTH_EQ_M / 1000.0
_F = FLATTENING
_B_KM = _A_KM * (1.0 - _F)
_E2 = _F * (2.0 - _F)                 # first eccentricity squared
_EP2 = _E2 / (1.0 - _E2)              # second eccentricity squared
_ASEC = math.pi / (180.0 * 3600.0)    # arcsecond in radians
_JD_UNIX = 2440587.5                  # Julian date of 1970-01-01T00:00 UTC
_US_PER_DAY = 86_400_000_000
_EOP_NODE_US = 3600 * 1_000_000       # EOP sampled hourly, linearly interpolated
# Plain words for the SGP4 error codes (Vallado et al. 2006, sgp4 source).
_SGP4_MESSAGES = {
    1: "mean eccentricity left [0, 1) (orbit decayed or elements invalid)",
    2: "mean motion became negative",
    3: "perturbed eccentricity left [0, 1]",
    4: "semi-latus rectum became negative",
    6: "the satellite has decayed (orbit radius below the Earth's surface)",
}


@dataclass
class Track:
    """A propagated track, one entry per time.

    ``time_utc`` datetime64[us] (UTC); ``lat_deg`` geodetic WGS 84 latitude,
    ``lon_deg`` longitude in (-180, 180], ``alt_km`` height above the WGS 84
    ellipsoid; ``r_teme_km`` (N, 3) and ``v_teme_km_s`` (N, 3) SGP4 output in
    TEME; ``r_itrs_km`` (N, 3) Earth-fixed position; ``sunlit`` bool array
    (``None`` if not computed); ``elements`` the set propagated.
    """

    time_utc: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_km: np.ndarray
    r_teme_km: np.ndarray
    v_teme_km_s: np.ndarray
    sunlit: np.ndarray | None
    elements: ElementSet
    r_itrs_km: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.time_utc)

    def to_json(self) -> dict:
        """The CLI's JSON: arrays ``time_utc`` (ISO 8601 Z strings), ``lat_deg``,
        ``lon_deg``, ``alt_km``, ``sunlit`` (bools or nulls), plus the element set."""
        t = np.datetime_as_string(self.time_utc.astype("datetime64[s]"), unit="s")
        es = self.elements
        return {
            "elements": {"name": es.name, "catalog": es.catalog,
                         "epoch_utc": es.epoch, "source": es.where},
            "time_utc": [s + "Z" for s in t.tolist()],
            "lat_deg": np.round(self.lat_deg, 6),
            "lon_deg": np.round(self.lon_deg, 6),
            "alt_km": np.round(self.alt_km, 4),
            "sunlit": (self.sunlit.tolist() if self.sunlit is not None
                       else [None] * len(self.time_utc)),
        }


def times(start, hours: float = 24.0, step_s: float = 60.0) -> np.ndarray:
    """Times from *start* every *step_s* seconds up to and including
    start + *hours* (when it falls on the grid): datetime64[us] UTC.

    >>> times("2022-03-01T00:00Z", hours=0.05, step_s=60)[[0, -1]]
    array(['2022-03-01T00:00:00.000000', '2022-03-01T00:03:00.000000'],
          dtype='datetime64[us]')
    """
    try:
        hours = float(hours)
        step_s = float(step_s)
    except (TypeError, ValueError):
        raise InputError("hours and step must be numbers", field="hours") from None
    if not (math.isfinite(hours) and hours > 0):
        raise InputError(f"must be a positive number of hours, got {hours:g}", field="hours")
    if not (math.isfinite(step_s) and step_s > 0):
        raise InputError(f"must be a positive number of seconds, got {step_s:g}", field="step")
    step_us = round(step_s * 1e6)
    if step_us < 1:
        raise InputError("step below one microsecond", field="step")
    span_us = round(hours * 3600e6)
    n = span_us // step_us + 1
    if n > MAX_POINTS:
        raise InputError(f"{n} points is too many (max {MAX_POINTS}); use a larger step",
                         field="step")
    t0 = to_datetime64(parse_utc(start, field="start"))
    return t0 + np.arange(n, dtype=np.int64) * np.timedelta64(step_us, "us")


def julian_date_utc(time_utc) -> tuple[np.ndarray, np.ndarray]:
    """datetime64 (UTC) -> (whole JD ending in .5, fraction of day) without
    losing microseconds (the two-part form SGP4 takes)."""
    us = np.asarray(time_utc, dtype="datetime64[us]").astype(np.int64)
    day, rem = np.divmod(us, _US_PER_DAY)
    return _JD_UNIX + day.astype(np.float64), rem.astype(np.float64) / _US_PER_DAY


def sgp4_teme(elements: ElementSet, time_utc) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 position [km] and velocity [km/s] in TEME, shapes (N, 3).

    A non-zero SGP4 error code (e.g. 1 eccentricity out of range, 6
    satellite decayed; Vallado et al. 2006) raises :class:`InputError`
    naming the element set's file and line and the first failing time.
    """
    jd, fr = julian_date_utc(time_utc)
    err, r, v = elements.satrec.sgp4_array(jd, fr)
    bad = np.flatnonzero(err)
    if bad.size:
        code = int(err[bad[0]])
        when = np.datetime_as_string(np.asarray(time_utc, "datetime64[s]")[bad[0]]) + "Z"
        msg = _SGP4_MESSAGES.get(code) or SGP4_ERRORS.get(code, "unknown error")
        raise InputError(f"SGP4 error {code} at {when}: {msg} (element set epoch "
                         f"{elements.epoch:%Y-%m-%dT%H:%MZ})", file=elements.source,
                         line=elements.lineno, field="elements")
    return r, v


def gmst82_rad(jd_ut1, fr_ut1) -> np.ndarray:
    """Greenwich mean sidereal time, IAU 1982 model [rad] (the TEME->PEF
    angle; AIAA 2006-6753 App. C, Vallado 2013 Eq. 3-47), from a two-part
    UT1 Julian date whose whole part ends in .5 (0h UT1)."""
    jd_ut1 = np.asarray(jd_ut1, dtype=np.float64)
    fr_ut1 = np.asarray(fr_ut1, dtype=np.float64)
    tut1 = ((jd_ut1 - 2451545.0) + fr_ut1) / 36525.0
    # Eq. 3-47 in seconds: 67310.54841 + (876600 h + 8640184.812866) T + ...;
    # the 876600 h * T term is the days elapsed since J2000 (whole days plus
    # the fraction since 0h), carried exactly as (jd mod 1 + fr) to keep
    # precision.
    gmst_s = 67310.54841 + (8640184.812866 + (0.093104 - 6.2e-6 * tut1) * tut1) * tut1
    turns = np.mod(np.mod(jd_ut1, 1.0) + fr_ut1 + gmst_s / 86400.0, 1.0)
    return turns * (2.0 * math.pi)


def _eop(time_utc):
    """Earth orientation per time: UT1-UTC [s], x_p, y_p, s' [rad].

    Skyfield's IERS-based timescale is evaluated at hourly nodes and
    interpolated linearly (the IERS data are daily; skyfield interpolates
    them linearly too). UT1-TAI is smooth and interpolated; TAI-UTC is a
    step function (leap seconds) and is looked up exactly.
    """
    us = np.asarray(time_utc, dtype="datetime64[us]").astype(np.int64)
    lo = int(us.min()) // _EOP_NODE_US
    hi = -(-int(us.max()) // _EOP_NODE_US)
    nodes_us = np.arange(lo, max(hi, lo + 1) + 1, dtype=np.int64) * _EOP_NODE_US
    t = skyfield_times(nodes_us.astype("datetime64[us]"))
    ut1_tai_s = (t.ut1_fraction - t.tai_fraction) * 86400.0
    sprime, xp, yp = t.polar_motion_angles()
    node = np.broadcast_to
    # one index/weight computation shared by every interpolated quantity
    k = np.minimum((us - nodes_us[0]) // _EOP_NODE_US, len(nodes_us) - 2)
    w = (us - nodes_us[0] - k * _EOP_NODE_US) * (1.0 / _EOP_NODE_US)

    def lerp(v):
        v = np.asarray(node(v, nodes_us.shape), dtype=np.float64)
        return v[k] + w * (v[k + 1] - v[k])
    ts = t.ts
    leap_lo, leap_hi = np.interp([us.min() / 1e6 + _JD_UNIX * 86400.0,
                                  us.max() / 1e6 + _JD_UNIX * 86400.0],
                                 ts._leap_utc, ts._leap_offsets)
    if leap_lo == leap_hi:                           # no leap second in the span
        tai_utc = leap_lo
    else:
        tai_utc = np.interp(us / 1e6 + _JD_UNIX * 86400.0, ts._leap_utc, ts._leap_offsets)
    # s' (TIO locator, -47 microarcsec/century) changes by < 1e-13 rad a
    # year: one value for the span.
    return (lerp(ut1_tai_s) + tai_utc, lerp(xp) * _ASEC, lerp(yp) * _ASEC,
            float(np.mean(sprime)) * _ASEC)


def teme_to_itrs(time_utc, r_teme_km) -> np.ndarray:
    """TEME -> ITRS positions (N, 3) [km]: R3(GMST82(UT1)) then polar motion.

    Polar motion angles are below 1e-5 rad, so W = R1(y_p) R2(x_p) R3(-s')
    is applied to second order in the angles (neglected terms < 1e-15 rad,
    i.e. < 1e-8 m).
    """
    jd, fr = julian_date_utc(time_utc)
    dut1, xp, yp, sp = _eop(time_utc)
    fr += dut1 * (1.0 / 86400.0)
    theta = gmst82_rad(jd, fr)
    c, s = np.cos(theta), np.sin(theta)
    r = np.asarray(r_teme_km, dtype=np.float64)
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    out = np.empty_like(r)
    # PEF = R3(theta) TEME
    xe = c * x
    xe += s * y
    ye = c * y
    ye -= s * x
    # R3(-s'), s' ~ 1e-10 rad: first order
    xe, ye = xe + sp * ye, ye - sp * xe
    # R2(x_p): x' = cos x_p x + sin x_p z ; z' = cos x_p z - sin x_p x
    cx = 1.0 - 0.5 * xp * xp
    ze = cx * z - xp * xe
    xe = cx * xe + xp * z
    # R1(y_p): y' = cos y_p y - sin y_p z ; z' = sin y_p y + cos y_p z
    cy = 1.0 - 0.5 * yp * yp
    out[:, 0] = xe
    out[:, 1] = cy * ye - yp * ze
    out[:, 2] = yp * ye + cy * ze
    return out


def itrs_to_geodetic(r_itrs_km) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ITRS (N, 3) [km] -> WGS 84 geodetic latitude [deg], longitude [deg]
    in (-180, 180], ellipsoidal height [km].

    Bowring's (1976) parametric-latitude formula, iterated twice, written
    with square roots instead of trigonometric functions (tan beta =
    (1-f) tan phi); for heights below 10 000 km the residual is far below a
    millimetre (``tests/test_propagate.py`` inverts the closed-form forward
    transformation).

    >>> lat, lon, h = itrs_to_geodetic(np.array([[6378.137 + 400.0, 0.0, 0.0]]))
    >>> float(lat[0]), float(lon[0]), round(float(h[0]), 9)
    (0.0, 0.0, 400.0)
    """
    r = np.asarray(r_itrs_km, dtype=np.float64)
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    p = np.hypot(x, y)
    # parametric latitude: tan(beta) = a z / (b p) -> as a (cos, sin) pair
    cb, sb = _B_KM * p, _A_KM * z
    for _ in range(2):
        norm = 1.0 / np.hypot(cb, sb)
        cb *= norm
        sb *= norm
        # tan(phi) = (z + e'^2 b sin^3 beta) / (p - e^2 a cos^3 beta)
        num = z + (_EP2 * _B_KM) * sb * sb * sb
        den = p - (_E2 * _A_KM) * cb * cb * cb
        # tan(beta) = (1 - f) tan(phi)
        cb, sb = den, (1.0 - _F) * num
    lat = np.arctan2(num, den)
    norm = 1.0 / np.hypot(num, den)
    sphi = num * norm
    cphi = den * norm
    h = p * cphi + z * sphi - _A_KM * np.sqrt(1.0 - _E2 * sphi * sphi)
    return np.degrees(lat), np.degrees(np.arctan2(y, x)), h


def track(elements: ElementSet, start=None, hours: float = 24.0, step_s: float = 60.0, *,
          sunlit: bool = True) -> Track:
    """Propagate *elements* from *start* (aware UTC datetime or ISO text;
    ``None`` = the element epoch) for *hours* every *step_s* seconds.

    Returns a :class:`Track` with geodetic (WGS 84) latitudes. With
    ``sunlit=True`` the sunlit flag comes from :func:`orbitsim.sun.sunlit`.
    """
    t = times(elements.epoch if start is None else start, hours, step_s)
    return track_at(elements, t, sunlit=sunlit)


def track_at(elements: ElementSet, time_utc, *, sunlit: bool = True) -> Track:
    """Like :func:`track` at given times (datetime64 array, UTC)."""
    t = np.atleast_1d(np.asarray(time_utc, dtype="datetime64[us]"))
    if t.size == 0:
        raise InputError("no times to propagate", field="start")
    r, v = sgp4_teme(elements, t)
    r_itrs = teme_to_itrs(t, r)
    lat, lon, alt = itrs_to_geodetic(r_itrs)
    lit = None
    if sunlit:
        from .sun import sunlit as _sunlit
        lit = _sunlit(t, r)
    return Track(time_utc=t, lat_deg=lat, lon_deg=lon, alt_km=alt, r_teme_km=r,
                 v_teme_km_s=v, sunlit=lit, elements=elements, r_itrs_km=r_itrs)

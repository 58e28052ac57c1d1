"""Sunlight and Earth shadow along a track; orbital sunrises and sunsets.

Sun position: JPL DE421 (Folkner et al. 2008) from ``skyfield-data``,
geocentric, geometric (no light-time or aberration: < 21 arcsec, i.e.
< 0.3 s of shadow timing for the ISS), rotated into SGP4's TEME frame with
skyfield's ``TEME`` frame. It is sampled every 10 minutes and linearly
interpolated (the Sun moves 0.07 deg in 10 min: chord error < 1e-8 rad).

Shadow geometry: a spherical Earth of radius R = 6378.137 km (WGS 84
equatorial), as in the cylindrical and conical shadow models of Vallado
2013, *Fundamentals of Astrodynamics and Applications*, 4th ed., §5.3
(eclipses); Ortiz Longo & Rickman 1995 (NASA TP-3547) compare the two.
Seen from the station, the Earth's disk has angular radius
``b = asin(R/|r|)``, the Sun's ``a = asin(R_sun/|s - r|)``, and their
centres are ``c`` apart (Montenbruck & Gill 2000, *Satellite Orbits*,
§3.4.2, Eqs. 3.85-3.87 — the conical umbra/penumbra model).

* :func:`illuminated_fraction` — the **conical** model: fraction of the
  solar disk visible (0 umbra, 0 < f < 1 penumbra, 1 full sun).
* :func:`sunlit` — **True when the centre of the Sun is above the Earth's
  limb** (c > b). For a Sun at infinity this is exactly the
  **cylindrical** shadow of Vallado §5.3 (shadow = behind the Earth and
  within R of the Earth-Sun line), and it is the mid-penumbra
  (f ~ 0.5) point of the conical model: the ISS crosses the penumbra in
  about 8-10 s, so the choice moves each orbital sunrise/sunset by < 5 s.
  Atmospheric refraction and the ~50 km "effective" atmospheric shadow
  are not modelled.
* :func:`sun_events` — orbital sunrise/sunset epochs, where the
  continuous margin ``c - b`` changes sign, located by linear
  interpolation between track samples.

>>> import numpy as np
>>> t = np.array(["2022-03-20T12:00"], dtype="datetime64[us]")
>>> s = sun_position_teme_km(t)        # near the March equinox: Sun on the +x axis
>>> bool(s[0, 0] > 0.99 * np.linalg.norm(s[0]))
True
"""

from __future__ import annotations

import numpy as np

from .constants import R_EARTH_EQ_M
from .timeutil import ephemeris, skyfield_times

__all__ = ["sun_position_teme_km", "illuminated_fraction", "sunlit", "shadow_margin_rad",
           "sun_events", "R_SUN_KM", "R_SHADOW_KM"]

#: Solar radius [km] (IAU 2015 nominal, Resolution B3).
R_SUN_KM = 695_700.0
#: Earth radius used for the shadow [km] (WGS 84 equatorial).
R_SHADOW_KM = R_EARTH_EQ_M / 1000.0
_NODE_US = 600 * 1_000_000


def sun_position_teme_km(time_utc) -> np.ndarray:
    """Geocentric Sun position in TEME [km], shape (N, 3) (DE421, geometric)."""
    from skyfield.sgp4lib import TEME

    t = np.atleast_1d(np.asarray(time_utc, dtype="datetime64[us]"))
    us = t.astype(np.int64)
    lo = us.min() // _NODE_US
    hi = -(-us.max() // _NODE_US)
    nodes = np.arange(lo, max(hi, lo + 1) + 1, dtype=np.int64) * _NODE_US
    eph = ephemeris()
    st = skyfield_times(nodes.astype("datetime64[us]"))
    xyz = (eph["sun"] - eph["earth"]).at(st).frame_xyz(TEME).km     # (3, M)
    x = us.astype(np.float64)
    xn = nodes.astype(np.float64)
    return np.stack([np.interp(x, xn, xyz[k]) for k in range(3)], axis=1)


def _angles(r_km, sun_km):
    r = np.asarray(r_km, dtype=np.float64)
    s = sun_km - r                                   # station -> Sun
    rn = np.linalg.norm(r, axis=1)
    sn = np.linalg.norm(s, axis=1)
    a = np.arcsin(np.minimum(R_SUN_KM / sn, 1.0))
    b = np.arcsin(np.minimum(R_SHADOW_KM / rn, 1.0))
    cosc = -np.einsum("ij,ij->i", r, s) / (rn * sn)
    c = np.arccos(np.clip(cosc, -1.0, 1.0))
    return a, b, c


def shadow_margin_rad(time_utc, r_teme_km) -> np.ndarray:
    """Angle between the Sun's centre and the Earth's limb seen from the
    station, ``c - b`` [rad]: positive when sunlit. Continuous in time."""
    _, b, c = _angles(r_teme_km, sun_position_teme_km(time_utc))
    return c - b


def sunlit(time_utc, r_teme_km) -> np.ndarray:
    """True where the Sun's centre is above the Earth's limb (cylindrical
    shadow for a distant Sun; see the module docstring)."""
    return shadow_margin_rad(time_utc, r_teme_km) > 0.0


def illuminated_fraction(time_utc, r_teme_km) -> np.ndarray:
    """Visible fraction of the solar disk, conical model (Montenbruck &
    Gill 2000, Eq. 3.87): 0 in the umbra, 1 in full sunlight."""
    a, b, c = _angles(r_teme_km, sun_position_teme_km(time_utc))
    f = np.ones_like(c)
    f[c <= b - a] = 0.0
    part = (c > b - a) & (c < a + b)
    if part.any():
        ap, bp, cp = a[part], b[part], c[part]
        x = (cp ** 2 + ap ** 2 - bp ** 2) / (2.0 * cp)
        y = np.sqrt(np.maximum(ap ** 2 - x ** 2, 0.0))
        area = (ap ** 2 * np.arccos(np.clip(x / ap, -1, 1))
                + bp ** 2 * np.arccos(np.clip((cp - x) / bp, -1, 1)) - cp * y)
        f[part] = 1.0 - area / (np.pi * ap ** 2)
    return f


def sun_events(time_utc, r_teme_km=None, margin_rad=None):
    """Orbital sunrises and sunsets along a track.

    Pass either a :class:`~orbitsim.propagate.Track` (as the first argument)
    or times and TEME positions. Returns ``(sunrise_utc, sunset_utc)``,
    datetime64[us] arrays of the epochs where the Sun's centre crosses the
    Earth's limb, linearly interpolated between samples (error ~ step^2
    curvature; < 1 s for 60 s steps).
    """
    if r_teme_km is None and hasattr(time_utc, "r_teme_km"):
        r_teme_km, time_utc = time_utc.r_teme_km, time_utc.time_utc
    t = np.asarray(time_utc, dtype="datetime64[us]")
    g = shadow_margin_rad(t, r_teme_km) if margin_rad is None else np.asarray(margin_rad)
    pos = g > 0.0
    idx = np.flatnonzero(pos[1:] != pos[:-1])
    us = t.astype(np.int64).astype(np.float64)
    g0, g1 = g[idx], g[idx + 1]
    frac = g0 / (g0 - g1)
    when = (us[idx] + frac * (us[idx + 1] - us[idx])).round().astype(np.int64)
    when = when.astype("datetime64[us]")
    rising = ~pos[idx]
    return when[rising], when[~rising]

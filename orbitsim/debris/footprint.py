"""Where debris lands: the final ground track and the debris footprint around it.

Final orbit
    Near-circular, propagated analytically: argument of latitude
    ``u(t) = u0 + 2*pi*(t - epoch)/P`` and right ascension of the node with
    the secular J2 drift ``dOmega/dt = -3/2 n J2 (R_e/a)^2 cos i``
    (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013,
    §9.6, Eq. 9-41 with e = 0). Earth rotation: Greenwich mean sidereal time,
    IAU-82 (Vallado 2013, Eq. 3-47), UTC taken for UT1 (|UT1-UTC| < 0.9 s,
    i.e. < 0.5 km on the ground).

Debris footprint
    Surviving fragments are spread uniformly over a rectangle on the sphere
    centred on the nominal impact point: ``length_km`` along the ground
    track, ``width_km`` across it. Defaults: the NASA analysis quoted by the
    National Research Council (*Engineering Challenges to the Long-Term
    Operation of the International Space Station*, NAP 2000, ch. 6 "End-of-Life
    Disposal"): the ISS dispersed debris footprint "could be as large as an
    ellipse measuring 300 km by 5,370 km". For comparison, Mir (2001) was
    planned with ~1,500 km either side of the main impact point, 200 km
    wide (Russian mission control, as reported at the time); UARS (5.7 t, 2011):
    26 surviving objects along ~800 km (500 miles; NASA). Each Monte-Carlo
    member scales both sizes by a factor uniform in ``[scale_min, 1]``
    (the published size is an upper bound).

Latitude statistics
    For a reentry time uniform over many revolutions the geocentric
    latitude phi of the sub-satellite point has the dwell-time density

        p(phi) = cos(phi) / (pi * sqrt(sin^2 i - sin^2 phi)),  |phi| < i

    with CDF ``F(phi) = 1/2 + asin(sin(phi)/sin(i))/pi`` (from
    ``sin(phi) = sin(i) sin(u)`` with u uniform); :func:`dwell_cdf` and
    :func:`dwell_pdf` give it, and the tests check the sampled footprint
    against it.

>>> round(float(dwell_cdf(0.0, 51.64)), 6)
0.5
>>> lat, lon = nadir_deg(FinalOrbit(0.0, 0.0, 0.0, np.datetime64("2000-01-01T12:00"), 5400.0),
...                      np.datetime64("2000-01-01T12:00"))
>>> float(lat[0]), round(float(lon[0]), 3)   # GMST at J2000.0 is 280.461 deg
(0.0, 79.539)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import FLATTENING, J2, MU_EARTH_M3_S2, R_EARTH_EQ_M
from ..errors import InputError
from ..timeutil import to_datetime64

#: Mean Earth radius (IUGG R1 = (2a + b)/3 for WGS 84), m: distances on the ground.
R_MEAN_M = 6371008.8
J2000_UTC = np.datetime64("2000-01-01T12:00:00", "us")

# Published footprint bounds (see module docstring).
ISS_FOOTPRINT_LENGTH_KM = 5370.0
ISS_FOOTPRINT_WIDTH_KM = 300.0
#: Longest debris footprint we accept: half a great circle.
MAX_FOOTPRINT_LENGTH_KM = 20000.0
#: Widest footprint we accept, km (lateral dispersion of reentry debris is ~100s of km).
MAX_FOOTPRINT_WIDTH_KM = 2000.0

#: Point Nemo, the oceanic pole of inaccessibility (48 deg 52.6' S, 123 deg 23.6' W;
#: Lukatela 1992), the centre commonly given for the South Pacific Ocean Uninhabited
#: Area used for controlled deorbits (Mir 2001, Progress, ATV, the planned ISS deorbit).
SPOUA_CENTRE_DEG = (-(48 + 52.6 / 60), -(123 + 23.6 / 60))


@dataclass(frozen=True)
class FinalOrbit:
    """Near-circular orbit at (or near) reentry; same fields as ``DecayResult.final_orbit``.

    inclination_deg, raan_deg, arg_lat_deg: at *epoch* (datetime64 or aware datetime);
    period_s: nodal period, s.
    """

    inclination_deg: float
    raan_deg: float
    arg_lat_deg: float
    epoch: object
    period_s: float

    def __post_init__(self):
        if not 0.0 <= self.inclination_deg <= 180.0:
            raise InputError(f"inclination {self.inclination_deg} deg outside [0, 180]",
                             field="inclination_deg")
        if not 4800.0 < self.period_s < 86400.0:
            raise InputError(f"period {self.period_s} s is not a low-Earth-orbit period",
                             field="period_s")

    @classmethod
    def from_any(cls, orbit) -> "FinalOrbit":
        """Accept a FinalOrbit, a ``DecayResult.final_orbit``-like object or a dict."""
        if isinstance(orbit, cls):
            return orbit
        get = orbit.get if isinstance(orbit, dict) else (lambda k: getattr(orbit, k))
        return cls(float(get("inclination_deg")), float(get("raan_deg")),
                   float(get("arg_lat_deg")), get("epoch"), float(get("period_s")))

    @classmethod
    def from_elements(cls, elements) -> "FinalOrbit":
        """From an :class:`orbitsim.elements.ElementSet` (mean elements at its epoch).

        The argument of latitude is ``argp + M`` (near-circular orbit). The period is the
        nodal one, ``2 pi / (n + dw/dt + dM0/dt)`` with the secular J2 rates (Vallado
        2013, Eq. 9-41, e = 0): ``dw/dt = 3/4 n J2 (R/a)^2 (4 - 5 sin^2 i)``,
        ``dM0/dt = 3/4 n J2 (R/a)^2 (2 - 3 sin^2 i)``. Phases far from the epoch are only
        statistically meaningful (the orbit decays).
        """
        u = (elements.argp_deg + elements.mean_anomaly_deg) % 360.0
        n = 2 * math.pi / (float(elements.period_min) * 60.0)
        a = (MU_EARTH_M3_S2 / n**2) ** (1 / 3)
        s2 = math.sin(math.radians(elements.inclination_deg)) ** 2
        k = 0.75 * J2 * (R_EARTH_EQ_M / a) ** 2
        du = n * (1.0 + k * (4 - 5 * s2) + k * (2 - 3 * s2))
        return cls(float(elements.inclination_deg), float(elements.raan_deg), float(u),
                   elements.epoch, 2 * math.pi / du)

    @property
    def epoch64(self) -> np.datetime64:
        return to_datetime64(self.epoch)

    @property
    def semi_major_axis_m(self) -> float:
        return (MU_EARTH_M3_S2 * (self.period_s / (2 * math.pi)) ** 2) ** (1 / 3)

    @property
    def node_rate_rad_s(self) -> float:
        """Secular J2 nodal regression, rad/s (Vallado 2013, Eq. 9-41, e = 0)."""
        n = 2 * math.pi / self.period_s
        a = self.semi_major_axis_m
        return -1.5 * n * J2 * (R_EARTH_EQ_M / a) ** 2 * math.cos(math.radians(self.inclination_deg))


@dataclass(frozen=True)
class Footprint:
    """Debris footprint: a length x width box (km) on the ground, centred on the impact point.

    Per Monte-Carlo member both sizes are scaled by U(scale_min, 1).
    """

    length_km: float = ISS_FOOTPRINT_LENGTH_KM
    width_km: float = ISS_FOOTPRINT_WIDTH_KM
    scale_min: float = 0.5

    def __post_init__(self):
        if not (0.0 <= self.length_km <= MAX_FOOTPRINT_LENGTH_KM) or not math.isfinite(self.length_km):
            raise InputError(f"footprint length {self.length_km} km outside "
                             f"[0, {MAX_FOOTPRINT_LENGTH_KM:g}] km", field="footprint_length_km")
        if not (0.0 <= self.width_km <= MAX_FOOTPRINT_WIDTH_KM) or not math.isfinite(self.width_km):
            raise InputError(f"footprint width {self.width_km} km outside "
                             f"[0, {MAX_FOOTPRINT_WIDTH_KM:g}] km", field="footprint_width_km")
        if not 0.0 <= self.scale_min <= 1.0:
            raise InputError(f"footprint scale_min {self.scale_min} outside [0, 1]",
                             field="footprint_scale_min")


def gmst_rad(t) -> np.ndarray:
    """Greenwich mean sidereal time, rad, IAU-82 (Vallado 2013, Eq. 3-47); UTC ~ UT1.

    *t*: datetime64 (UTC) array or seconds since J2000.0 (2000-01-01T12:00 UTC) as float.
    """
    t = np.asarray(t)
    if np.issubdtype(t.dtype, np.datetime64):
        s = (t.astype("datetime64[us]") - J2000_UTC).astype(np.float64) / 1e6
    else:
        s = t.astype(np.float64)
    T = s / (36525.0 * 86400.0)
    # Split the linear term: 876600 h * 3600 s/h per century is exactly 1 s per s (mod 86400).
    theta_s = 67310.54841 + s + 8640184.812866 * T + 0.093104 * T**2 - 6.2e-6 * T**3
    return np.mod(theta_s, 86400.0) * (2 * math.pi / 86400.0)


def geodetic_from_geocentric_deg(lat_gc_deg):
    """Surface point: geodetic latitude from geocentric, deg (WGS 84, tan phi_d = tan phi_c/(1-f)^2)."""
    lat = np.radians(lat_gc_deg)
    return np.degrees(np.arctan2(np.sin(lat), np.cos(lat) * (1.0 - FLATTENING) ** 2))


def ground_points(orbit: FinalOrbit, t_s, along_m=0.0, cross_m=0.0, phase_rad=0.0):
    """Impact points around the sub-satellite point at times *t_s* (s since J2000.0 UTC).

    *along_m*, *cross_m*: ground distances (m) along the track (positive = downrange)
    and across it (positive = towards the orbit normal), broadcast against ``t_s``.
    The along-track offset follows the ground track (time offset along/v_ground, so
    Earth rotation is included). *phase_rad* shifts the argument of latitude at fixed
    time (an orbit-phase uncertainty). Returns ``(lat_gc_deg, lat_gd_deg, lon_deg)``.
    """
    t_s = np.asarray(t_s, dtype=np.float64)
    along = np.asarray(along_m, dtype=np.float64)
    cross = np.asarray(cross_m, dtype=np.float64)
    dt0 = (orbit.epoch64 - J2000_UTC).astype(np.float64) / 1e6
    n = 2 * math.pi / orbit.period_s
    inc = math.radians(orbit.inclination_deg)
    si, ci = math.sin(inc), math.cos(inc)
    rel = t_s - dt0
    raan = math.radians(orbit.raan_deg) + orbit.node_rate_rad_s * rel
    u = math.radians(orbit.arg_lat_deg) + n * rel + along / R_MEAN_M + np.asarray(phase_rad, float)
    t_imp = t_s + along / (R_MEAN_M * n)
    so, co = np.sin(raan), np.cos(raan)
    su, cu = np.sin(u), np.cos(u)
    x = co * cu - so * su * ci
    y = so * cu + co * su * ci
    z = su * si
    c = cross / R_MEAN_M
    cc, sc = np.cos(c), np.sin(c)
    x, y, z = cc * x + sc * so * si, cc * y - sc * co * si, cc * z + sc * ci
    th = gmst_rad(t_imp)
    ct, st = np.cos(th), np.sin(th)
    xe, ye = ct * x + st * y, -st * x + ct * y
    lat_gc = np.degrees(np.arcsin(np.clip(z, -1.0, 1.0)))
    lon = np.degrees(np.arctan2(ye, xe))
    return lat_gc, geodetic_from_geocentric_deg(lat_gc), lon


def nadir_deg(orbit: FinalOrbit, t):
    """Sub-satellite point (geodetic lat, lon), deg, at datetime64 time(s) *t*."""
    s = (np.atleast_1d(np.asarray(t, dtype="datetime64[us]")) - J2000_UTC).astype(np.float64) / 1e6
    _, lat, lon = ground_points(orbit, s)
    return lat, lon


def dwell_cdf(lat_gc_deg, inclination_deg):
    """CDF of the geocentric latitude for a uniformly sampled circular orbit (see module doc)."""
    si = math.sin(math.radians(min(inclination_deg, 180.0 - inclination_deg)))
    x = np.clip(np.sin(np.radians(lat_gc_deg)) / si, -1.0, 1.0)
    return 0.5 + np.arcsin(x) / math.pi


def dwell_pdf(lat_gc_deg, inclination_deg):
    """Dwell-time density of the geocentric latitude, per degree (see module doc)."""
    i = math.radians(min(inclination_deg, 180.0 - inclination_deg))
    phi = np.radians(lat_gc_deg)
    d = np.sin(i) ** 2 - np.sin(phi) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(d > 0, np.cos(phi) / (math.pi * np.sqrt(np.where(d > 0, d, 1.0))), 0.0)
    return p * math.pi / 180.0


def aim_orbit(lat_deg: float, lon_deg: float, when, *, inclination_deg: float = 51.64,
              period_s: float = 5300.0, ascending: bool = False) -> FinalOrbit:
    """A final orbit whose ground track passes over (lat, lon) at *when*: a controlled deorbit.

    The footprint of a reentry at *when* is then centred on the target (geodetic
    lat/lon, deg). Raises InputError if the inclination cannot reach the latitude.
    """
    i = math.radians(inclination_deg)
    phi = math.atan((1.0 - FLATTENING) ** 2 * math.tan(math.radians(lat_deg)))  # geocentric
    if abs(math.sin(phi)) > abs(math.sin(i)) + 1e-12:
        raise InputError(f"latitude {lat_deg} deg unreachable with inclination "
                         f"{inclination_deg} deg", field="target")
    u = math.asin(max(-1.0, min(1.0, math.sin(phi) / math.sin(i))))
    if not ascending:
        u = math.pi - u
    # Right ascension of the point relative to the node, then the node from GMST.
    dra = math.atan2(math.cos(i) * math.sin(u), math.cos(u))
    t64 = to_datetime64(when)
    theta = float(gmst_rad(np.array([t64]))[0])
    raan = math.radians(lon_deg) + theta - dra
    return FinalOrbit(inclination_deg, math.degrees(raan) % 360.0, math.degrees(u) % 360.0,
                      t64, period_s)

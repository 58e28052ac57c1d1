"""Numerical (Cowell) orbit propagation: two-body + J2..J4 + drag, to reentry.

Equations of motion
-------------------
Cowell's method integrates ``r'' = a_grav(r) + a_drag(r, v, t)`` directly in
the quasi-inertial TEME (true equator, mean equinox of date) frame, the frame
SGP4 states come in (Vallado et al. 2006, AIAA 2006-6753). Its z axis is the
true pole, so the zonal field of :mod:`orbitsim.gravity` (J2, J3, J4) applies
unchanged; the slow precession of TEME itself (~50"/yr) is neglected (a
fictitious acceleration below 1e-7 m/s^2).

Drag (Vallado 2013, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
§8.6.2, Eq. 8-31/8-32) with the atmosphere co-rotating with the Earth:

    a_drag = -1/2 * B * rho * |v_rel| * v_rel,   v_rel = v - omega x r,
    B = Cd * A / m  (m^2/kg, ``bc_m2_kg``),

``omega`` the WGS 84 Earth rotation rate about z. The density ``rho`` (kg/m^3)
comes from an :mod:`orbitsim.atmosphere` object evaluated at the geodetic
position (WGS 84 latitude, longitude, altitude), which needs the Earth-fixed
position: TEME -> pseudo-Earth-fixed by the IAU 1982 Greenwich mean sidereal
time (Vallado 2013 Eq. 3-47, the angle SGP4 and skyfield's ``TEME_to_ITRF``
use), with UT1 - UTC from the IERS table bundled with skyfield-data, taken at
the start epoch (it changes by < 2 ms/day). Polar motion (< 15 m at the
surface) is neglected. Geodetic coordinates use Bowring's (1976, *Survey
Review* 23(181)) parametric-latitude iteration, two passes, which agrees with
skyfield's ``wgs84`` to well under a millimetre in LEO (tested).

Integrator
----------
scipy's ``solve_ivp`` with DOP853 (Dormand & Prince 8(5,3), Hairer, Norsett &
Wanner 1993, *Solving ODEs I*, §II.10): an 8th-order embedded pair with error
control and 7th-order dense output. Adaptive steps are the right choice here
because the last revolution (drag growing by orders of magnitude) and the
reentry event (root-found on the dense output, to floating-point accuracy in
time) both need them; at ``rtol=1e-10`` the drag-free energy drift over a day
is ~1e-12 relative (tested < 1e-9).

Density evaluation: batched along the trajectory
-----------------------------------------------
NRLMSISE-00 through pymsis costs ~18 us per call plus ~2.4 us per point, and a
three-day run makes ~10^5 right-hand-side evaluations, so calling the model in
the RHS would dominate. Instead the run is cut into spans (default 600 s):

1. a cheap predictor (fixed-step RK4 at twice the sampling step with cubic
   Hermite interpolation in between; gravity plus drag from the previous
   span's locally exponential density) gives the path over the span;
2. the atmosphere is called once for the whole span, at samples every
   ``density_step_s`` (default 30 s) along that path, each at three altitudes
   ``h - dh, h, h + dh`` (dh = 1 km);
3. inside the RHS the density is ``exp(L(t) + S(t) dh + C(t) dh^2 / 2)`` with
   ``dh = h - h_path(t)``: log-density, its altitude slope (-1/scale height)
   and curvature, linearly interpolated in time between samples. This is
   exact for an exponential atmosphere and second-order accurate in the
   altitude offset otherwise;
4. after integrating the span the actual path is compared with the sampled
   one; if they differ by more than ``max_dh_m`` (1 km) in altitude or 10 km
   in position, the density is resampled along the actual path and the span
   integrated again (a predictor-corrector; it converges in one pass).

Linear interpolation of log-density on a 30 s grid errs by ~(n dt)^2/8 of its
along-orbit variation (~1e-4 relative); horizontal offsets up to 10 km change
NRLMSISE-00 density by < 0.1 %, an order of magnitude below the model's own
uncertainty (~15 %, Picone et al. 2002, JGR 107(A12) 1468; Vallado & Finkleman
2014, Acta Astronautica 95). Measured: against calling NRLMSISE-00 at every
RHS evaluation, the ISS's final ~2.7 days (200 -> 80 km) end within ~1.5 s and
~10 km, 5-7x faster (``bench/bench_cowell.py``; ``tests/test_cowell.py``
checks 2 s / 15 km); satkit's RKV9(8) propagator with its own NRLMSISE-00 gives
the same lifetime to 0.01 %.

>>> import numpy as np
>>> res = propagate([6778137.0, 0, 0], [0, 7668.56, 0], np.datetime64("2022-03-01T00:00"),
...                 atmosphere=None, bc_m2_kg=0.0, max_days=0.01, degree=0)
>>> res.stop_reason, round(float(res.alt_km[0]), 3)
('max_days', 400.0)
"""

from __future__ import annotations

import datetime as dt
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp

from .constants import FLATTENING, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_EQ_M
from .errors import InputError
from .gravity import ZONALS, _check_degree
from .timeutil import skyfield_times, to_datetime, to_datetime64

# WGS 84 ellipsoid derived constants (NIMA TR8350.2).
A_M = R_EARTH_EQ_M
E2 = FLATTENING * (2.0 - FLATTENING)            # first eccentricity squared
B_M = A_M * (1.0 - FLATTENING)                  # polar radius
EP2 = E2 / (1.0 - E2)                           # second eccentricity squared

_J2000_UTC = np.datetime64("2000-01-01T12:00:00", "us")

#: Re-integrations allowed per span by the density predictor-corrector.
MAX_CORRECTIONS = 3

#: Limit on propagation when neither ``until`` nor ``max_days`` is given (days).
UNBOUNDED_LIMIT_DAYS = 365.0


# ---------------------------------------------------------------- frames

def gmst_rad(time_utc, dut1_s=None) -> np.ndarray:
    """Greenwich mean sidereal time (rad, in [0, 2 pi)), IAU 1982 model.

    Vallado 2013 Eq. 3-47: ``GMST = 67310.54841 s + (876600 h + 8640184.812866 s) T
    + 0.093104 s T^2 - 6.2e-6 s T^3`` with ``T`` Julian centuries of UT1 from
    J2000. ``time_utc``: datetime64 (UTC) scalar or array; ``dut1_s``: UT1 - UTC
    in seconds (scalar or array); ``None`` looks it up in skyfield's IERS table.

    >>> round(float(gmst_rad(np.datetime64("2000-01-01T12:00"), dut1_s=0.0)), 6)
    4.894961
    """
    t = np.asarray(time_utc, dtype="datetime64[us]")
    if dut1_s is None:
        dut1_s = np.reshape(skyfield_times(t).dut1, t.shape)
    d = (t - _J2000_UTC).astype(np.float64) / 86400e6 + np.asarray(dut1_s) / 86400.0
    T = d / 36525.0
    # 876600 h * T = 86400 s * d: keep only its fraction of a day (precision).
    sec = (67310.54841 + 86400.0 * np.mod(d, 1.0) + 8640184.812866 * T
           + 0.093104 * T**2 - 6.2e-6 * T**3)
    return np.mod(sec, 86400.0) * (2.0 * np.pi / 86400.0)


def teme_to_ecef(r_teme_m, theta_rad) -> np.ndarray:
    """Rotate TEME positions (..., 3) to pseudo-Earth-fixed by GMST angle(s) ``theta_rad``.

    Vallado 2013 §3.7 (polar motion neglected).
    """
    r = np.asarray(r_teme_m, dtype=np.float64)
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    out = np.empty_like(r)
    out[..., 0] = c * r[..., 0] + s * r[..., 1]
    out[..., 1] = -s * r[..., 0] + c * r[..., 1]
    out[..., 2] = r[..., 2]
    return out


def geodetic(r_ecef_m, *, iterations: int = 2):
    """Earth-fixed positions (..., 3) in m -> WGS 84 (lat_deg, lon_deg, alt_km).

    Bowring (1976) iteration on the parametric latitude ``beta``:
    ``tan phi = (z + e'^2 b sin^3 beta) / (p - e^2 a cos^3 beta)``,
    ``tan beta = (1 - f) tan phi``; height ``h = p cos phi + z sin phi - a sqrt(1 - e^2 sin^2 phi)``
    (valid at the poles too). Two iterations are sub-millimetre from the surface to GEO.

    >>> lat, lon, alt = geodetic(np.array([0.0, 0.0, 6356752.314245 + 400e3]))
    >>> float(lat), round(float(alt), 6)
    (90.0, 400.0)
    """
    r = np.asarray(r_ecef_m, dtype=np.float64)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    beta = np.arctan2(A_M * z, B_M * p)
    for _ in range(iterations):
        sb, cb = np.sin(beta), np.cos(beta)
        phi = np.arctan2(z + EP2 * B_M * sb**3, p - E2 * A_M * cb**3)
        beta = np.arctan2((1.0 - FLATTENING) * np.sin(phi), np.cos(phi))
    sphi, cphi = np.sin(phi), np.cos(phi)
    h = p * cphi + z * sphi - A_M * np.sqrt(1.0 - E2 * sphi**2)
    return np.degrees(phi), np.degrees(np.arctan2(y, x)), h / 1000.0


def _alt_m(x: float, y: float, z: float) -> float:
    """Scalar geodetic altitude (m) for the RHS and the reentry event.

    One Bowring step from the parametric-latitude guess ``tan beta = a z / (b p)``,
    written without trigonometric calls. The height is stationary in the
    latitude error, so one step is already exact to ~1e-8 m from the surface
    to 1500 km (tested against :func:`geodetic` and skyfield).
    """
    p = math.sqrt(x * x + y * y)
    az, bp = A_M * z, B_M * p
    d = math.sqrt(az * az + bp * bp)
    sb, cb = az / d, bp / d
    num = z + EP2 * B_M * sb * sb * sb
    den = p - E2 * A_M * cb * cb * cb
    q = math.sqrt(num * num + den * den)
    sphi, cphi = num / q, den / q
    return p * cphi + z * sphi - A_M * math.sqrt(1.0 - E2 * sphi * sphi)


# ---------------------------------------------------------------- elements

def osculating_elements(r_m, v_m_s, *, mu_m3_s2: float = MU_EARTH_M3_S2) -> dict:
    """Classical osculating elements from inertial states (..., 3) (Vallado 2013 Alg. 9).

    Returns a dict of arrays: ``a_m``, ``e``, ``inclination_deg``, ``raan_deg``,
    ``argp_deg``, ``arg_lat_deg`` (argument of latitude), ``period_s``, and
    ``perigee_alt_km`` / ``apogee_alt_km`` above the equatorial radius.

    >>> el = osculating_elements([7000e3, 0, 0], [0, 0, 7546.05])
    >>> round(float(el["a_m"]) / 1e3, 1), round(float(el["inclination_deg"]), 6)
    (7000.0, 90.0)
    """
    r = np.asarray(r_m, dtype=np.float64)
    v = np.asarray(v_m_s, dtype=np.float64)
    rn = np.linalg.norm(r, axis=-1)
    v2 = np.sum(v * v, axis=-1)
    rv = np.sum(r * v, axis=-1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    a = 1.0 / (2.0 / rn - v2 / mu_m3_s2)
    evec = ((v2 - mu_m3_s2 / rn)[..., None] * r - rv[..., None] * v) / mu_m3_s2
    e = np.linalg.norm(evec, axis=-1)
    inc = np.arccos(np.clip(h[..., 2] / hn, -1.0, 1.0))
    raan = np.arctan2(h[..., 0], -h[..., 1])
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)], axis=-1)
    what = h / hn[..., None]
    m = np.cross(what, node)                      # in-plane, 90 deg ahead of the node
    u = np.arctan2(np.sum(r * m, axis=-1), np.sum(r * node, axis=-1))
    argp = np.arctan2(np.sum(evec * m, axis=-1), np.sum(evec * node, axis=-1))
    period = 2.0 * np.pi * np.sqrt(np.abs(a) ** 3 / mu_m3_s2)
    return {
        "a_m": a, "e": e, "inclination_deg": np.degrees(inc),
        "raan_deg": np.mod(np.degrees(raan), 360.0), "argp_deg": np.mod(np.degrees(argp), 360.0),
        "arg_lat_deg": np.mod(np.degrees(u), 360.0), "period_s": period,
        "perigee_alt_km": (a * (1.0 - e) - R_EARTH_EQ_M) / 1000.0,
        "apogee_alt_km": (a * (1.0 + e) - R_EARTH_EQ_M) / 1000.0,
    }


# ---------------------------------------------------------------- density model

class _LogDensity:
    """Piecewise-linear-in-time, quadratic-in-altitude log-density along a path.

    ``t0`` start (s), ``dt`` sample step (s); lists ``L`` (ln rho, kg/m^3),
    ``S`` (d ln rho / dh, 1/m), ``C`` (d^2 ln rho / dh^2, 1/m^2), ``H`` (path
    altitude, m). One sample means constant in time.
    """

    __slots__ = ("t0", "dt", "L", "S", "C", "H", "n")
    DH_QUAD_MAX_M = 5000.0   # the quadratic term is capped beyond this offset

    def __init__(self, t0, dt, L, S, C, H):
        self.t0, self.dt = float(t0), float(dt)
        self.L, self.S, self.C, self.H = (list(map(float, a)) for a in (L, S, C, H))
        self.n = len(self.L)

    def last(self) -> "_LogDensity":
        return _LogDensity(0.0, 1.0, self.L[-1:], self.S[-1:], self.C[-1:], self.H[-1:])

    def rho(self, t: float, h: float) -> float:
        if self.n == 1:
            L, S, C, H = self.L[0], self.S[0], self.C[0], self.H[0]
        else:
            u = (t - self.t0) / self.dt
            j = int(u)
            if j < 0:
                j = 0
            elif j > self.n - 2:
                j = self.n - 2
            w = u - j
            L0, S0, C0, H0 = self.L[j], self.S[j], self.C[j], self.H[j]
            L = L0 + w * (self.L[j + 1] - L0)
            S = S0 + w * (self.S[j + 1] - S0)
            C = C0 + w * (self.C[j + 1] - C0)
            H = H0 + w * (self.H[j + 1] - H0)
        d = h - H
        cap = self.DH_QUAD_MAX_M
        dq = d if -cap < d < cap else math.copysign(cap, d)
        return math.exp(L + d * S + 0.5 * C * dq * dq)


class _Sampler:
    """Calls the atmosphere in batches along a path and builds :class:`_LogDensity`."""

    DH_M = 1000.0   # finite-difference step in altitude for slope and curvature

    def __init__(self, atmosphere, t0_us: np.datetime64, dut1_s: float, f107_scale: float,
                 floor_km: float, density_scale: float = 1.0):
        self.atm, self.t0_us, self.dut1_s, self.f107_scale = atmosphere, t0_us, dut1_s, f107_scale
        self.log_scale = math.log(density_scale)
        # samples are never taken below this altitude (km): only points past the
        # reentry event could lie there, and models may reject them (< 0 km)
        self.floor_km = floor_km
        self.calls = 0

    def sample(self, t_s: np.ndarray, r_teme_m: np.ndarray) -> _LogDensity:
        t_s = np.atleast_1d(np.asarray(t_s, dtype=np.float64))
        times = self.t0_us + np.round(t_s * 1e6).astype("timedelta64[us]")
        theta = gmst_rad(times, self.dut1_s)
        lat, lon, alt_km = geodetic(teme_to_ecef(r_teme_m, theta))
        alt_km = np.maximum(alt_km, self.floor_km)
        dh_km = self.DH_M / 1000.0
        rho = np.asarray(self.atm.density(
            np.tile(times, 3), np.tile(lat, 3), np.tile(lon, 3),
            np.concatenate([alt_km - dh_km, alt_km, alt_km + dh_km]),
            f107_scale=self.f107_scale), dtype=np.float64)
        self.calls += 1
        n = t_s.size
        if rho.shape != (3 * n,) or not np.all(np.isfinite(rho)) or np.any(rho <= 0.0):
            bad = alt_km[np.argmin(alt_km)]
            raise InputError(f"atmosphere returned a non-positive or non-finite density "
                             f"(near {bad:.1f} km)", field="atmosphere")
        lm, l0, lp = np.log(rho[:n]), np.log(rho[n:2 * n]) + self.log_scale, np.log(rho[2 * n:])
        S = (lp - lm) / (2.0 * self.DH_M)
        C = (lp - 2.0 * l0 + lm) / self.DH_M**2
        dt = float(t_s[1] - t_s[0]) if n > 1 else 1.0
        return _LogDensity(t_s[0], dt, l0, S, C, alt_km * 1000.0)


# ---------------------------------------------------------------- equations of motion

def _make_deriv(degree: int, bc_m2_kg: float, holder: list, corotate: bool,
                mu: float = MU_EARTH_M3_S2, radius: float = R_EARTH_EQ_M):
    """Scalar equations of motion ``deriv(t, x, y, z, vx, vy, vz) -> 6-tuple`` (SI).

    Gravity: :func:`orbitsim.gravity.acceleration` unrolled in plain floats
    (3-vectors are faster in Python floats than in numpy); drag from the
    density model in ``holder[0]`` (``None`` = no drag).
    """
    k2 = mu * ZONALS[2] * radius**2
    k3 = mu * ZONALS[3] * radius**3
    k4 = mu * ZONALS[4] * radius**4
    w = OMEGA_EARTH_RAD_S if corotate else 0.0
    half_b = 0.5 * bc_m2_kg
    sqrt = math.sqrt

    def deriv(t, x, y, z, vx, vy, vz):
        r2 = x * x + y * y + z * z
        ir = 1.0 / sqrt(r2)
        ir2 = ir * ir
        rad = -mu * ir2          # component along r_hat
        zc = 0.0                 # component along -z_hat
        if degree >= 2:
            s = z * ir
            s2 = s * s
            q = k2 * ir2 * ir2
            rad += q * (7.5 * s2 - 1.5)
            zc += q * 3.0 * s
            if degree >= 3:
                q = k3 * ir2 * ir2 * ir
                p3 = 0.5 * (5.0 * s2 - 3.0) * s
                d3 = 0.5 * (15.0 * s2 - 3.0)
                rad += q * (4.0 * p3 + s * d3)
                zc += q * d3
                if degree >= 4:
                    q = k4 * ir2 * ir2 * ir2
                    p4 = (35.0 * s2 * s2 - 30.0 * s2 + 3.0) * 0.125
                    d4 = (140.0 * s2 - 60.0) * s * 0.125
                    rad += q * (5.0 * p4 + s * d4)
                    zc += q * d4
        f = rad * ir
        ax, ay, az = f * x, f * y, f * z - zc
        model = holder[0]
        if model is not None:
            rho = model.rho(t, _alt_m(x, y, z))
            vrx, vry = vx + w * y, vy - w * x
            c = -half_b * rho * sqrt(vrx * vrx + vry * vry + vz * vz)
            ax += c * vrx
            ay += c * vry
            az += c * vz
        return vx, vy, vz, ax, ay, az

    return deriv


def _rk4_path(deriv, t_s: np.ndarray, y0, floor_m: float, every: int = 2) -> np.ndarray:
    """Predicted states at the sample times ``t_s``: (n, 6).

    Classical RK4 on every ``every``-th sample time (60 s for 30 s samples:
    ~10 m per step in LEO, far inside the corrector's 1 km tolerance), cubic
    Hermite interpolation (states and their derivatives at the nodes, the
    derivatives being RK4's own first stages) in between (< 1 m). Once the path is
    below ``floor_m`` (geodetic, m) it is frozen there: such samples lie past the
    reentry event and only need to be harmless.
    """
    n = t_s.size
    idx = np.arange(0, n, every)
    if idx[-1] != n - 1:
        idx = np.append(idx, n - 1)
    tn = t_s[idx]
    yn = np.empty((idx.size, 6))
    fn = np.empty((idx.size, 6))
    y = list(map(float, y0))
    frozen = False
    for i in range(idx.size):
        yn[i] = y
        if frozen or _alt_m(*y[:3]) < floor_m:
            frozen = True
            fn[i] = 0.0
            continue
        t = float(tn[i])
        k1 = deriv(t, *y)
        fn[i] = k1
        if i == idx.size - 1:
            break
        h = float(tn[i + 1]) - t
        k2 = deriv(t + 0.5 * h, *[a + 0.5 * h * b for a, b in zip(y, k1)])
        k3 = deriv(t + 0.5 * h, *[a + 0.5 * h * b for a, b in zip(y, k2)])
        k4 = deriv(t + h, *[a + h * b for a, b in zip(y, k3)])
        y_new = [a + h / 6.0 * (b + 2.0 * c + 2.0 * d + e)
                 for a, b, c, d, e in zip(y, k1, k2, k3, k4)]
        # Drag only removes energy: a speed jump means RK4 went unstable in a stiff
        # plunge (drag time scale << step); freeze the prediction there.
        v2_old = y[3] * y[3] + y[4] * y[4] + y[5] * y[5]
        v2_new = y_new[3] * y_new[3] + y_new[4] * y_new[4] + y_new[5] * y_new[5]
        if math.isfinite(v2_new) and v2_new < 1.21 * v2_old:
            y = y_new
        else:
            frozen = True
    j = np.clip(np.searchsorted(tn, t_s, side="right") - 1, 0, idx.size - 2) if idx.size > 1 \
        else np.zeros(n, dtype=int)
    if idx.size == 1:
        return np.repeat(yn, n, axis=0)
    h = (tn[j + 1] - tn[j])[:, None]
    u = (t_s[:, None] - tn[j][:, None]) / h
    u2, u3 = u * u, u * u * u
    return ((2 * u3 - 3 * u2 + 1) * yn[j] + (u3 - 2 * u2 + u) * h * fn[j]
            + (-2 * u3 + 3 * u2) * yn[j + 1] + (u3 - u2) * h * fn[j + 1])


# ---------------------------------------------------------------- results

@dataclass
class GroundTrack:
    """Geodetic ground track: ``time_utc`` datetime64[us], ``lat_deg``, ``lon_deg`` (WGS 84, deg
    east in [-180, 180)), ``alt_km`` (geodetic altitude)."""

    time_utc: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_km: np.ndarray


@dataclass
class CowellResult:
    """Output of :func:`propagate`.

    Time series sampled every ``output_step_s`` from ``t0``, plus the final state:
    ``time_utc`` (datetime64[us]), ``r_m`` / ``v_m_s`` (N, 3) in TEME, geodetic
    ``lat_deg`` / ``lon_deg`` / ``alt_km``. ``stop_reason`` is ``"reentry"``,
    ``"until"`` or ``"max_days"``. On reentry, ``reentry_time_utc`` is the
    root-found epoch at which the geodetic altitude crosses ``stop_alt_km``
    (downwards) and ``reentry_lat_deg`` / ``reentry_lon_deg`` the geodetic point
    below it; otherwise ``None`` / NaN. ``ground_track`` covers the last
    ``track_orbits`` revolutions at ``track_step_s``. Diagnostics: ``n_rhs``
    (right-hand-side evaluations), ``n_density_calls`` (batched atmosphere
    calls), ``n_redo`` (spans re-integrated by the density corrector),
    ``n_unconverged`` (spans where the corrector still exceeded its tolerance
    after :data:`MAX_CORRECTIONS` passes; 0 in every case tested).
    ``dut1_s``: UT1 - UTC used for the Earth-fixed conversions.
    """

    t0: np.datetime64
    time_utc: np.ndarray
    r_m: np.ndarray
    v_m_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_km: np.ndarray
    stop_reason: str
    stop_alt_km: float
    reentry_time_utc: np.datetime64 | None
    reentry_lat_deg: float
    reentry_lon_deg: float
    ground_track: GroundTrack
    bc_m2_kg: float
    n_rhs: int = 0
    n_density_calls: int = 0
    n_redo: int = 0
    n_unconverged: int = 0
    dut1_s: float = field(default=0.0, repr=False)

    @property
    def reentered(self) -> bool:
        return self.stop_reason == "reentry"

    @property
    def reentry_epoch(self) -> dt.datetime | None:
        """Reentry epoch as an aware UTC datetime (``None`` if not reentered)."""
        return None if self.reentry_time_utc is None else to_datetime(self.reentry_time_utc)

    @property
    def final_time_utc(self) -> np.datetime64:
        return self.time_utc[-1]

    @property
    def final_r_m(self) -> np.ndarray:
        return self.r_m[-1]

    @property
    def final_v_m_s(self) -> np.ndarray:
        return self.v_m_s[-1]

    @property
    def elapsed_s(self) -> np.ndarray:
        """Seconds since ``t0`` for each sample."""
        return (self.time_utc - self.t0).astype(np.float64) / 1e6

    def elements(self) -> dict:
        """Osculating elements of every sample (see :func:`osculating_elements`)."""
        return osculating_elements(self.r_m, self.v_m_s)


# ---------------------------------------------------------------- propagate

def _state(vec, name: str) -> np.ndarray:
    a = np.asarray(vec, dtype=np.float64)
    if a.shape != (3,) or not np.all(np.isfinite(a)):
        raise InputError(f"{name} must be 3 finite numbers, got {vec!r}", field=name)
    return a


def _seconds_after(when, t0_us, field: str) -> float:
    sec = float((to_datetime64(when) - t0_us).astype(np.float64) / 1e6)
    if sec < 0:
        raise InputError(f"{to_datetime(when):%Y-%m-%dT%H:%M:%SZ} is before the initial epoch",
                         field=field)
    return sec


def propagate(r0_m, v0_m_s, t0, *, atmosphere, bc_m2_kg: float, until=None,
              stop_alt_km: float = 80.0, max_days: float | None = None, degree: int = 4,
              corotate: bool = True, f107_scale: float = 1.0, density_scale: float = 1.0,
              output_step_s: float = 60.0,
              track_step_s: float = 10.0, track_orbits: float = 3.0, span_s: float = 600.0,
              density_step_s: float = 30.0, max_dh_m: float = 1000.0, rtol: float = 1e-10,
              burns=(), bc_changes=(),
              progress: Callable[[float, float], None] | None = None) -> CowellResult:
    """Integrate an orbit numerically with gravity J2..J4 and drag until reentry or a time limit.

    ``r0_m`` (m) and ``v0_m_s`` (m/s): initial state in TEME (quasi-inertial,
    true-of-date); ``t0``: its epoch (aware UTC datetime or datetime64 UTC).
    ``atmosphere``: object with ``density(time_utc, lat_deg, lon_deg, alt_km,
    *, f107_scale=1.0) -> kg/m^3`` (see :mod:`orbitsim.atmosphere`), or
    ``None`` for no drag. ``bc_m2_kg``: ballistic coefficient Cd*A/m (m^2/kg).
    Stops at the first of: geodetic altitude falling to ``stop_alt_km``;
    ``until`` (datetime); ``t0 + max_days``. With neither limit given it runs
    to reentry and raises :class:`InputError` if that takes more than
    :data:`UNBOUNDED_LIMIT_DAYS`.

    ``degree``: zonal gravity degree (0 two-body, 2, 3, 4). ``corotate``: the
    atmosphere turns with the Earth (True, physical) or is at rest in TEME
    (for analytic comparisons). ``f107_scale`` is passed to the atmosphere;
    ``density_scale`` multiplies its density (ensemble members).
    ``output_step_s``: time-series sampling; ``track_step_s`` and
    ``track_orbits``: ground track of the final revolutions. ``span_s``,
    ``density_step_s``, ``max_dh_m``: density batching (module docstring).
    ``rtol``: DOP853 relative tolerance (absolute: 1e-4 m, 1e-7 m/s).

    ``burns``: impulsive manoeuvres, pairs ``(time, dv_m_s)`` or objects with
    ``.time`` and ``.dv_m_s``/``.signed_dv_m_s`` (:mod:`orbitsim.events` burns): the velocity
    changes by ``dv_m_s`` along the inertial velocity direction at ``time``
    (negative = retrograde, e.g. a deorbit burn). ``bc_changes``: pairs
    ``(time, bc_m2_kg)`` switching the ballistic coefficient from ``time`` on
    (a separation or undocking). Times must not precede ``t0``; those after the
    end of the run (reentry or limit) are not reached and have no effect.
    ``progress(elapsed_s, alt_km)`` is called after each span.

    The state is integrated in the TEME axes of ``t0`` held fixed (their
    precession-nutation drift, < 0.2"/day, is ~5 m/day in LEO); returned
    ``r_m``/``v_m_s`` are in those axes.
    """
    r0 = _state(r0_m, "r0_m")
    v0 = _state(v0_m_s, "v0_m_s")
    t0_us = to_datetime64(t0)
    degree = _check_degree(degree)
    if atmosphere is not None:
        if not (np.isfinite(bc_m2_kg) and bc_m2_kg > 0.0):
            raise InputError(f"ballistic coefficient must be positive, got {bc_m2_kg!r} m^2/kg",
                             field="bc_m2_kg")
    for name, val in (("output_step_s", output_step_s), ("track_step_s", track_step_s),
                      ("span_s", span_s), ("density_step_s", density_step_s),
                      ("f107_scale", f107_scale), ("density_scale", density_scale),
                      ("max_dh_m", max_dh_m)):
        if not (np.isfinite(val) and val > 0):
            raise InputError(f"must be positive, got {val!r}", field=name)
    schedule = []                                    # (t_s, kind, value)
    for item in burns:
        # events.DeorbitBurn keeps a positive magnitude; its sign is in signed_dv_m_s
        when, dv = ((item.time, getattr(item, "signed_dv_m_s", item.dv_m_s))
                    if hasattr(item, "dv_m_s") else item)
        if not np.isfinite(dv):
            raise InputError(f"burn dv must be finite, got {dv!r}", field="burns")
        schedule.append((_seconds_after(when, t0_us, "burns"), 0, float(dv)))
    for when, bc in bc_changes:
        if not (np.isfinite(bc) and bc > 0):
            raise InputError(f"ballistic coefficient must be positive, got {bc!r} m^2/kg",
                             field="bc_changes")
        schedule.append((_seconds_after(when, t0_us, "bc_changes"), 1, float(bc)))
    schedule.sort()
    if track_orbits < 0:
        raise InputError(f"must be >= 0, got {track_orbits!r}", field="track_orbits")

    if until is None and max_days is None:
        t_end, limit_reason = UNBOUNDED_LIMIT_DAYS * 86400.0, "unbounded"
    else:
        t_end, limit_reason = math.inf, ""
        if until is not None:
            t_end = (to_datetime64(until) - t0_us).astype(np.float64) / 1e6
            limit_reason = "until"
        if max_days is not None:
            if not (np.isfinite(max_days) and max_days > 0):
                raise InputError(f"must be positive, got {max_days!r}", field="max_days")
            if max_days * 86400.0 < t_end:
                t_end, limit_reason = max_days * 86400.0, "max_days"
        if t_end <= 0:
            raise InputError("until must be after the initial epoch", field="until")

    if not (np.isfinite(stop_alt_km) and stop_alt_km >= 0.0):
        raise InputError(f"must be a finite altitude >= 0 km, got {stop_alt_km!r}",
                         field="stop_alt_km")
    stop_alt_m = stop_alt_km * 1000.0
    alt0 = _alt_m(*r0)
    if alt0 <= stop_alt_m:
        raise InputError(f"initial altitude {alt0 / 1000:.1f} km is already at or below the "
                         f"reentry altitude {stop_alt_km} km", field="r0_m")
    el0 = osculating_elements(r0, v0)
    if not (el0["e"] < 1.0 and el0["a_m"] > 0):
        raise InputError("initial state is not a bound orbit (e >= 1)", field="v0_m_s")

    dut1 = float(np.ravel(skyfield_times(t0_us).dut1)[0])
    holder = [None]
    deriv = _make_deriv(degree, float(bc_m2_kg) if atmosphere is not None else 0.0,
                        holder, corotate)
    n_rhs = [0]

    def fun(t, y):
        n_rhs[0] += 1
        return np.array(deriv(t, *y.tolist()))

    def hit_ground(t, y):
        return _alt_m(y[0], y[1], y[2]) - stop_alt_m
    hit_ground.terminal = True
    hit_ground.direction = -1

    floor_km = max(stop_alt_km - 5.0, 0.5 * stop_alt_km) + _Sampler.DH_M / 1000.0
    sampler = (_Sampler(atmosphere, t0_us, dut1, f107_scale, floor_km, density_scale)
               if atmosphere is not None else None)
    atol = np.array([1e-4, 1e-4, 1e-4, 1e-7, 1e-7, 1e-7])
    track_window_s = track_orbits * float(el0["period_s"])

    out_t, out_y = [np.array([0.0])], [np.concatenate([r0, v0])[:, None]]
    trk = deque()            # (t, y) chunks of the ground track
    if track_orbits > 0:
        trk.append((np.array([0.0]), out_y[0]))

    t, y = 0.0, np.concatenate([r0, v0])
    anchor = sampler.sample(np.array([0.0]), r0[None, :]) if sampler else None
    n_redo = n_unconverged = 0
    first_step = None
    reentry = None
    while t < t_end:
        while schedule and schedule[0][0] <= t:     # manoeuvres / configuration changes due now
            _, kind, value = schedule.pop(0)
            if kind == 0:
                y[3:] += value * y[3:] / np.linalg.norm(y[3:])
            else:
                deriv = _make_deriv(degree, value if atmosphere is not None else 0.0,
                                    holder, corotate)
            first_step = None
        tb = min(t + span_s, t_end, schedule[0][0] if schedule else math.inf)
        if sampler is not None:
            # uniform samples (the density model assumes a constant step)
            ts = np.linspace(t, tb, max(1, math.ceil((tb - t) / density_step_s - 1e-9)) + 1)
            holder[0] = anchor.last()
            n_rhs[0] += 2 * ts.size
            path = _rk4_path(deriv, ts, y, stop_alt_m)
        for attempt in range(MAX_CORRECTIONS + 1):
            if sampler is not None:
                holder[0] = sampler.sample(ts, path[:, :3])
            sol = solve_ivp(fun, (t, tb), y, method="DOP853", rtol=rtol, atol=atol,
                            dense_output=True, events=hit_ground,
                            first_step=None if first_step is None else min(first_step, tb - t))
            if sol.status < 0:
                raise RuntimeError(f"Cowell integration failed at t0 + {t:.0f} s: {sol.message}")
            if sampler is None:
                break
            actual = sol.sol(ts).T
            alt_act = np.array([_alt_m(*p) for p in actual[:, :3]])
            alt_path = np.array([_alt_m(*p) for p in path[:, :3]])
            dpos = np.linalg.norm(actual[:, :3] - path[:, :3], axis=1)
            valid = ts <= sol.t[-1]
            if (np.max(np.abs(alt_act - alt_path)[valid]) <= max_dh_m
                    and np.max(dpos[valid]) <= 10.0 * max_dh_m):
                break
            if attempt == MAX_CORRECTIONS:   # keep the last pass, and say so in the result
                n_unconverged += 1
                break
            n_redo += 1
            path = actual
            path[~valid] = sol.y[:, -1]     # past a reentry event: park at the event state
        if sol.t.size > 1:
            first_step = float(sol.t[-1] - sol.t[-2])
        t_new = float(sol.t[-1])
        # sample outputs inside (t, t_new]
        k0 = math.floor(t / output_step_s) + 1
        grid = np.arange(k0, math.floor(t_new / output_step_s) + 1) * output_step_s
        grid = grid[grid > t]
        if grid.size:
            out_t.append(grid)
            out_y.append(sol.sol(grid))
        if track_orbits > 0:
            g = np.arange(math.floor(t / track_step_s) + 1,
                          math.floor(t_new / track_step_s) + 1) * track_step_s
            g = g[g > t]
            if g.size:
                trk.append((g, sol.sol(g)))
                while len(trk) > 1 and trk[1][0][0] < t_new - track_window_s:
                    trk.popleft()
        y = sol.y[:, -1].copy()
        t = t_new
        if sampler is not None:
            anchor = holder[0]
        if sol.status == 1:   # terminal event: reentry
            reentry = (float(sol.t_events[0][0]), sol.y_events[0][0].copy())
            t, y = reentry
            break
        if progress is not None:
            progress(t, _alt_m(*y[:3]) / 1000.0)

    if reentry is None and limit_reason == "unbounded":
        raise InputError(f"no reentry to {stop_alt_km} km within {UNBOUNDED_LIMIT_DAYS:.0f} days "
                         "of Cowell propagation; give until= or max_days=, or use the "
                         "orbit-averaged propagator", field="max_days")
    # final state (reentry point or end time) if not already on the output grid
    if out_t[-1][-1] < t - 1e-9:
        out_t.append(np.array([t]))
        out_y.append(y[:, None])
        if track_orbits > 0:
            trk.append((np.array([t]), y[:, None]))

    tt = np.concatenate(out_t)
    yy = np.concatenate(out_y, axis=1).T
    times = t0_us + np.round(tt * 1e6).astype("timedelta64[us]")
    lat, lon, alt = geodetic(teme_to_ecef(yy[:, :3], gmst_rad(times, dut1)))

    if track_orbits > 0:
        gt = np.concatenate([c[0] for c in trk])
        gy = np.concatenate([c[1] for c in trk], axis=1).T
        keep = gt >= t - track_window_s
        gt, gy = gt[keep], gy[keep]
    else:
        gt, gy = np.array([t]), y[None, :]
    gtimes = t0_us + np.round(gt * 1e6).astype("timedelta64[us]")
    glat, glon, galt = geodetic(teme_to_ecef(gy[:, :3], gmst_rad(gtimes, dut1)))
    track = GroundTrack(gtimes, glat, glon, galt)

    if reentry is not None:
        stop_reason = "reentry"
        rt = times[-1]
        rlat, rlon = float(lat[-1]), float(lon[-1])
    else:
        stop_reason = limit_reason
        rt, rlat, rlon = None, math.nan, math.nan
    return CowellResult(
        t0=t0_us, time_utc=times, r_m=yy[:, :3], v_m_s=yy[:, 3:], lat_deg=lat, lon_deg=lon,
        alt_km=alt, stop_reason=stop_reason, stop_alt_km=float(stop_alt_km),
        reentry_time_utc=rt, reentry_lat_deg=rlat, reentry_lon_deg=rlon, ground_track=track,
        bc_m2_kg=float(bc_m2_kg), n_rhs=n_rhs[0],
        n_density_calls=sampler.calls if sampler else 0, n_redo=n_redo,
        n_unconverged=n_unconverged, dut1_s=dut1)

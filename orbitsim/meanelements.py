"""Orbit-averaged (semi-analytic) mean-element propagation for months to years.

State (per ensemble member, arrays of shape ``(m,)``): mean semi-major axis
``a`` (m), eccentricity ``e``, inclination ``i``, right ascension of the
ascending node ``raan``, argument of perigee ``argp`` and mean anomaly ``M``
(rad), in the TEME frame of the element sets.

Gravity: J2 secular rates (Vallado 2013, *Fundamentals of Astrodynamics and
Applications*, 4th ed., §9.6, Eq. 9-41), with ``p = a(1 - e^2)`` and
``n = sqrt(mu / a^3)``::

    dRAAN/dt = -3/2 n J2 (R/p)^2 cos i
    dargp/dt =  3/4 n J2 (R/p)^2 (4 - 5 sin^2 i)
    dM/dt    =  n [1 + 3/4 J2 (R/p)^2 sqrt(1 - e^2) (2 - 3 sin^2 i)]

Drag: Gauss's variational equations in the RSW frame (Vallado 2013 Eq. 9-24)
for ``a``, ``e``, ``i`` and ``RAAN``, with the drag acceleration
``f = -1/2 B rho |v_rel| v_rel`` (``B = Cd A / m`` in m^2/kg,
``v_rel = v - omega_E x r``: the atmosphere co-rotates with the Earth, which
is what makes drag change the inclination; King-Hele 1987, *Satellite Orbits
in an Atmosphere*, ch. 3 and 9), averaged over one revolution::

    <g> = (1/2 pi) int g dM = (1/N) sum_k g(E_k) (1 - e cos E_k)

by the trapezoidal rule in eccentric anomaly ``E`` (N equally spaced
points). The integrand is periodic and smooth, so the trapezoidal rule
integrates its Fourier harmonics below N exactly (spectral accuracy); the
density along a near-circular LEO orbit varies with latitude (oblate Earth:
geodetic altitude varies by ~13 km over a 51.6 deg orbit, two cycles per
revolution) and local solar time (day-side bulge, one cycle), so N = 8
already resolves it to ~0.15 % of the N = 64 value and N = 16 (single runs,
the default) to ~0.05 % (tested). The residual errors oscillate with the
orbit's phase and average out over the steps: ensembles use N = 6
(:func:`orbitsim.reentry.ensemble`, lifetime within 0.04 % of N = 16).

The density is evaluated at the **real positions** of the coming revolution:
Keplerian positions from the mean elements, Earth-fixed via the IAU 1982
GMST (:func:`orbitsim.cowell.gmst_rad`, UT1-UTC taken at the start),
WGS 84 geodetic latitude, longitude and altitude
(:func:`orbitsim.cowell.geodetic`) at the epoch each point is reached (so
Earth rotation during the revolution and the day-side bulge are honoured).
Approximation: J2 short-period terms in the radius (~1-2 km) are neglected
in those positions; drag effects on ``argp`` and ``M`` other than through
``a`` are neglected (they do not change the lifetime; King-Hele 1987 ch. 4).

Integration: classical RK4 on the averaged equations with steps of many
revolutions: ``h = min(max_step, da_max / |da/dt|)`` (default ``da_max`` 2 km,
and at most a tenth of the density scale height at perigee, so the RK4 stages
stay well inside one scale height below 150 km; ``max_step`` 2 days with
day-by-day observed space weather -- RK4's stages then still sample every day --
and 4 days with constant activity levels), cut to land on timed events, and aimed at the crossing of
the event altitudes (reboost trigger, handover perigee) so that those events
fire within ``EVENT_TOL_M`` (10 m) of their altitude. Members are vectorised:
one atmosphere call per RK stage for all active members.

>>> import numpy as np
>>> rd, ad, md = j2_secular_rates(np.array([6778137.0]), np.array([0.0]), np.radians([51.64]))
>>> round(float(np.degrees(rd[0]) * 86400), 2), round(float(np.degrees(ad[0]) * 86400), 2)
(-5.0, 3.73)
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np

from .constants import J2, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_EQ_M
from .errors import InputError
from .timeutil import skyfield_times, to_datetime64

#: Event altitudes are hit within this tolerance (m).
EVENT_TOL_M = 10.0
#: Smallest step (s) the event aiming may take.
MIN_STEP_S = 1.0
#: Density scale heights (km) against altitude (km), Vallado (2013) Table 8-4:
#: the step keeps the change of perigee altitude below H / 10, so the RK4
#: stages stay in the linear range of exp(-dh / H) even below 150 km where H
#: falls to 6-20 km.
_H_TABLE_ALT_KM = np.array([80, 90, 100, 110, 120, 130, 140, 150, 180, 200, 250, 300, 350, 400])
_H_TABLE_KM = np.array([5.8, 5.4, 5.9, 7.3, 9.5, 12.6, 16.1, 22.5, 29.7, 37.1, 45.5, 53.6, 53.3,
                        58.5])
TWO_PI = 2.0 * math.pi


# ------------------------------------------------------------------ state
@dataclasses.dataclass
class MeanState:
    """Mean elements of ``m`` members: ``a_m`` (m), ``e``, ``inc_rad``, ``raan_rad``,
    ``argp_rad``, ``m_rad`` (arrays of shape ``(m,)``)."""

    a_m: np.ndarray
    e: np.ndarray
    inc_rad: np.ndarray
    raan_rad: np.ndarray
    argp_rad: np.ndarray
    m_rad: np.ndarray

    @classmethod
    def from_array(cls, y: np.ndarray) -> "MeanState":
        return cls(*(np.array(r, dtype=float) for r in y))

    def to_array(self) -> np.ndarray:
        return np.stack([self.a_m, self.e, self.inc_rad, self.raan_rad, self.argp_rad,
                         self.m_rad]).astype(float)

    @property
    def size(self) -> int:
        return int(np.size(self.a_m))

    def repeat(self, m: int) -> "MeanState":
        """The same elements for ``m`` members."""
        return MeanState.from_array(np.repeat(self.to_array()[:, :1], m, axis=1))


def from_element_set(elements, when=None) -> tuple[np.datetime64, MeanState]:
    """SGP4 mean elements of an :class:`orbitsim.elements.ElementSet` (or anything
    with ``.satrec``) as a one-member :class:`MeanState`, at the element epoch or
    at ``when`` (aware datetime or datetime64).

    At ``when`` the elements are SGP4's own secularly updated mean elements
    (``Satrec.am, em, im, Om, om, mm`` after a call: J2/J4 secular rates and the
    B* drag secular terms; Hoots & Roehrich 1980, Spacetrack Report #3).
    ``a`` is the Brouwer mean semi-major axis SGP4 uses (``satrec.a``, Earth
    radii of WGS 72).
    """
    sr = elements.satrec
    re_m = sr.radiusearthkm * 1000.0
    epoch = np.datetime64("1949-12-31T00:00", "us") + np.timedelta64(
        int(round((sr.jdsatepoch - 2433281.5 + sr.jdsatepochF) * 86400e6)), "us")
    if when is None:
        y = [sr.a * re_m, sr.ecco, sr.inclo, sr.nodeo, sr.argpo, sr.mo]
        t = epoch
    else:
        t = to_datetime64(when)
        days = (t - epoch).astype(np.float64) / 86400e6
        err, _, _ = sr.sgp4(sr.jdsatepoch, sr.jdsatepochF + days)
        if err != 0:
            raise InputError(f"SGP4 error {err} propagating the element set to the start",
                             field="start")
        y = [sr.am * re_m, sr.em, sr.im, sr.Om, sr.om, sr.mm]
    y = np.array(y, dtype=float)[:, None]
    y[3:] = np.mod(y[3:], TWO_PI)
    return t, MeanState.from_array(y)


# ------------------------------------------------------------------ Kepler
def kepler_E(m_rad, e, iterations: int = 8) -> np.ndarray:
    """Eccentric anomaly from mean anomaly (Newton, Vallado 2013 Alg. 2), rad."""
    m = np.mod(m_rad, TWO_PI)
    E = np.where(e < 0.8, m, np.pi)
    for _ in range(iterations):
        E = E - (E - e * np.sin(E) - m) / (1.0 - e * np.cos(E))
    return E


def _rotation(inc, raan, argp):
    """Columns P, Q, W (..., 3) of the perifocal-to-inertial rotation (Vallado Eq. 3-30ish)."""
    ci, si = np.cos(inc), np.sin(inc)
    cO, sO = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    P = np.stack([cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si], axis=-1)
    Q = np.stack([-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si], axis=-1)
    W = np.stack([sO * si, -cO * si, ci], axis=-1)
    return P, Q, W


def state_from_elements(a_m, e, inc_rad, raan_rad, argp_rad, E_rad, mu=MU_EARTH_M3_S2):
    """Keplerian position (m) and velocity (m/s), shape ``(..., 3)``, at eccentric anomaly E.

    Arguments broadcast; element arrays of shape ``(m,)`` with ``E`` of shape
    ``(m, N)`` need ``[:, None]`` on the elements (done by the caller).
    """
    a, e = np.asarray(a_m, float), np.asarray(e, float)
    cE, sE = np.cos(E_rad), np.sin(E_rad)
    b = np.sqrt(1.0 - e * e)
    n = np.sqrt(mu / a**3)
    x, y = a * (cE - e), a * b * sE
    rdot = n * a / (1.0 - e * cE)
    vx, vy = -rdot * sE, rdot * b * cE
    P, Q, _ = _rotation(np.asarray(inc_rad, float), np.asarray(raan_rad, float),
                        np.asarray(argp_rad, float))
    r = x[..., None] * P + y[..., None] * Q
    v = vx[..., None] * P + vy[..., None] * Q
    return r, v


def elements_from_state(r_m, v_m_s, mu=MU_EARTH_M3_S2) -> MeanState:
    """Osculating Keplerian elements of states ``(m, 3)`` as a :class:`MeanState`
    (Vallado 2013 Alg. 9 via :func:`orbitsim.cowell.osculating_elements`; argument
    of perigee measured from the node; for circular orbits ``e`` = 0 and ``argp`` = 0
    with ``M`` the argument of latitude)."""
    from .cowell import osculating_elements

    el = osculating_elements(np.atleast_2d(np.asarray(r_m, float)),
                             np.atleast_2d(np.asarray(v_m_s, float)), mu_m3_s2=mu)
    e = el["e"]
    argp = np.where(e < 1e-12, 0.0, np.radians(el["argp_deg"]))
    nu = np.radians(el["arg_lat_deg"]) - argp
    E = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(nu / 2), np.sqrt(1.0 + e) * np.cos(nu / 2))
    M = E - e * np.sin(E)
    return MeanState(el["a_m"], e, np.radians(el["inclination_deg"]), np.radians(el["raan_deg"]),
                     np.mod(argp, TWO_PI), np.mod(M, TWO_PI))


# ------------------------------------------------------------------ rates
def j2_secular_rates(a_m, e, inc_rad, *, mu=MU_EARTH_M3_S2, j2=J2, r_eq_m=R_EARTH_EQ_M):
    """J2 secular rates (rad/s) of RAAN, argument of perigee and mean anomaly.

    Vallado (2013) §9.6, Eq. 9-41 (first order in J2; the mean anomaly rate
    includes the Keplerian mean motion).
    """
    a = np.asarray(a_m, float)
    e = np.asarray(e, float)
    i = np.asarray(inc_rad, float)
    n = np.sqrt(mu / a**3)
    p = a * (1.0 - e * e)
    k = j2 * (r_eq_m / p) ** 2
    s2 = np.sin(i) ** 2
    raan_dot = -1.5 * n * k * np.cos(i)
    argp_dot = 0.75 * n * k * (4.0 - 5.0 * s2)
    m_dot = n * (1.0 + 0.75 * k * np.sqrt(1.0 - e * e) * (2.0 - 3.0 * s2))
    return raan_dot, argp_dot, m_dot


@dataclasses.dataclass
class DragParams:
    """Per-member drag inputs (arrays of shape ``(m,)``): ``bc_m2_kg`` = Cd A/m
    (m^2/kg), ``f107_scale`` (multiplies F10.7 and its 81-day mean),
    ``density_scale`` (multiplies the density), ``cda`` (Cd A / m of the
    configuration, used to rescale ``bc_m2_kg`` at configuration changes)."""

    bc_m2_kg: np.ndarray
    f107_scale: np.ndarray
    density_scale: np.ndarray
    cda: np.ndarray | None = None      # configuration Cd A / m (for ConfigChange scaling)

    def take(self, idx) -> "DragParams":
        return DragParams(self.bc_m2_kg[idx], self.f107_scale[idx], self.density_scale[idx])


class AveragedDynamics:
    """Right-hand side of the orbit-averaged equations.

    atmosphere : object with ``density(time_utc, lat_deg, lon_deg, alt_km, *, f107_scale)``
                 (kg/m^3), or ``None`` (no drag)
    t0         : datetime64[us] epoch of ``t = 0``
    n_quad     : quadrature points per revolution (eccentric anomaly)
    corotate   : the atmosphere turns with the Earth (True, physical)
    """

    def __init__(self, atmosphere, t0, *, n_quad: int = 16, corotate: bool = True,
                 dut1_s: float | None = None):
        from .cowell import gmst_rad  # numeric core; shared frame conventions

        if int(n_quad) < 4:
            raise InputError("need at least 4 quadrature points per revolution", field="n_quad")
        self.atmosphere = atmosphere
        self.t0 = to_datetime64(t0)
        self.n_quad = int(n_quad)
        self.corotate = bool(corotate)
        if dut1_s is None:
            dut1_s = float(np.ravel(skyfield_times(self.t0).dut1)[0])
        self.dut1_s = dut1_s
        self._gmst = gmst_rad
        self.E = (np.arange(self.n_quad) + 0.5) * (TWO_PI / self.n_quad)
        self.cE, self.sE = np.cos(self.E)[None, :], np.sin(self.E)[None, :]
        self.n_density_points = 0

    def time(self, t_s) -> np.ndarray:
        return self.t0 + np.round(np.asarray(t_s, float) * 1e6).astype("timedelta64[us]")

    def rates(self, t_s, y: np.ndarray, drag: DragParams) -> tuple[np.ndarray, np.ndarray]:
        """d/dt of the state ``y`` (6, m) at ``t_s`` seconds from ``t0`` (scalar or (m,)).

        Returns ``(dydt (6, m), mean density along the orbit (m,) kg/m^3)``.
        """
        a, e, inc, raan, argp, M = y
        e = np.clip(e, 0.0, 0.99)
        raan_dot, argp_dot, m_dot = j2_secular_rates(a, e, inc)
        out = np.zeros_like(y)
        out[2] = 0.0
        out[3], out[4], out[5] = raan_dot, argp_dot, m_dot
        m = a.size
        if self.atmosphere is None or m == 0:
            return out, np.zeros(m)
        from .cowell import geodetic

        E = self.E[None, :]
        ec, aa, ii = e[:, None], a[:, None], inc[:, None]
        cE, sE = self.cE, self.sE
        n = np.sqrt(MU_EARTH_M3_S2 / a**3)
        nn = n[:, None]
        tau = np.mod(E - ec * sE - M[:, None], TWO_PI) / nn       # s after t to reach E_k
        b = np.sqrt(1.0 - ec * ec)
        rn = aa * (1.0 - ec * cE)
        cnu = (cE - ec) / (1.0 - ec * cE)                         # true anomaly
        snu = b * sE / (1.0 - ec * cE)
        cw, sw = np.cos(argp)[:, None], np.sin(argp)[:, None]
        cu, su = cnu * cw - snu * sw, snu * cw + cnu * sw           # argument of latitude
        ci, si = np.cos(ii), np.sin(ii)
        # Earth-fixed position: rotate the node by RAAN - GMST(t + tau)
        t_arr = np.asarray(t_s, float)
        if t_arr.ndim == 0 or np.all(t_arr == t_arr.flat[0]):
            theta0 = float(self._gmst(self.time(float(t_arr.flat[0])), self.dut1_s))
            t_now = self.time(float(t_arr.flat[0]))
        else:
            t_now = self.time(t_arr)[:, None]
            theta0 = self._gmst(t_now, self.dut1_s)
        lam = raan[:, None] - theta0 - OMEGA_EARTH_RAD_S * tau
        cl, sl = np.cos(lam), np.sin(lam)
        ecef = np.empty(rn.shape + (3,))
        ecef[..., 0] = rn * (cu * cl - su * ci * sl)
        ecef[..., 1] = rn * (cu * sl + su * ci * cl)
        ecef[..., 2] = rn * su * si
        lat, lon, alt = geodetic(ecef)
        alt = np.maximum(alt, 0.0)      # an RK stage below the surface (last seconds)
        times = t_now + np.round(tau * 1e6).astype("timedelta64[us]")
        scale = drag.f107_scale[:, None]
        kw = {} if np.all(scale == 1.0) else {"f107_scale": np.broadcast_to(scale, alt.shape)}
        rho = self.atmosphere.density(times, lat, lon, alt, **kw)
        rho = np.asarray(rho, float) * drag.density_scale[:, None]
        self.n_density_points += rho.size
        # velocity relative to the atmosphere in RSW (radial, along-track, normal):
        # v = sqrt(mu/p) (e sin nu, 1 + e cos nu, 0); omega_E z x r has RSW
        # components (0, omega r cos i, -omega r sin i cos u).
        p = aa * b * b
        vp = np.sqrt(MU_EARTH_M3_S2 / p)
        wr = OMEGA_EARTH_RAD_S * rn if self.corotate else 0.0 * rn
        vR = vp * ec * snu
        vS = vp * (1.0 + ec * cnu) - wr * ci
        vW = wr * si * cu
        k = -0.5 * drag.bc_m2_kg[:, None] * rho * np.sqrt(vR * vR + vS * vS + vW * vW)
        FR, FS, FW = k * vR, k * vS, k * vW                        # m/s^2
        # Gauss's equations (Vallado 2013 Eq. 9-24), RSW components
        da = 2.0 / (nn * b) * (ec * snu * FR + p / rn * FS)
        de = b / (nn * aa) * (snu * FR + (cnu + cE) * FS)
        di = rn * cu / (nn * aa * aa * b) * FW
        sin_i = np.maximum(np.abs(si), 1e-9)
        dO = rn * su / (nn * aa * aa * b * sin_i) * FW
        w = (1.0 - ec * cE) / self.n_quad                       # dM = (1 - e cos E) dE
        out[0] = np.sum(w * da, axis=1)
        out[1] = np.sum(w * de, axis=1)
        out[2] = np.sum(w * di, axis=1)
        out[3] += np.sum(w * dO, axis=1)
        # e cannot go negative: near-circular drag leaves e at zero
        out[1] = np.where((e <= 0.0) & (out[1] < 0), 0.0, out[1])
        return out, np.sum(w * rho, axis=1)


# ------------------------------------------------------------------ integration
@dataclasses.dataclass
class Trajectory:
    """Output of :func:`propagate`.

    ``t_s`` (K, m) seconds from ``t0`` of each record (members step
    independently); ``y`` (K, 6, m) states; ``dydt`` (K, 6, m) rates
    (``dydt[:, 0]`` = da/dt in m/s); ``rho`` (K, m) orbit-mean density
    (kg/m^3); ``active`` (K, m) the member was propagating (records where it is
    False repeat its final state). ``end_t_s`` (m,) last time of each member.
    ``stop_t_s`` (m,) time each member reached the stop perigee altitude (NaN if
    not), ``stop_state`` (6, m) its state then. ``burns``: list of dicts
    (``time``, ``member``, ``dv_m_s``, ``kind``, ``label``, ``alt_before_km``,
    ``alt_after_km``, ``propellant_kg``). ``end_t_s``: last time reached.
    """

    t0: np.datetime64
    t_s: np.ndarray
    y: np.ndarray
    dydt: np.ndarray
    rho: np.ndarray
    active: np.ndarray
    stop_t_s: np.ndarray
    stop_state: np.ndarray
    burns: list
    end_t_s: np.ndarray
    bc_m2_kg: np.ndarray
    bc_m2_kg_initial: np.ndarray | None = None
    n_steps: int = 0
    n_density_points: int = 0

    @property
    def time_utc(self) -> np.ndarray:
        """(K, m) datetime64[us]."""
        return self.t0 + np.round(self.t_s * 1e6).astype("timedelta64[us]")

    def member(self, j: int = 0):
        """(t_s (K',), y (K', 6), dydt (K', 6), rho (K',)) of member ``j``'s active records."""
        keep = self.active[:, j]
        return self.t_s[keep, j], self.y[keep, :, j], self.dydt[keep, :, j], self.rho[keep, j]

    @property
    def stop_time_utc(self) -> np.ndarray:
        """datetime64[us] per member (NaT where not stopped)."""
        out = np.full(self.stop_t_s.shape, np.datetime64("NaT"), dtype="datetime64[us]")
        ok = np.isfinite(self.stop_t_s)
        out[ok] = self.t0 + np.round(self.stop_t_s[ok] * 1e6).astype("timedelta64[us]")
        return out


def _hermite_crossing(q0, q1, d0, d1, h, level):
    """Fraction s in [0, 1] of a step of length h at which the cubic Hermite
    interpolant of q (values q0, q1, derivatives d0, d1) crosses ``level``."""
    s = np.clip((q0 - level) / np.where(q0 != q1, q0 - q1, 1.0), 0.0, 1.0)
    for _ in range(6):
        s2, s3 = s * s, s * s * s
        h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
        f = h00 * q0 + h10 * h * d0 + h01 * q1 + h11 * h * d1 - level
        df = ((6 * s2 - 6 * s) * q0 + (3 * s2 - 4 * s + 1) * h * d0 + (-6 * s2 + 6 * s) * q1
              + (3 * s2 - 2 * s) * h * d1)
        s = np.clip(s - f / np.where(df != 0, df, -1.0), 0.0, 1.0)
    return s


def _hermite(x0, x1, d0, d1, h, s):
    s2, s3 = s * s, s * s * s
    return ((2 * s3 - 3 * s2 + 1) * x0 + (s3 - 2 * s2 + s) * h * d0 + (-2 * s3 + 3 * s2) * x1
            + (s3 - s2) * h * d1)


def propagate(t0, state: MeanState, *, atmosphere, bc_m2_kg, f107_scale=1.0,
              density_scale=1.0, mass_kg=1.0, cda_m_kg=None, stop_perigee_alt_km: float = 200.0,
              until=None, max_days: float = 365.25 * 50, events=None, n_quad: int = 16,
              max_step_days: float | None = None, da_max_km: float = 2.0,
              corotate: bool = True, dut1_s: float | None = None,
              progress: Callable[[float, float], None] | None = None) -> Trajectory:
    """Propagate mean elements until every member's perigee altitude
    ``a(1-e) - R_eq`` reaches ``stop_perigee_alt_km``, or ``until``/``max_days``.

    ``t0``: epoch of ``state`` (aware datetime or datetime64). ``bc_m2_kg``,
    ``f107_scale``, ``density_scale``, ``mass_kg`` (for propellant),
    ``cda_m_kg`` (configuration Cd A/m; default ``bc_m2_kg``): scalars or arrays
    ``(m,)`` broadcast to the members (a one-member ``state`` is repeated).
    ``events``: an :class:`orbitsim.events.Schedule` or ``None``.

    Each member advances with its own step (vectorised: the members' stages
    are evaluated together, at their own epochs), so a fast-decaying member
    does not force small steps on the others. The crossing of the stop
    altitude is located inside the last step by cubic Hermite interpolation of
    the perigee radius (values and rates at both ends); angles are moved back
    from the step end with the trapezoidal mean of their rates.
    ``progress(t_s, min_perigee_alt_km)`` is called after each step.
    """
    t0 = to_datetime64(t0)
    shapes = [np.shape(x) for x in (bc_m2_kg, f107_scale, density_scale, mass_kg)]
    m = max([state.size] + [int(np.prod(s)) for s in shapes if s])
    if state.size == 1 and m > 1:
        state = state.repeat(m)
    try:
        drag = DragParams(*(np.broadcast_to(np.asarray(x, float), (m,)).copy()
                            for x in (bc_m2_kg, f107_scale, density_scale)))
        mass = np.broadcast_to(np.asarray(mass_kg, float), (m,)).copy()
        drag.cda = (drag.bc_m2_kg.copy() if cda_m_kg is None
                    else np.broadcast_to(np.asarray(cda_m_kg, float), (m,)).copy())
    except ValueError:
        raise InputError(f"ensemble parameters do not match {m} members", field="members") from None
    bc_initial = drag.bc_m2_kg.copy()
    if atmosphere is not None and not np.all(np.isfinite(drag.bc_m2_kg) & (drag.bc_m2_kg > 0)):
        raise InputError("ballistic coefficient must be positive", field="bc_m2_kg")
    if np.any(drag.f107_scale <= 0) or np.any(drag.density_scale <= 0):
        raise InputError("f107_scale and density_scale must be positive", field="ensemble")
    dyn = AveragedDynamics(atmosphere, t0, n_quad=n_quad, corotate=corotate, dut1_s=dut1_s)
    if max_step_days is None:
        # observed space weather changes daily: 2-day RK4 steps still sample every
        # day (stages at t, t + 1 d, t + 2 d); constant activity: 4 days (the
        # orbit-plane / Sun geometry has a ~60-day cycle for the ISS).
        sw = getattr(atmosphere, "space_weather", None)
        max_step_days = 2.0 if getattr(sw, "kind", "constant") == "observed" else 4.0
    h_max = max_step_days * 86400.0
    da_max = da_max_km * 1000.0
    q_stop = R_EARTH_EQ_M + stop_perigee_alt_km * 1000.0
    t_end = max_days * 86400.0
    if until is not None:
        t_end = min(t_end, float((to_datetime64(until) - t0).astype(np.float64) / 1e6))
        if t_end <= 0:
            raise InputError("until must be after the start", field="until")
    bounds = events.boundaries_s(t0) if events is not None else np.zeros(0)
    bounds = np.append(bounds[(bounds > 0) & (bounds < t_end)], t_end)

    y = state.to_array()
    if np.any(y[0] * (1 - y[1]) <= q_stop + EVENT_TOL_M):
        raise InputError(f"perigee altitude {float(np.min(y[0] * (1 - y[1]) - R_EARTH_EQ_M)) / 1e3:.1f}"
                         f" km is already at or below {stop_perigee_alt_km:g} km", field="elements")
    t = np.zeros(m)
    active = np.ones(m, dtype=bool)
    stop_t = np.full(m, np.nan)
    stop_state = np.full((6, m), np.nan)
    burns: list = []

    def f_at(tt, yy, act):
        out = np.zeros_like(yy)
        rho = np.zeros(yy.shape[1])
        if np.any(act):
            d, r = dyn.rates(tt[act], yy[:, act], drag.take(act))
            out[:, act] = d
            rho[act] = r
        return out, rho

    k, rho = f_at(t, y, active)
    rec = [(t.copy(), y.copy(), k.copy(), rho.copy(), active.copy())]
    n_steps = 0
    while np.any(active):
        act = active
        a, e = y[0], y[1]
        adot = k[0]
        h = np.full(m, h_max)
        rate = np.abs(adot)
        perigee_km = (a * (1 - e) - R_EARTH_EQ_M) / 1000.0
        dq_max = np.minimum(da_max, 100.0 * np.interp(perigee_km, _H_TABLE_ALT_KM, _H_TABLE_KM))
        h = np.where(rate > 0, np.minimum(h, dq_max / np.where(rate > 0, rate, 1.0)), h)
        if events is not None:
            trig, _, _ = events.policy_arrays(t, t0)
            fall = (adot < 0) & np.isfinite(trig) & (a > trig)
            aim = (a - np.where(fall, trig, 0.0) + EVENT_TOL_M / 2) / np.where(fall, -adot, 1.0)
            h = np.where(fall, np.minimum(h, np.maximum(aim, MIN_STEP_S)), h)
        nxt = bounds[np.minimum(np.searchsorted(bounds, t + 1e-6, side="right"), bounds.size - 1)]
        h = np.minimum(h, nxt - t)
        h = np.where(act, h, 0.0)
        hh = h[None, :]
        tm = t + h / 2
        k1 = k
        k2, _ = f_at(tm, y + hh / 2 * k1, act)
        k3, _ = f_at(tm, y + hh / 2 * k2, act)
        k4, _ = f_at(t + h, y + hh * k3, act)
        y_new = y + hh / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        y_new[1] = np.clip(y_new[1], 0.0, 0.99)
        t_new = t + h
        k_new, rho_new = f_at(t_new, y_new, act)
        n_steps += 1
        # stop (handover) crossing inside the step
        q0, q1 = y[0] * (1 - y[1]), y_new[0] * (1 - y_new[1])
        d0 = k[0] * (1 - y[1]) - y[0] * k[1]
        d1 = k_new[0] * (1 - y_new[1]) - y_new[0] * k_new[1]
        hit = act & (q1 <= q_stop + EVENT_TOL_M)
        if np.any(hit):
            j = np.nonzero(hit)[0]
            s = _hermite_crossing(q0[j], q1[j], d0[j], d1[j], h[j], q_stop)
            ys = np.empty((6, j.size))
            for c in (0, 1):
                ys[c] = _hermite(y[c, j], y_new[c, j], k[c, j], k_new[c, j], h[j], s)
            back = (1.0 - s) * h[j]
            for c in (2, 3, 4, 5):
                r_mid = k_new[c, j] + (k[c, j] - k_new[c, j]) * (1.0 - s) / 2.0
                ys[c] = y_new[c, j] - back * r_mid
            ys[3:] = np.mod(ys[3:], TWO_PI)
            stop_t[j] = t[j] + s * h[j]
            stop_state[:, j] = ys
            y_new[:, j] = ys
            t_new[j] = stop_t[j]
            k_new[:, j], rho_new[j] = 0.0, rho_new[j]
        y_new[3:] = np.mod(y_new[3:], TWO_PI)
        y, t, k, rho = y_new, t_new, k_new, rho_new
        changed = np.zeros(m, dtype=bool)
        live = act & ~hit
        if events is not None:
            # timed events at the members' current times
            on_b = live & np.isclose(t, nxt, atol=1e-6, rtol=0) & (nxt < t_end)
            for tb in np.unique(t[on_b]):
                idx = np.nonzero(on_b & (t == tb))[0]
                rec.append((t.copy(), y.copy(), k.copy(), rho.copy(), active.copy()))
                y = events.apply_timed(float(tb), t0, y, drag, mass, idx, burns)
                changed[idx] = True
            trig, targ, isp = events.policy_arrays(t, t0)
            fire = live & np.isfinite(trig) & (y[0] <= trig + EVENT_TOL_M)
            if np.any(fire):
                idx = np.nonzero(fire)[0]
                if not np.any(changed):
                    rec.append((t.copy(), y.copy(), k.copy(), rho.copy(), active.copy()))
                y = events.apply_reboost(t, t0, y, mass, idx, targ[idx], isp[idx], burns)
                changed[idx] = True
            if np.any(changed):
                kc, rc = f_at(t, y, changed)
                k[:, changed], rho[changed] = kc[:, changed], rc[changed]
            # a burn may drop the perigee below the stop altitude: stop there
            low = live & changed & (y[0] * (1 - y[1]) <= q_stop + EVENT_TOL_M)
            if np.any(low):
                stop_t[low] = t[low]
                stop_state[:, low] = y[:, low]
                hit = hit | low
        rec.append((t.copy(), y.copy(), k.copy(), rho.copy(), active.copy()))
        active = active & ~hit & (t < t_end - 1e-6)
        k[:, ~active] = 0.0
        if progress is not None and np.any(active):
            progress(float(np.min(t[active])),
                     float(np.min((y[0] * (1 - y[1]))[active]) - R_EARTH_EQ_M) / 1000.0)
    ts, ys, ks, rs, acts = (np.array(z) for z in zip(*rec))
    return Trajectory(t0=t0, t_s=ts, y=ys, dydt=ks, rho=rs, active=acts, stop_t_s=stop_t,
                      stop_state=stop_state, burns=burns, end_t_s=t, bc_m2_kg=drag.bc_m2_kg,
                      bc_m2_kg_initial=bc_initial, n_steps=n_steps, n_density_points=dyn.n_density_points)

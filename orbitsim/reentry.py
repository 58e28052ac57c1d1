"""Decay and reentry: the public :func:`decay` and :func:`ensemble`.

Method
------
1. **Orbit-averaged phase** (:mod:`orbitsim.meanelements`): SGP4 mean elements
   at the start, J2 secular rates and Gauss's equations for drag averaged over
   each revolution by quadrature of the density model along the orbit
   (NRLMSISE-00 by default, Picone et al. 2002), with reboosts, burns and
   configuration changes (:mod:`orbitsim.events`), until the perigee altitude
   reaches ``handover_alt_km`` (200 km).
2. **Cowell phase** (:mod:`orbitsim.cowell`): the mean elements are turned into
   a TEME state vector -- Keplerian position and velocity at the mean anomaly,
   with the speed then adjusted so that the osculating semi-major axis
   averaged over one drag-free J2-J4 revolution equals the mean one (this
   removes the first-order J2 short-period offset of ~+-6 km in ``a`` that
   taking mean elements as osculating would cause; Kozai 1959, AJ 64) -- and
   integrated with J2-J4 and co-rotating drag to ``reentry_alt_km`` (80 km),
   which gives the reentry epoch and the geodetic point (ISO 27852:2016 and
   NASA-STD-8719.14 use ~80 km as the conventional breakup/reentry altitude).
3. **Window**: a small ensemble over solar activity and the ballistic
   coefficient +- 1 sigma, propagated with the averaged equations all the way
   to ``reentry_alt_km`` (6 quadrature points); the window is the span of those
   reentries and the main one. Solar activity: with a constant ECSS level
   (``low``/``nominal``/``high``) the spread is over the three ECSS-E-ST-10-04C
   long-term levels (Table 6-3); with a time-varying profile (``observed``:
   record then predictions, or ``cycle``) the same profile with F10.7 scaled
   by :data:`WINDOW_F107_SCALES` (+-20 %, the order of the spread between
   solar-cycle amplitude predictions and outcomes), since eleven years at the
   ECSS "low" level is no plausible history. Beside it, the customary bound of
   +-20 % of the remaining lifetime (NASA-STD-8719.14 / ISO 27852 practice for
   lifetime predictions) as ``window_20pct_utc``.

Ballistic coefficient ``B = Cd A / m`` (m^2/kg): ``bc="fit"`` fits it to the
decay between element sets in ``history`` (:func:`orbitsim.ballistic.fit_ballistic_coefficient`),
``"bstar"`` converts the set's B*, ``"config"`` is ``cd * area_m2 / mass_kg``,
a number is used as given, and ``"auto"``
(the default) means "fit" when two or more sets are available, else "bstar"
-- the method used is reported (``bc_method``) and stated in ``notes``. For
"fit"/"auto" without ``history``, the bundled element sets of the same object
from the 30 days before the start are used (ISS, Jan-Mar 2022), when there
are two or more. ``mass_kg``,
``area_m2`` and ``cd`` describe the configuration: their ratio rescales a fitted
``B`` at :class:`orbitsim.events.ConfigChange` events and the mass gives the
propellant of burns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from typing import Callable

import numpy as np

from . import meanelements as me
from .constants import MU_EARTH_M3_S2, R_EARTH_EQ_M
from .errors import InputError
from .events import Burn, DeorbitBurn, Schedule, _positive, propellant_kg
from .timeutil import iso, parse_utc, to_datetime, to_datetime64

#: Relative 1-sigma of B assumed when it is not fitted (B* or a given number):
#: the scatter of fitted ISS values between intervals is of this order.
DEFAULT_BC_SIGMA_REL = 0.10

SOLAR_PROFILES = ("low", "nominal", "high")
#: F10.7 scale factors spanning the window for time-varying solar profiles.
WINDOW_F107_SCALES = (0.8, 1.0, 1.2)
#: Lognormal sigma of the per-member F10.7 scale in drawn ensembles.
F107_SCALE_SIGMA = 0.10
#: Lognormal sigma of the per-member density scale: NRLMSISE-00's ~15 % 1-sigma
#: density uncertainty (Picone et al. 2002; Vallado & Finkleman 2014).
DENSITY_SCALE_SIGMA = 0.15
#: Default fit history: the bundled sets of the same object within this many
#: days before the start.
FIT_HISTORY_DAYS = 30.0


@dataclasses.dataclass
class FinalOrbit:
    """Osculating orbit about one revolution before reentry (TEME, deg, s, km)."""

    epoch: dt.datetime
    inclination_deg: float
    raan_deg: float
    arg_lat_deg: float
    period_s: float
    perigee_alt_km: float
    apogee_alt_km: float

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class DecayResult:
    """Result of :func:`decay`. Times are datetime64[us] UTC in arrays, aware
    datetimes otherwise.

    Time series (one row per averaged step, then the Cowell descent every 10
    min): ``time_utc``, ``mean_alt_km`` (a - R_eq, WGS 84 equatorial radius),
    ``perigee_alt_km``, ``apogee_alt_km``, ``decay_rate_m_day`` (-da/dt),
    ``f107`` (observed F10.7 of the previous day, sfu) and ``ap`` (daily Ap) used,
    ``phase`` ("averaged" / "cowell").
    """

    start: dt.datetime
    time_utc: np.ndarray
    mean_alt_km: np.ndarray
    perigee_alt_km: np.ndarray
    apogee_alt_km: np.ndarray
    decay_rate_m_day: np.ndarray
    f107: np.ndarray
    ap: np.ndarray
    phase: np.ndarray
    reentry_epoch: dt.datetime | None
    reentry_lat_deg: float
    reentry_lon_deg: float
    lifetime_days: float
    handover_epoch: dt.datetime | None
    ballistic_coefficient_m2_kg: float
    ballistic_coefficient_sigma_m2_kg: float
    bc_method: str
    window_utc: tuple | None
    window_20pct_utc: tuple | None
    window_members: list
    burns: list
    final_orbit: FinalOrbit | None
    stop_reason: str
    solar: str
    atmosphere: str
    reentry_alt_km: float
    handover_alt_km: float
    notes: list

    @property
    def dv_total_m_s(self) -> float:
        return float(sum(b["dv_m_s"] for b in self.burns))

    @property
    def propellant_total_kg(self) -> float:
        return float(sum(b["propellant_kg"] for b in self.burns))

    @property
    def span_years(self) -> float:
        t = self.time_utc
        return float((t[-1] - t[0]).astype(np.float64) / 1e6 / (365.25 * 86400.0))

    @property
    def reboosts(self) -> list:
        return [b for b in self.burns if b["kind"] == "reboost"]

    @property
    def dv_per_year_m_s(self) -> float:
        """Reboost Delta-v per year (m/s/yr) over the propagated span."""
        yrs = self.span_years
        return float(sum(b["dv_m_s"] for b in self.reboosts) / yrs) if yrs > 0 else math.nan

    @property
    def propellant_per_year_kg(self) -> float:
        yrs = self.span_years
        return float(sum(b["propellant_kg"] for b in self.reboosts) / yrs) if yrs > 0 else math.nan

    def to_json(self) -> dict:
        """JSON-ready dict (see ARCHITECTURE.md): times ISO 8601 UTC, NaN -> null."""
        def num(x):
            x = float(x)
            return x if math.isfinite(x) else None

        def arr(x):
            return [num(v) for v in np.asarray(x, float)]

        win = None if self.window_utc is None else [iso(self.window_utc[0]), iso(self.window_utc[1])]
        w20 = (None if self.window_20pct_utc is None
               else [iso(self.window_20pct_utc[0]), iso(self.window_20pct_utc[1])])
        return {
            "start_utc": iso(self.start),
            "reentry_epoch_utc": None if self.reentry_epoch is None else iso(self.reentry_epoch),
            "reentry_lat_deg": num(self.reentry_lat_deg),
            "reentry_lon_deg": num(self.reentry_lon_deg),
            "reentry_alt_km": self.reentry_alt_km,
            "lifetime_days": num(self.lifetime_days),
            "handover_epoch_utc": None if self.handover_epoch is None else iso(self.handover_epoch),
            "handover_alt_km": self.handover_alt_km,
            "stop_reason": self.stop_reason,
            "ballistic_coefficient": {"value_m2_kg": num(self.ballistic_coefficient_m2_kg),
                                      "sigma_m2_kg": num(self.ballistic_coefficient_sigma_m2_kg),
                                      "method": self.bc_method},
            "window_utc": win,
            "window_20pct_utc": w20,
            "window_members": self.window_members,
            "solar": self.solar,
            "atmosphere": self.atmosphere,
            "burns": [{"time_utc": iso(b["time"]), "kind": b["kind"], "label": b["label"],
                       "dv_m_s": num(b["dv_m_s"]), "propellant_kg": num(b["propellant_kg"]),
                       **({"alt_before_km": num(b["alt_before_km"]),
                           "alt_after_km": num(b["alt_after_km"])} if "alt_before_km" in b else {})}
                      for b in self.burns],
            "reboost_dv_per_year_m_s": num(self.dv_per_year_m_s) if self.reboosts else 0.0,
            "reboost_propellant_per_year_kg": (num(self.propellant_per_year_kg)
                                               if self.reboosts else 0.0),
            "final_orbit": None if self.final_orbit is None else {
                k: (iso(v) if isinstance(v, dt.datetime) else num(v))
                for k, v in self.final_orbit.to_json().items()},
            "notes": list(self.notes),
            "series": {
                "time_utc": [iso(t) for t in self.time_utc],
                "mean_alt_km": arr(self.mean_alt_km),
                "perigee_alt_km": arr(self.perigee_alt_km),
                "apogee_alt_km": arr(self.apogee_alt_km),
                "decay_rate_m_day": arr(self.decay_rate_m_day),
                "f107": arr(self.f107),
                "ap": arr(self.ap),
                "phase": [str(p) for p in self.phase],
            },
        }


# ------------------------------------------------------------------ helpers


def _default_history(elements, start_dt):
    """Bundled element sets of the same object in the FIT_HISTORY_DAYS before the start."""
    from .elements import bundled_iss

    sets = [s for s in bundled_iss() if s.catalog == elements.catalog
            and 0 <= (start_dt - s.epoch).total_seconds() <= FIT_HISTORY_DAYS * 86400.0]
    return sets


def _ballistic(bc, elements, history, atmosphere_model, bc_sigma_m2_kg, start_dt, cda=None):
    """(B, sigma, method, notes).

    A fit always uses the *observed* space weather of the history's dates, whatever
    solar profile the prediction asks for: the element sets were shaped by the real
    atmosphere, so fitting them under another profile would bias Cd*A/m.
    """
    from . import ballistic
    from .atmosphere import atmosphere as make_atmosphere

    notes = []
    method = bc
    if history is not None:
        history = list(history)
    if isinstance(bc, str):
        key = bc.strip().lower()
        if key in ("auto", "fit") and history is None:
            history = _default_history(elements, start_dt)
            if len(history) >= 2:
                notes.append(f"fit history: the {len(history)} bundled element sets of "
                             f"{FIT_HISTORY_DAYS:g} days before the start")
            else:
                history = None
        if key == "auto":
            key = "fit" if history is not None and len(list(history)) >= 2 else "bstar"
            notes.append(f"bc='auto': {'fitted to the element-set history' if key == 'fit' else 'from the element set B* (no history of two or more sets)'}")
        if key == "fit":
            if history is None or len(list(history)) < 2:
                raise InputError("bc='fit' needs history= with two or more element sets "
                                 "(or use bc='bstar' or a number in m^2/kg)", field="bc")
            fit = ballistic.fit_ballistic_coefficient(
                list(history), make_atmosphere(atmosphere_model, "observed"), solar="observed")
            b, s = fit.value_m2_kg, fit.sigma_m2_kg
            notes.append(f"Cd*A/m fitted over {fit.n_used} intervals between element sets "
                         f"({len(fit.manoeuvres)} manoeuvres skipped)")
            method = "fit"
        elif key == "config" and cda is not None:
            b, s, method = cda, None, "config"
        elif key == "bstar":
            b = ballistic.bc_from_bstar(elements.bstar)
            if not b > 0:
                raise InputError(f"the element set's B* ({elements.bstar:g}) is not positive; "
                                 "give history= to fit Cd*A/m or a number", field="bc")
            s = None
            method = "bstar"
        else:
            raise InputError(f"bc must be 'auto', 'fit', 'bstar', 'config' or a number (m^2/kg), "
                             f"not {bc!r}",
                             field="bc")
    else:
        b = _positive(bc, "bc")
        s = None
        method = "given"
    if bc_sigma_m2_kg is not None:
        s = float(bc_sigma_m2_kg)
        if not (math.isfinite(s) and s >= 0):
            raise InputError("must be >= 0", field="bc_sigma_m2_kg")
    elif s is None or not math.isfinite(s):
        s = DEFAULT_BC_SIGMA_REL * b
        why = "the fit gave none" if method == "fit" else "not fitted"
        notes.append(f"Cd*A/m uncertainty assumed {DEFAULT_BC_SIGMA_REL:.0%} ({why})")
    return float(b), float(s), method, notes


def mean_to_state(t, y: np.ndarray, *, iterations: int = 2):
    """TEME position (m) and velocity (m/s) for one member's mean elements ``y`` (6,)
    at ``t`` (datetime64): Keplerian state at the mean anomaly, speed adjusted so the
    osculating ``a`` averaged over one drag-free J2-J4 revolution (Cowell) equals
    the mean ``a`` (see the module docstring)."""
    from .cowell import propagate as cowell_propagate

    a, e, i, raan, argp, M = (float(v) for v in y)
    E = me.kepler_E(np.array(M), np.array(e))
    r, v = me.state_from_elements(a, e, i, raan, argp, E)
    r, v = np.asarray(r, float).reshape(3), np.asarray(v, float).reshape(3)
    period = 2 * math.pi * math.sqrt(a**3 / MU_EARTH_M3_S2)
    for _ in range(iterations):
        res = cowell_propagate(r, v, t, atmosphere=None, bc_m2_kg=0.0, max_days=period / 86400.0,
                               output_step_s=period / 72.0, track_orbits=0.0, stop_alt_km=0.0)
        el = res.elements()
        ts = res.elapsed_s
        keep = ts < period - 1.0
        a_avg = float(np.mean(el["a_m"][keep]))
        vn = float(np.linalg.norm(v))
        dv = MU_EARTH_M3_S2 * (a - a_avg) / (2.0 * a_avg**2 * vn)
        v = v * (1.0 + dv / vn)
    return r, v


def _revolution_means(t_s, a_m, e):
    """Means of osculating ``a`` and ``e`` over consecutive revolutions (the
    osculating period of each block), at the block mid-times: the J2
    short-period terms average out (Cowell descent series)."""
    out_a, out_e, out_t = [], [], []
    k0 = 0
    while k0 < t_s.size - 1:
        period = 2 * math.pi * math.sqrt(max(a_m[k0], 1.0) ** 3 / MU_EARTH_M3_S2)
        k1 = int(np.searchsorted(t_s, t_s[k0] + period))
        if k1 >= t_s.size:
            break
        out_a.append(a_m[k0:k1].mean())
        out_e.append(e[k0:k1].mean())
        out_t.append(0.5 * (t_s[k0] + t_s[k1 - 1]))
        k0 = k1
    return np.array(out_a), np.array(out_e), np.array(out_t)


def _final_cda(traj, cda0):
    """Configuration Cd*A/m after the averaged phase (ConfigChange events rescale B
    and Cd*A/m by the same ratio)."""
    return cda0 * float(traj.bc_m2_kg[0]) / float(traj.bc_m2_kg_initial[0])


def _indices(atm, times):
    sw = getattr(atm, "space_weather", None)
    if sw is None or len(times) == 0:
        return np.full(len(times), np.nan), np.full(len(times), np.nan)
    ix = sw.at(np.asarray(times, dtype="datetime64[us]"))
    return np.asarray(ix.f107_prev_day_obs, float), np.asarray(ix.ap_daily, float)


# ------------------------------------------------------------------ ensemble
@dataclasses.dataclass
class EnsembleResult:
    """Per-member results of :func:`ensemble` (arrays of shape ``(m,)``):
    ``reentry_utc`` (datetime64[us], NaT if not reentered before ``until``),
    ``lifetime_days``, and the member inputs ``bc_m2_kg``, ``f107_scale``,
    ``density_scale``; ``n_density_points`` evaluated."""

    start: dt.datetime
    reentry_utc: np.ndarray
    lifetime_days: np.ndarray
    bc_m2_kg: np.ndarray
    f107_scale: np.ndarray
    density_scale: np.ndarray
    n_density_points: int

    @property
    def reentry_epochs(self) -> np.ndarray:
        return self.reentry_utc

    def percentiles(self, q=(5, 50, 95)) -> list:
        ok = np.isfinite(self.lifetime_days)
        if not np.any(ok):
            return [None for _ in q]
        days = np.percentile(self.lifetime_days[ok], q)
        return [to_datetime(to_datetime64(self.start) + np.timedelta64(int(d * 86400e6), "us"))
                for d in days]


#: Ensemble steps: at most 8 days with constant activity levels (2 days with the
#: day-by-day observed record) and 4 km of semi-major axis. For the ISS from
#: 418 km to 80 km these change the lifetime by < 0.1 % against 1-2 day / 1-2 km
#: steps (RK4 on the averaged equations is Simpson's rule on the slowly varying
#: forcing: the ~60-day orbit-plane/Sun cycle is sampled every 48 deg).
ENSEMBLE_MAX_STEP_DAYS = {"observed": 2.0, "constant": 8.0}
ENSEMBLE_DA_MAX_KM = 4.0


def _ensemble_chunk(args):
    (t0, y, atm, bc, f107, dens, mass, cda, stop_km, until, events, n_quad) = args
    state = me.MeanState.from_array(y)
    sw = getattr(atm, "space_weather", None)
    max_step = ENSEMBLE_MAX_STEP_DAYS["observed" if getattr(sw, "kind", "") == "observed"
                                      else "constant"]
    tr = me.propagate(t0, state, atmosphere=atm, bc_m2_kg=bc, f107_scale=f107,
                      density_scale=dens, mass_kg=mass, cda_m_kg=cda,
                      stop_perigee_alt_km=stop_km, until=until, events=events, n_quad=n_quad,
                      max_step_days=max_step, da_max_km=ENSEMBLE_DA_MAX_KM)
    return tr.stop_t_s, tr.n_density_points


def ensemble(elements, *, mass_kg: float, area_m2: float, cd: float, bc="auto", history=None,
             bc_m2_kg=None, f107_scale=None, density_scale=None, members: int | None = None,
             seed: int | None = None, bc_sigma_m2_kg: float | None = None, start=None,
             solar="observed", atmosphere_model="nrlmsise00", events=(),
             reentry_alt_km: float = 80.0, until=None, n_quad: int = 6,
             workers: int | None = None) -> EnsembleResult:
    """Reentry epochs of an ensemble, vectorised across members.

    Members are given explicitly (``bc_m2_kg``, ``f107_scale``, ``density_scale``:
    scalars or arrays of one length) or drawn (``members``, ``seed``):
    Cd*A/m ~ normal(B, sigma) from ``bc`` (as in :func:`decay`; truncated at
    B/10), F10.7 scale and density scale ~ lognormal with sigma
    :data:`F107_SCALE_SIGMA` and :data:`DENSITY_SCALE_SIGMA` (the ~15 % 1-sigma
    density uncertainty of NRLMSISE-00, Picone et al. 2002; Vallado & Finkleman
    2014, Acta Astronautica 95). Explicit arrays override the drawn ones.

    Every member is propagated with the orbit-averaged equations all the way to
    ``reentry_alt_km`` (perigee altitude): below ~150 km a revolution loses
    several km and averaging is an approximation, but that last phase lasts
    about a day, small against the spread of month-to-year lifetimes.
    ``n_quad`` = 6 quadrature points per revolution: an instantaneous orbit-mean
    density within ~0.5 % of the 64-point value, whose errors (oscillating with
    the orbit's phase) average out over the steps -- the ISS lifetime from 418 km
    to 80 km changes by < 0.04 % against 16 points for the ECSS low, moderate and
    high levels. ``workers``: processes (default: 2 when
    there are 200 members or more and 2+ CPUs, else 1).
    """
    from .atmosphere import atmosphere as make_atmosphere

    mass_kg = _positive(mass_kg, "mass_kg")
    area_m2 = _positive(area_m2, "area_m2")
    cd = _positive(cd, "cd")
    cda = cd * area_m2 / mass_kg
    atm = make_atmosphere(atmosphere_model, solar)
    start_dt = parse_utc(start, field="start") if start is not None else elements.epoch
    until = parse_utc(until, field="until") if until is not None else None
    if until is not None and until <= start_dt:
        raise InputError("until must be after the start", field="until")
    t0, state = me.from_element_set(elements, start_dt)
    if getattr(atm, "space_weather", None) is not None:
        atm.space_weather.at(t0)                    # coverage check (InputError)
    schedule = Schedule(events, start=start_dt, handover_alt_km=reentry_alt_km,
                        mass_kg=mass_kg, cda_m_kg=cda)
    if schedule.unbounded_policy and until is None:
        raise InputError("a reboost policy without an end keeps the orbit up forever: give "
                         "until= or an EndReboosts event", field="until")
    if bc_m2_kg is None:
        B, sigma, _, _ = _ballistic(bc, elements, history, atmosphere_model, bc_sigma_m2_kg,
                                    start_dt, cda)
    else:
        B, sigma = None, 0.0
    bc, f107, dens = bc_m2_kg, f107_scale, density_scale
    if members is not None:
        if int(members) < 1:
            raise InputError("members must be >= 1", field="members")
        rng = np.random.default_rng(seed)
        n = int(members)
        if bc is None:
            bc = np.maximum(rng.normal(B, sigma, n), 0.1 * B)
        if f107 is None:
            f107 = np.exp(rng.normal(0.0, F107_SCALE_SIGMA, n))
        if dens is None:
            dens = np.exp(rng.normal(0.0, DENSITY_SCALE_SIGMA, n))
    bc = B if bc is None else bc
    f107_scale = 1.0 if f107 is None else f107
    density_scale = 1.0 if dens is None else dens
    arrays = [np.asarray(x, float) for x in (bc, f107_scale, density_scale)]
    m = max(int(a.size) for a in arrays)
    try:
        bc_a, f_a, d_a = (np.broadcast_to(a.ravel() if a.size > 1 else a, (m,)).copy()
                          for a in arrays)
    except ValueError:
        raise InputError("bc_m2_kg, f107_scale and density_scale must have one length",
                         field="ensemble") from None
    if np.any(~np.isfinite(bc_a) | (bc_a <= 0)):
        raise InputError("ballistic coefficients must be positive", field="bc_m2_kg")
    y = state.repeat(m).to_array()
    if workers is None:
        workers = 2 if (m >= 200 and (os.cpu_count() or 1) >= 2) else 1
    chunks = np.array_split(np.arange(m), max(1, min(int(workers), m)))
    jobs = [(t0, y[:, c], atm, bc_a[c], f_a[c], d_a[c], mass_kg, cda,
             reentry_alt_km, until, schedule, n_quad) for c in chunks]
    if len(jobs) == 1:
        results = [_ensemble_chunk(jobs[0])]
    else:
        import concurrent.futures as cf
        import multiprocessing as mp

        with cf.ProcessPoolExecutor(len(jobs), mp_context=mp.get_context("fork")) as pool:
            results = list(pool.map(_ensemble_chunk, jobs))
    stop = np.concatenate([r[0] for r in results])
    npts = int(sum(r[1] for r in results))
    t_re = np.full(m, np.datetime64("NaT"), dtype="datetime64[us]")
    ok = np.isfinite(stop)
    t_re[ok] = t0 + np.round(stop[ok] * 1e6).astype("timedelta64[us]")
    life = (stop + float((t0 - to_datetime64(start_dt)).astype(np.float64) / 1e6)) / 86400.0
    return EnsembleResult(start=start_dt, reentry_utc=t_re, lifetime_days=life, bc_m2_kg=bc_a,
                          f107_scale=f_a, density_scale=d_a, n_density_points=npts)


# ------------------------------------------------------------------ decay
def decay(elements, *, mass_kg: float, area_m2: float, cd: float, start=None,
          solar="observed", atmosphere_model="nrlmsise00", bc="auto", history=None,
          events=(), reentry_alt_km: float = 80.0, handover_alt_km: float = 200.0,
          until=None, bc_sigma_m2_kg: float | None = None, window: bool = True,
          progress: Callable[[float, str], None] | None = None) -> DecayResult:
    """Predict the decay and reentry of the object of ``elements`` (an
    :class:`orbitsim.elements.ElementSet`).

    mass_kg, area_m2, cd : configuration (kg, m^2 drag reference area, -)
    start     : aware UTC datetime / ISO text; default the element epoch
    solar     : "observed" | "low" | "nominal" | "high" | constants (see
                :func:`orbitsim.spaceweather.space_weather`)
    atmosphere_model : "nrlmsise00" (default) | "nrlmsis21" | "exponential" | an
                :class:`orbitsim.atmosphere.Atmosphere`
    bc        : "auto" | "fit" | "bstar" | Cd*A/m in m^2/kg (see the module docstring)
    history   : element sets for the fit
    events    : :mod:`orbitsim.events` objects in time order
    reentry_alt_km, handover_alt_km : reentry (80 km) and averaged-to-Cowell handover (200 km)
    until     : stop at this time if not reentered (required with an endless reboost policy)
    bc_sigma_m2_kg : 1-sigma of Cd*A/m for the window (default: the fit's, else 10 %)
    window    : compute the solar-profile / Cd*A/m ensemble window
    progress  : ``progress(fraction_done, message)``
    """
    from .atmosphere import atmosphere as make_atmosphere
    from .cowell import osculating_elements
    from .cowell import propagate as cowell_propagate

    mass_kg = _positive(mass_kg, "mass_kg")
    area_m2 = _positive(area_m2, "area_m2")
    cd = _positive(cd, "cd")
    reentry_alt_km = _positive(reentry_alt_km, "reentry_alt_km")
    handover_alt_km = _positive(handover_alt_km, "handover_alt_km")
    if handover_alt_km <= reentry_alt_km:
        raise InputError(f"handover altitude {handover_alt_km:g} km must be above the reentry "
                         f"altitude {reentry_alt_km:g} km", field="handover_alt_km")
    start_dt = parse_utc(start, field="start") if start is not None else elements.epoch
    until_dt = parse_utc(until, field="until") if until is not None else None
    if until_dt is not None and until_dt <= start_dt:
        raise InputError("until must be after the start", field="until")
    atm = make_atmosphere(atmosphere_model, solar)
    sw = getattr(atm, "space_weather", None)
    if sw is not None:
        sw.at(to_datetime64(start_dt))             # coverage of the start (InputError)
    solar_name = solar if isinstance(solar, str) else getattr(sw, "kind", "constant")
    t0, state = me.from_element_set(elements, start_dt)
    perigee0 = float(state.a_m[0] * (1 - state.e[0])) - R_EARTH_EQ_M
    if perigee0 <= reentry_alt_km * 1000.0:
        raise InputError(f"the orbit (perigee {perigee0 / 1e3:.1f} km) is already below the "
                         f"reentry altitude {reentry_alt_km:g} km", field="elements")
    cda = cd * area_m2 / mass_kg
    schedule = Schedule(events, start=start_dt, handover_alt_km=handover_alt_km,
                        mass_kg=mass_kg, cda_m_kg=cda)
    if schedule.unbounded_policy and until_dt is None:
        raise InputError("a reboost policy without an end keeps the orbit up forever: give "
                         "until (--until) or end the policy", field="until")
    B, sigma, method, notes = _ballistic(bc, elements, history, atmosphere_model,
                                         bc_sigma_m2_kg, start_dt, cda)
    alt0_km = perigee0 / 1000.0

    def report(frac, msg):
        if progress is not None:
            progress(float(min(max(frac, 0.0), 1.0)), msg)

    # 1. orbit-averaged phase -------------------------------------------------
    traj = None
    if perigee0 > handover_alt_km * 1000.0 + me.EVENT_TOL_M:
        span = max(alt0_km - handover_alt_km, 1.0)
        traj = me.propagate(t0, state, atmosphere=atm, bc_m2_kg=B, mass_kg=mass_kg,
                            cda_m_kg=cda, stop_perigee_alt_km=handover_alt_km, until=until_dt,
                            events=schedule, n_quad=16,
                            progress=lambda t, alt: report(0.8 * (alt0_km - alt) / span,
                                                           f"averaged: perigee {alt:.0f} km"))
        ts, ys, ks, _ = traj.member(0)
        times = t0 + np.round(ts * 1e6).astype("timedelta64[us]")
        a, e = ys[:, 0], ys[:, 1]
        series = {
            "time": times, "mean": (a - R_EARTH_EQ_M) / 1e3,
            "perigee": (a * (1 - e) - R_EARTH_EQ_M) / 1e3,
            "apogee": (a * (1 + e) - R_EARTH_EQ_M) / 1e3,
            "rate": -ks[:, 0] * 86400.0, "phase": np.full(ts.size, "averaged"),
        }
        burns = traj.burns
        handed = bool(np.isfinite(traj.stop_t_s[0]))
        t_ho = t0 + np.timedelta64(int(round(float(traj.stop_t_s[0]) * 1e6)), "us") if handed else None
        y_ho = traj.stop_state[:, 0] if handed else None
        B_ho = float(traj.bc_m2_kg[0])
    else:
        series = {k: np.zeros(0) for k in ("mean", "perigee", "apogee", "rate")}
        series["time"] = np.zeros(0, dtype="datetime64[us]")
        series["phase"] = np.zeros(0, dtype="<U8")
        burns, handed, t_ho, y_ho, B_ho = [], True, t0, state.to_array()[:, 0], B
        notes.append("start below the handover altitude: Cowell from the start")

    # 2. Cowell phase ------------------------------------------------------------
    reentry = None
    rlat = rlon = math.nan
    final_orbit = None
    stop_reason = "reentry" if handed else ("until" if until_dt is not None else "max_days")
    if stop_reason == "max_days":
        notes.append("no reentry within the averaged propagator's 50-year limit")
    if handed:
        later = [ev for ev in schedule.timed if to_datetime64(ev.time) > t_ho]
        c_burns, c_bc = [], []
        cda_now = float(cda if traj is None else _final_cda(traj, cda))
        b_now = B_ho
        for ev in later:
            if isinstance(ev, Burn):
                c_burns.append((ev.time, ev.signed_dv_m_s))
                burns.append({"time": to_datetime64(ev.time), "members": np.array([0]),
                              "kind": "deorbit" if isinstance(ev, DeorbitBurn) else "burn",
                              "label": ev.label, "dv_m_s": abs(ev.dv_m_s),
                              "propellant_kg": float(propellant_kg(mass_kg, ev.dv_m_s,
                                                                   ev.isp_s))})
            else:
                b_now = b_now * ev.cda_m_kg / cda_now
                cda_now = ev.cda_m_kg
                c_bc.append((ev.time, b_now))
                burns.append({"time": to_datetime64(ev.time), "members": np.array([0]),
                              "kind": "config", "label": ev.label, "dv_m_s": 0.0,
                              "propellant_kg": 0.0})
        if later:
            notes.append(f"{len(later)} timed event(s) after the handover at {iso(t_ho)} "
                         "applied in the Cowell descent (propellant at the initial mass)")
        report(0.8, "handover to Cowell")
        r, v = mean_to_state(t_ho, y_ho)
        cres = cowell_propagate(r, v, t_ho, atmosphere=atm, bc_m2_kg=B_ho,
                                stop_alt_km=reentry_alt_km, until=until_dt,
                                burns=c_burns, bc_changes=c_bc,
                                max_days=None if until_dt is not None else 60.0,
                                output_step_s=60.0, track_orbits=0.0,
                                progress=lambda t, alt: report(
                                    0.8 + 0.15 * (handover_alt_km - alt)
                                    / (handover_alt_km - reentry_alt_km), f"Cowell: {alt:.0f} km"))
        el = cres.elements()
        period = float(np.median(el["period_s"]))
        tt = cres.elapsed_s
        a_rev, e_rev, t_rev = _revolution_means(tt, el["a_m"], el["e"])
        rate = np.full(t_rev.size, np.nan)
        if t_rev.size > 2:
            rate[1:-1] = -(a_rev[2:] - a_rev[:-2]) / (t_rev[2:] - t_rev[:-2]) * 86400.0
        times_rev = t_ho + np.round(t_rev * 1e6).astype("timedelta64[us]")
        series = {
            "time": np.concatenate([series["time"], times_rev]),
            "mean": np.concatenate([series["mean"], (a_rev - R_EARTH_EQ_M) / 1e3]),
            "perigee": np.concatenate([series["perigee"],
                                       (a_rev * (1 - e_rev) - R_EARTH_EQ_M) / 1e3]),
            "apogee": np.concatenate([series["apogee"],
                                      (a_rev * (1 + e_rev) - R_EARTH_EQ_M) / 1e3]),
            "rate": np.concatenate([series["rate"], rate]),
            "phase": np.concatenate([series["phase"], np.full(t_rev.size, "cowell")]),
        }
        if cres.reentered:
            # close the series at the reentry point (geodetic altitude reentry_alt_km)
            series["time"] = np.append(series["time"], cres.reentry_time_utc)
            for key in ("mean", "perigee", "apogee"):
                series[key] = np.append(series[key], reentry_alt_km)
            series["rate"] = np.append(series["rate"], np.nan)
            series["phase"] = np.append(series["phase"], "cowell")
            reentry = cres.reentry_epoch
            rlat, rlon = float(cres.reentry_lat_deg), float(cres.reentry_lon_deg)
            k = int(np.searchsorted(tt, tt[-1] - period))
            k = min(max(k, 0), tt.size - 1)
            fo = osculating_elements(cres.r_m[k], cres.v_m_s[k])
            final_orbit = FinalOrbit(epoch=to_datetime(cres.time_utc[k]),
                                     inclination_deg=float(fo["inclination_deg"]),
                                     raan_deg=float(fo["raan_deg"]),
                                     arg_lat_deg=float(fo["arg_lat_deg"]),
                                     period_s=float(fo["period_s"]),
                                     perigee_alt_km=float(fo["perigee_alt_km"]),
                                     apogee_alt_km=float(fo["apogee_alt_km"]))
        else:
            stop_reason = cres.stop_reason
    f107, ap = _indices(atm, series["time"])
    lifetime = ((reentry - start_dt).total_seconds() / 86400.0) if reentry else math.nan

    # 3. window ----------------------------------------------------------------
    window_utc = w20 = None
    members = []
    if reentry is not None:
        L = reentry - start_dt
        w20 = (reentry - 0.2 * L, reentry + 0.2 * L)
    if window and reentry is not None:
        report(0.95, "window ensemble")
        kind = getattr(sw, "kind", None)
        varying = kind in ("observed", "cycle")
        profiles = (SOLAR_PROFILES if kind in SOLAR_PROFILES else (None,))
        scales = np.array(WINDOW_F107_SCALES if varying else (1.0,))
        bcs = np.array([B - sigma, B, B + sigma])
        bcs = bcs[bcs > 0]
        bc_m, sc_m = (a.ravel() for a in np.meshgrid(bcs, scales))
        epochs = [to_datetime64(reentry)]
        for prof in profiles:
            atm_p = make_atmosphere(atmosphere_model, prof) if prof is not None else atm
            ens = ensemble(elements, mass_kg=mass_kg, area_m2=area_m2, cd=cd, bc_m2_kg=bc_m,
                           f107_scale=sc_m, start=start_dt,
                           solar=prof if prof is not None else solar,
                           atmosphere_model=atm_p, events=events,
                           reentry_alt_km=reentry_alt_km, until=until_dt, workers=1)
            for j in range(bc_m.size):
                ok = not np.isnat(ens.reentry_utc[j])
                members.append({"solar": prof or solar_name, "f107_scale": float(sc_m[j]),
                                "bc_m2_kg": float(bc_m[j]),
                                "reentry_utc": iso(ens.reentry_utc[j]) if ok else None})
                if ok:
                    epochs.append(ens.reentry_utc[j])
        epochs = np.array(epochs, dtype="datetime64[us]")
        window_utc = (to_datetime(epochs.min()), to_datetime(epochs.max()))
        if len(epochs) < 1 + len(members):
            notes.append("some window members did not reenter before 'until'")
    report(1.0, "done")
    return DecayResult(
        start=start_dt, time_utc=series["time"], mean_alt_km=series["mean"],
        perigee_alt_km=series["perigee"], apogee_alt_km=series["apogee"],
        decay_rate_m_day=series["rate"], f107=f107, ap=ap, phase=series["phase"],
        reentry_epoch=reentry, reentry_lat_deg=rlat, reentry_lon_deg=rlon,
        lifetime_days=lifetime, handover_epoch=to_datetime(t_ho) if t_ho is not None else None,
        ballistic_coefficient_m2_kg=B, ballistic_coefficient_sigma_m2_kg=sigma, bc_method=method,
        window_utc=window_utc, window_20pct_utc=w20, window_members=members, burns=burns,
        final_orbit=final_orbit, stop_reason=stop_reason, solar=str(solar_name),
        atmosphere=repr(atm), reentry_alt_km=reentry_alt_km, handover_alt_km=handover_alt_km,
        notes=notes)

"""Ballistic coefficient Cd*A/m [m^2/kg]: from SGP4's B*, or fitted to TLE history.

From B*
-------
SGP4's drag term is B* = (Cd A / m) rho0 / 2 with the reference density
rho0 = 2.461e-5 kg/m^2/ER, i.e. 2.461e-8 kg/m^3 (density at the 120 km SGP
reference height) times the Earth radius in km -- so with R_E = 6378.135 km
(WGS 72, SGP4's constants) Cd A/m [m^2/kg] = 2 B* [1/ER] / (rho0 R_E)
= 12.7416 B* (Hoots & Roehrich 1980, *Spacetrack Report #3*; Vallado 2013,
*Fundamentals of Astrodynamics and Applications*, 4th ed., §9.7.2). A single
B* absorbs SGP4's static density model errors and is noisy (it even changes
sign for the ISS), so it is a last resort.

Fitted (the default)
--------------------
For a near-circular orbit the orbit-averaged decay of the semi-major axis under
drag, with the atmosphere co-rotating with the Earth, is (King-Hele 1987,
*Satellite Orbits in an Atmosphere*, ch. 4; Vallado 2013 §9.6)::

    da/dt = -(Cd A/m) sqrt(mu a) rho_eff F,      F = (1 - omega_E r cos i / v)^2

With B = Cd A/m constant over an interval [t1, t2] between two element-set
epochs the observed change of the mean semi-major axis is

    a(t2) - a(t1) = -B * X,   X = integral_{t1}^{t2} sqrt(mu a) F rho(t) dt

where rho(t) is the density sampled along the orbit (geodetic position from SGP4
of the first set, every ``step_s`` seconds; integrating the instantaneous
density along the trajectory is the orbit average integrated over time), from
the *same* atmosphere and space weather that will be used for the prediction.
Each interval gives B_k = -Delta a_k / X_k.

Manoeuvres are detected as rises of the mean semi-major axis between
consecutive sets beyond the TLE noise (drag only lowers a); intervals that
contain one are skipped, as are the element sets of a settling period just after
it (orbit-determination arcs spanning a burn give biased sets). Isolated outlier
sets (a TLE far from its neighbours, which then revert) are dropped first.
Between manoeuvres, intervals are chained from set to set so that each spans
at least ``min_interval_days`` (TLE noise in a is several to tens of metres; the
ISS loses only ~20-100 m/day); a shorter tail is absorbed by the last interval,
and a stretch shorter than that between manoeuvres is skipped.

The estimate is the ratio of sums B = sum(-Delta a_k) / sum(X_k), i.e. the
X-weighted mean of the B_k (total observed decay over total predicted decay per
unit B); ``spread`` is the X-weighted standard deviation of the B_k and
``sigma`` = spread / sqrt(n_eff), n_eff = 1/sum(w_k^2) (w_k = X_k / sum X).

>>> round(bc_from_bstar(1.0e-4), 6)     # m^2/kg for B* = 1e-4 /ER
0.001274
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np

from .constants import MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S
from .errors import InputError

#: SGP4 reference density rho0 = 2.461e-5 kg/m^2/ER (per km of Earth radius), i.e.
#: 2.461e-8 kg/m^3 (Hoots & Roehrich 1980; Vallado 2013 §9.7.2).
RHO0_BSTAR_KG_M3 = 2.461e-8
#: Earth radius in SGP4 (WGS 72) [m].
R_EARTH_SGP4_M = 6378135.0


def bc_from_bstar(bstar_per_er) -> np.ndarray | float:
    """Cd*A/m [m^2/kg] from B* [1/earth radii]: 2 B* / (rho0 R_E)."""
    bc = 2.0 * np.asarray(bstar_per_er, dtype=float) / (RHO0_BSTAR_KG_M3 * R_EARTH_SGP4_M)
    return float(bc) if bc.ndim == 0 else bc


def bstar_from_bc(bc_m2_kg) -> float:
    """B* [1/earth radii] from Cd*A/m [m^2/kg] (inverse of :func:`bc_from_bstar`)."""
    return float(bc_m2_kg) * RHO0_BSTAR_KG_M3 * R_EARTH_SGP4_M / 2.0


def corotation_factor(a_m, inclination_deg) -> np.ndarray:
    """King-Hele's F = (1 - omega_E r cos i / v)^2 for a circular orbit of radius a
    (v = sqrt(mu/a)); ~0.92 for the ISS."""
    a_m = np.asarray(a_m, dtype=float)
    v = np.sqrt(MU_EARTH_M3_S2 / a_m)
    return (1.0 - OMEGA_EARTH_RAD_S * a_m * np.cos(np.radians(inclination_deg)) / v) ** 2


@dataclasses.dataclass(frozen=True)
class Interval:
    """One interval between two element-set epochs.

    start, end      : aware UTC datetimes (epochs of the two sets)
    delta_a_m       : observed change of the mean semi-major axis [m]
    x_s_m           : predicted decay per unit Cd*A/m, integral of sqrt(mu a) F rho dt
                      [m per (m^2/kg)]; NaN for skipped intervals not evaluated
    bc_m2_kg        : -delta_a_m / x_s_m [m^2/kg] (NaN when skipped)
    used            : True if it enters the fit
    reason          : why it was skipped ("" when used)
    """
    start: dt.datetime
    end: dt.datetime
    delta_a_m: float
    x_s_m: float
    bc_m2_kg: float
    used: bool
    reason: str = ""

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400.0


@dataclasses.dataclass(frozen=True)
class Manoeuvre:
    """A detected rise of the mean semi-major axis between two sets."""
    before: dt.datetime
    after: dt.datetime
    rise_m: float


@dataclasses.dataclass(frozen=True)
class BallisticFit:
    """Result of :func:`fit_ballistic_coefficient`.

    value_m2_kg  : fitted Cd*A/m [m^2/kg]
    sigma_m2_kg  : its 1-sigma uncertainty (spread / sqrt(n_eff)) [m^2/kg]
    spread_m2_kg : weighted standard deviation of the per-interval values [m^2/kg]
    intervals    : all intervals considered (used and skipped), in time order
    manoeuvres   : detected manoeuvres
    outliers     : epochs of element sets dropped as isolated outliers
    noise_m      : robust estimate of the per-set noise of the mean semi-major axis [m]
    bstar_value_m2_kg : median of Cd*A/m from the sets' B* (for comparison only)
    atmosphere   : repr of the atmosphere used
    space_weather_predicted : True if any used interval relies on predicted or
                   modelled space weather rather than the observed record (the fit
                   then absorbs the prediction's error)
    """
    value_m2_kg: float
    sigma_m2_kg: float
    spread_m2_kg: float
    intervals: tuple[Interval, ...]
    manoeuvres: tuple[Manoeuvre, ...]
    outliers: tuple[dt.datetime, ...]
    noise_m: float
    bstar_value_m2_kg: float
    atmosphere: str
    space_weather_predicted: bool = False

    @property
    def used(self) -> tuple[Interval, ...]:
        return tuple(iv for iv in self.intervals if iv.used)

    @property
    def skipped(self) -> tuple[Interval, ...]:
        return tuple(iv for iv in self.intervals if not iv.used)

    @property
    def n_used(self) -> int:
        return len(self.used)

    def to_json(self) -> dict:
        """JSON-ready dict (NaN -> None)."""
        def clean(v):
            if isinstance(v, float) and not math.isfinite(v):
                return None
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, list):
                return [clean(x) for x in v]
            return v

        return clean({
            "ballistic_coefficient_m2_kg": self.value_m2_kg,
            "ballistic_coefficient_sigma_m2_kg": self.sigma_m2_kg,
            "ballistic_coefficient_spread_m2_kg": self.spread_m2_kg,
            "n_intervals_used": self.n_used,
            "bstar_value_m2_kg": self.bstar_value_m2_kg,
            "noise_m": self.noise_m,
            "atmosphere": self.atmosphere,
            "space_weather_predicted": self.space_weather_predicted,
            "intervals": [dataclasses.asdict(iv) | {"days": iv.days} for iv in self.intervals],
            "manoeuvres": [dataclasses.asdict(m) for m in self.manoeuvres],
            "outliers": list(self.outliers),
        })


# ---------------------------------------------------------------------------- helpers
def _epoch64(es) -> np.datetime64:
    e = es.epoch
    if e.tzinfo is None:
        raise InputError("element-set epoch is a naive datetime", field="elements")
    return np.datetime64(e.astimezone(dt.timezone.utc).replace(tzinfo=None), "us")


def _epoch64_dt(t: dt.datetime) -> np.datetime64:
    return np.datetime64(t.astimezone(dt.timezone.utc).replace(tzinfo=None), "us")


def _drag_free(es):
    """A copy of the element set whose SGP4 has no drag terms: the geometry of
    the orbit (plane, phase, J2 motion) without SGP4's own static-model decay."""
    from sgp4.api import WGS72, Satrec

    s = es.satrec
    t = Satrec()
    t.sgp4init(WGS72, "i", s.satnum, (s.jdsatepoch - 2433281.5) + s.jdsatepochF, 0.0, 0.0, 0.0,
               s.ecco, s.argpo, s.inclo, s.mo, s.no_kozai, s.nodeo)
    return dataclasses.replace(es, satrec=t)


def _predicted_x(es1, a1_m, a2_m, t1, t2, atmosphere, step_s, f107_scale=1.0) -> float:
    """integral_{t1}^{t2} sqrt(mu a) F rho dt [m per (m^2/kg)] along SGP4 of es1."""
    from .propagate import itrs_to_geodetic, sgp4_teme, teme_to_itrs

    span_s = (t2 - t1).astype(np.int64) / 1e6
    n = max(int(math.ceil(span_s / step_s)), 2) + 1
    off_s = np.linspace(0.0, span_s, n)
    t = t1 + (off_s * 1e6).astype(np.int64).astype("timedelta64[us]")
    frac = off_s / span_s
    a_m = a1_m + (a2_m - a1_m) * frac
    geo = _drag_free(es1)
    r, _ = sgp4_teme(geo, t)
    # follow the observed mean semi-major axis: scale radially (tiny correction)
    r = r * (a_m / (geo.semi_major_axis_km * 1000.0))[:, None]
    lat, lon, h = itrs_to_geodetic(teme_to_itrs(t, r))
    rho = atmosphere.density(t, lat, lon, h, f107_scale=f107_scale)
    f = corotation_factor(a_m, es1.inclination_deg)
    y = np.sqrt(MU_EARTH_M3_S2 * a_m) * f * rho
    return float(np.trapezoid(y, off_s))


def _robust_sigma(x) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan")
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


def fit_ballistic_coefficient(element_sets, atmosphere="nrlmsise00", *,
                              solar="observed", min_interval_days: float = 2.0,
                              settle_days: float = 1.0, step_s: float = 120.0,
                              min_rise_m: float = 100.0, f107_scale: float = 1.0
                              ) -> BallisticFit:
    """Fit Cd*A/m [m^2/kg] to the decay of the mean semi-major axis between
    element sets (see the module docstring for the method and its sources).

    element_sets : sequence of :class:`orbitsim.elements.ElementSet` of one object
                   (sorted here by epoch); at least two, spanning
                   ``min_interval_days`` without a manoeuvre
    atmosphere   : an :class:`orbitsim.atmosphere.Atmosphere` or a model name
                   (then built with ``solar``)
    min_interval_days : shortest interval used (TLE noise) [days]
    settle_days  : element sets within this time after a detected manoeuvre are
                   not used as interval ends [days]
    step_s       : density sampling step along the orbit [s]
    min_rise_m   : a rise of the mean semi-major axis below this (or below
                   5x the robust noise, whichever is larger) is noise, not a manoeuvre [m]

    Raises InputError when no interval survives (with the reasons).
    """
    from .atmosphere import atmosphere as make_atmosphere

    atm = make_atmosphere(atmosphere, solar)
    sets = sorted(element_sets, key=lambda e: e.epoch)
    if len(sets) < 2:
        raise InputError("fitting Cd*A/m needs at least two element sets", field="elements")
    if len({s.catalog for s in sets}) > 1:
        raise InputError("element sets of different objects: "
                         f"{sorted({s.catalog for s in sets})}", field="elements")
    if min_interval_days <= 0 or step_s <= 0:
        raise InputError("min_interval_days and step_s must be positive", field="ballistic")

    # drop repeated epochs (keep the later set of a near-duplicate pair)
    t_all = np.array([_epoch64(s) for s in sets])
    keep = np.ones(len(sets), dtype=bool)
    keep[:-1] = np.diff(t_all).astype(np.int64) > 60e6   # 1 minute
    sets = [s for s, k in zip(sets, keep) if k]
    t = np.array([_epoch64(s) for s in sets])
    a = np.array([s.semi_major_axis_km for s in sets]) * 1000.0
    days = (t - t[0]).astype(np.int64) / 86400e6

    # 1. isolated outliers: far from both the previous and the next set in the
    #    same direction, while those two agree with each other
    outliers = []
    n = a.size
    if n >= 5:
        d_prev = a[1:-1] - a[:-2]
        d_next = a[1:-1] - a[2:]
        step_noise = _robust_sigma(np.diff(a))
        thresh = max(5.0 * step_noise, 30.0)
        spike = (np.sign(d_prev) == np.sign(d_next)) & (np.minimum(np.abs(d_prev), np.abs(d_next)) > thresh) \
            & (np.abs(a[2:] - a[:-2]) < np.minimum(np.abs(d_prev), np.abs(d_next)))
        bad = np.concatenate([[False], spike, [False]])
        outliers = [sets[i].epoch for i in np.flatnonzero(bad)]
        sets = [s for s, b in zip(sets, bad) if not b]
        t, a, days = t[~bad], a[~bad], days[~bad]
    noise_m = _robust_sigma(np.diff(a)) / math.sqrt(2.0)

    # 2. manoeuvres: rises beyond noise between consecutive sets
    da = np.diff(a)
    rise_thresh = max(min_rise_m, 5.0 * noise_m)
    man_idx = np.flatnonzero(da > rise_thresh)
    manoeuvres = tuple(Manoeuvre(sets[k].epoch, sets[k + 1].epoch, float(da[k])) for k in man_idx)
    # usable as interval end points: not within settle_days after a manoeuvre
    usable = np.ones(a.size, dtype=bool)
    arc = np.zeros(a.size, dtype=int)
    for k in man_idx:
        arc[k + 1:] += 1
        usable[(days > days[k]) & (days < days[k + 1] + settle_days)] = False
    # 3. intervals within arcs: from a usable set to the first usable set at least
    #    min_interval_days later (same arc); the set before a manoeuvre closes it
    intervals = []
    for k in man_idx:
        intervals.append(Interval(sets[k].epoch, sets[k + 1].epoch, float(da[k]), float("nan"),
                                  float("nan"), False, f"manoeuvre (rise {da[k]:.0f} m)"))
    for arc_id in np.unique(arc):
        idx = np.flatnonzero((arc == arc_id) & usable)
        if idx.size < 2:
            continue
        # chain of interval boundaries, each >= min_interval_days after the last;
        # a shorter tail is absorbed by the last interval of the arc
        bounds = [idx[0]]
        for j in idx[1:]:
            if days[j] - days[bounds[-1]] >= min_interval_days:
                bounds.append(j)
        if bounds[-1] != idx[-1]:
            if len(bounds) > 1:
                bounds[-1] = idx[-1]
            else:
                end = idx[-1]
                intervals.append(Interval(sets[idx[0]].epoch, sets[end].epoch,
                                          float(a[end] - a[idx[0]]), float("nan"), float("nan"),
                                          False, f"too short (< {min_interval_days:g} days "
                                                 "between manoeuvres / data ends)"))
                continue
        for start, end in zip(bounds[:-1], bounds[1:]):
            x = _predicted_x(sets[start], a[start], a[end], t[start], t[end], atm, step_s,
                             f107_scale)
            dam = float(a[end] - a[start])
            intervals.append(Interval(sets[start].epoch, sets[end].epoch, dam, x,
                                      -dam / x if x > 0 else float("nan"), x > 0,
                                      "" if x > 0 else "zero predicted decay"))
    intervals.sort(key=lambda iv: iv.start)
    used = [iv for iv in intervals if iv.used]
    if not used:
        reasons = sorted({iv.reason for iv in intervals}) or ["no interval"]
        raise InputError("cannot fit Cd*A/m: no usable interval between element sets ("
                         + "; ".join(reasons) + ")", field="elements")
    x = np.array([iv.x_s_m for iv in used])
    b = np.array([iv.bc_m2_kg for iv in used])
    w = x / x.sum()
    value = float(np.sum(w * b))           # = sum(-da) / sum(x)
    spread = float(np.sqrt(np.sum(w * (b - value) ** 2)))
    n_eff = 1.0 / np.sum(w ** 2)
    sigma = spread / math.sqrt(n_eff) if len(used) > 1 else float("nan")
    bstar_bc = float(np.median([bc_from_bstar(s.bstar) for s in sets]))
    sw = getattr(atm, "space_weather", None)
    predicted = False
    if sw is not None:
        ends = np.array([_epoch64(s) for s in sets])
        predicted = bool(sw.at(ends[(ends >= _epoch64_dt(used[0].start))
                                    & (ends <= _epoch64_dt(used[-1].end))]).predicted.any())
    return BallisticFit(value_m2_kg=value, sigma_m2_kg=sigma, spread_m2_kg=spread,
                        intervals=tuple(intervals), manoeuvres=manoeuvres,
                        outliers=tuple(outliers), noise_m=float(noise_m),
                        bstar_value_m2_kg=bstar_bc, atmosphere=repr(atm),
                        space_weather_predicted=predicted)

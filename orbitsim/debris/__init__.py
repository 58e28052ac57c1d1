"""Reentry risk: where debris can fall, with what probability per country, and casualties.

Entry point :func:`risk`. It runs from

(a) a decay result (``orbitsim.reentry.DecayResult``: its ``final_orbit`` and
    reentry epoch; uncertainty scaled with the time from the start or from the
    last burn, with the run's fitted B sigma; after a deorbit burn only a 60 s
    timing error, the published footprint holding the targeted dispersions)
    or an ensemble of reentry epochs (``EnsembleResult.reentry_epochs``), or
(b) an element set or :class:`FinalOrbit` plus a :class:`ReentryTimes`
    distribution you choose (``ReentryTimes(nominal, predicted_at)``,
    ``ReentryTimes.fixed(epoch)`` for a controlled deorbit,
    ``ReentryTimes.uniform(start, end)``).

Definitions used in the output:

* ``probability``: the share of the surviving debris expected to land on a
  country (or on the ocean). Over countries plus ocean it sums to 1.
  95 % CI: percentile bootstrap over members (400 resamples).
* ``p_any``: the probability that at least one of a member's impact points
  lands on the country (per reentry event). 95 % CI: Wilson score interval.
* ``expected_casualties``: E_c contribution of the country (NASA-STD-8719.14
  method, :mod:`orbitsim.debris.casualty`); ``share_of_risk`` its share of the
  total E_c. CI: percentile bootstrap over members.

Modules: :mod:`.footprint` (ground track and debris footprint),
:mod:`.population` (bundled grid), :mod:`.casualty` (DAS casualty area),
:mod:`.montecarlo` (members, Dask).

>>> import datetime as dt
>>> t0 = dt.datetime(2022, 3, 1, tzinfo=dt.timezone.utc)
>>> r = risk(orbit=FinalOrbit(51.64, 30.0, 0.0, t0, 5300.0),
...          reentry=ReentryTimes(t0 + dt.timedelta(days=180), t0), members=250, seed=1)
>>> round(sum(c["probability"] for c in r.countries) + r.ocean["probability"], 9)
1.0
>>> r.casualty_expectation["exceeds_threshold"]      # ISS debris, uncontrolled
True
>>> sorted(r.comparison)
['China', 'EU', 'Europe without Russia', 'India', 'Russia', 'United States']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..timeutil import parse_utc, to_datetime64
from .casualty import (CASUALTY_THRESHOLD, ISS_SURVIVING_FRACTION_RANGE, Fragments,
                       check_fraction_range)
from .footprint import (J2000_UTC, R_MEAN_M, SPOUA_CENTRE_DEG, FinalOrbit, Footprint,
                        aim_orbit, geodetic_from_geocentric_deg)
from .montecarlo import Plan, ReentryTimes, bootstrap_mean_ci, run, wilson
from .population import grid

__all__ = ["risk", "RiskResult", "FinalOrbit", "Footprint", "Fragments", "ReentryTimes",
           "aim_orbit", "SPOUA_CENTRE_DEG", "CASUALTY_THRESHOLD", "COMPARISON"]

#: The comparison asked for by the claim "all the risks are yours".
EUROPE_EX_RUSSIA = "Europe without Russia"
COMPARISON = (("Russia", "RUS"), ("United States", "USA"), (EUROPE_EX_RUSSIA, None),
              ("EU", None), ("India", "IND"), ("China", "CHN"))
DEFAULT_REGIONS = ("Europe", "EU")
#: Timing error (1 sigma, s) of a reentry after a deorbit burn.
DEORBIT_TIMING_SIGMA_S = 60.0


@dataclass
class RiskResult:
    """Outcome of :func:`risk`; ``to_json()`` gives a JSON-ready dict."""

    members: int
    seed: int
    points_per_member: int
    orbit: FinalOrbit
    reentry: ReentryTimes
    footprint: Footprint
    fragments: Fragments
    area_scale_range: tuple
    countries: list            # rows, sorted by probability (descending)
    ocean: dict
    regions: dict
    comparison: dict
    casualty_expectation: dict
    band: dict
    probability_grid: np.ndarray     # (nlat, nlon) share of debris per 0.25-deg cell
    reentry_epochs: np.ndarray       # datetime64[us] per member
    centre_lat_deg: np.ndarray
    centre_lon_deg: np.ndarray
    casualties_per_member: np.ndarray
    notes: list = field(default_factory=list)
    nominal: dict = field(default_factory=dict)   # nominal impact point (footprint centre)

    def country(self, code_or_name: str) -> dict:
        """Row for an ISO alpha-3 code or a name (InputError if unknown)."""
        key = code_or_name.strip().lower()
        for row in self.countries:
            if row["iso_a3"].lower() == key or row["name"].lower() == key:
                return row
        g = grid()
        try:
            k = g.index_of(code_or_name)
        except InputError:
            hit = np.flatnonzero(np.char.lower(g.name.astype(str)) == key)
            if hit.size == 0:
                raise InputError(f"unknown country {code_or_name!r}", field="country") from None
            k = int(hit[0])
        return _empty_row(g, k)

    def to_json(self) -> dict:
        return {
            "members": self.members, "seed": self.seed,
            "points_per_member": self.points_per_member,
            "final_orbit": {"inclination_deg": self.orbit.inclination_deg,
                            "raan_deg": self.orbit.raan_deg,
                            "arg_lat_deg": self.orbit.arg_lat_deg,
                            "epoch": _iso(self.orbit.epoch64), "period_s": self.orbit.period_s},
            "reentry": self.reentry.to_json(),
            "reentry_epochs": {"min": _iso(self.reentry_epochs.min()),
                               "max": _iso(self.reentry_epochs.max()),
                               "median": _iso(_median_time(self.reentry_epochs))},
            "footprint": {"length_km": self.footprint.length_km,
                          "width_km": self.footprint.width_km,
                          "scale_min": self.footprint.scale_min},
            "fragments": self.fragments.to_json(),
            "casualty_area_scale_range": list(self.area_scale_range),
            "casualty_expectation": self.casualty_expectation,
            "expected_casualties": self.casualty_expectation["mean"],
            "ocean_probability": self.ocean["probability"],
            "ocean": self.ocean, "regions": self.regions, "comparison": self.comparison,
            "band": self.band, "nominal": self.nominal, "countries": self.countries,
            "notes": self.notes,
            "ci_methods": {"probability": "percentile bootstrap over members, 400 resamples, 95 %",
                           "p_any": "Wilson score interval, 95 %",
                           "expected_casualties": "percentile bootstrap over members, 95 %"},
        }


def _iso(t) -> str:
    """ISO 8601 UTC text (to the second, with Z) of a datetime64 or aware datetime."""
    return str(np.datetime_as_string(to_datetime64(t), unit="s")) + "Z"


def _median_time(t):
    s = np.sort(np.asarray(t, dtype="datetime64[us]"))
    return s[len(s) // 2]


def _empty_row(g, k):
    return {"iso_a3": str(g.iso_a3[k]), "name": str(g.name[k]), "probability": 0.0,
            "probability_ci": [0.0, 0.0], "p_any": 0.0, "p_any_ci": [0.0, 0.0],
            "expected_casualties": 0.0, "expected_casualties_ci": [0.0, 0.0],
            "share_of_risk": 0.0}


def _source_to_inputs(source, orbit, reentry, start):
    """Resolve (orbit, reentry) from a decay result, an ensemble, an element set or explicit."""
    if source is not None and hasattr(source, "final_orbit") and hasattr(source, "reentry_epoch"):
        if orbit is None:
            orbit = FinalOrbit.from_any(source.final_orbit)
        if reentry is None:
            if getattr(source, "reentry_epoch", None) is None:
                raise InputError("the decay run did not reach reentry; extend it", field="decay")
            b = getattr(source, "ballistic_coefficient_m2_kg", None)
            sb = getattr(source, "ballistic_coefficient_sigma_m2_kg", None)
            kw = {}
            if b is not None and sb is not None and math.isfinite(b) and math.isfinite(sb) \
                    and b > 0 and sb > 0:
                kw["sigma_bc_rel"] = float(sb / b)
            if _deorbit_burn(source):
                # NASA's ISS footprint already includes the dispersions of a targeted reentry
                # (burn accuracy, debris ballistic coefficients, breakup, density, winds: NRC
                # 2000, ch. 6); only a small timing error is added.
                reentry = ReentryTimes.fixed(source.reentry_epoch, DEORBIT_TIMING_SIGMA_S)
            else:
                reentry = ReentryTimes(source.reentry_epoch, _prediction_epoch(source, start),
                                       **kw)
    elif source is not None and hasattr(source, "satrec"):
        if orbit is None:
            orbit = FinalOrbit.from_elements(source)
    elif source is not None and hasattr(source, "reentry_epochs"):
        if reentry is None:
            reentry = ReentryTimes.from_samples(source.reentry_epochs)
        if orbit is None and getattr(source, "final_orbit", None) is not None:
            orbit = source.final_orbit
    elif source is not None:
        raise InputError(f"cannot assess risk from a {type(source).__name__}", field="source")
    if orbit is None:
        raise InputError("no final orbit: pass a DecayResult, an element set or orbit=",
                         field="orbit")
    if reentry is None:
        raise InputError("no reentry window: pass a DecayResult, an ensemble or reentry=",
                         field="reentry")
    return FinalOrbit.from_any(orbit), reentry


def _burn_time_kind(burn):
    if isinstance(burn, dict):
        t = burn.get("time") or burn.get("time_utc")
        kind = burn.get("kind") or burn.get("label")
    else:
        t = getattr(burn, "time", None)
        kind = getattr(burn, "kind", None) or getattr(burn, "label", None)
    if t is not None:
        t = to_datetime64(parse_utc(t)) if isinstance(t, str) else to_datetime64(t)
    return t, (str(kind).lower() if kind is not None else "")


def _deorbit_burn(result) -> bool:
    """True if a deorbit burn precedes the reentry (a targeted reentry)."""
    end = to_datetime64(result.reentry_epoch)
    for burn in getattr(result, "burns", None) or ():
        t, kind = _burn_time_kind(burn)
        if t is not None and t <= end and "deorbit" in kind:
            return True
    return False


def _prediction_epoch(result, start):
    """When the reentry became a prediction: the run start, or the last burn after it.

    The lifetime-scaled uncertainty then applies to the time after the last
    manoeuvre (a deorbit burn fixes the reentry to within a fraction of an orbit).
    """
    t0 = to_datetime64(start) if start is not None else None
    if t0 is None and getattr(result, "time_utc", None) is not None:
        t0 = np.asarray(result.time_utc, dtype="datetime64[us]")[0]
    if t0 is None:
        raise InputError("decay result without time_utc: pass start=", field="start")
    end = to_datetime64(result.reentry_epoch)
    for burn in getattr(result, "burns", None) or ():
        bt, _ = _burn_time_kind(burn)
        if bt is not None and t0 < bt <= end:
            t0 = bt
    return t0


def _region_members(names, g, notes):
    """Country-table masks for regions from :func:`orbitsim.geography.place` (``indices``).

    The population grid and :mod:`orbitsim.geography` read the same Natural Earth
    file in the same order; that is checked, not assumed.
    """
    from .. import geography
    cs = geography.countries()
    if [c.adm0_a3 for c in cs] != list(g.adm0_a3):
        raise InputError("the population grid and orbitsim.geography disagree on the Natural "
                         "Earth country list; rebuild the grid (orbitsim/data/build_population.py)",
                         field="population_grid")
    out = {}
    for name in names:
        mask = np.zeros(g.n_countries, dtype=bool)
        mask[list(geography.place(name).indices)] = True
        out[name] = mask
    if "Europe" in out:
        # Natural Earth puts all of Russia in Europe; the claim compares Russia with Europe.
        out[EUROPE_EX_RUSSIA] = out["Europe"] & (g.adm0_a3 != "RUS")
        notes.append("'Europe' is Natural Earth's continent (includes all of Russia); "
                     f"'{EUROPE_EX_RUSSIA}' removes Russia")
    return out


def risk(source=None, *, orbit=None, reentry: ReentryTimes | None = None, start=None,
         members: int = 2000, seed: int = 0, footprint: Footprint | None = None,
         fragments: Fragments | None = None, surviving_fraction_range=None,
         points_per_member: int = 64, scheduler=None, regions=DEFAULT_REGIONS,
         progress=None) -> RiskResult:
    """Monte-Carlo reentry risk per country, region and ocean.

    source: ``DecayResult`` | ensemble (``.reentry_epochs``) | ``ElementSet`` | None.
    orbit: :class:`FinalOrbit` (or ``final_orbit``-like) overriding the source's.
    reentry: :class:`ReentryTimes` overriding the source's.
    members: Monte-Carlo members (>= 1); seed: integer seed (reproducible).
    footprint: :class:`Footprint` (default ISS: 5370 x 300 km, scale U(0.5, 1)).
    fragments: :class:`Fragments` (default :meth:`Fragments.iss`).
    surviving_fraction_range: (lo, hi) surviving-mass fraction per member; default
      (0.10, 0.40) for the ISS default fragments, none (fixed) for a custom list
      without ``total_mass_kg``.
    points_per_member: impact points representing one member's debris.
    scheduler: Dask scheduler address (``tcp://host:port``) or ``distributed.Client``.
    progress: callable(done_members, total_members).
    """
    if isinstance(members, bool) or not isinstance(members, (int, np.integer)) or members < 1:
        raise InputError(f"members must be a positive integer, got {members!r}", field="members")
    if not isinstance(points_per_member, (int, np.integer)) or not 1 <= points_per_member <= 4096:
        raise InputError(f"points_per_member must be in 1..4096, got {points_per_member!r}",
                         field="points_per_member")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}", field="seed")
    orbit, reentry = _source_to_inputs(source, orbit, reentry, start)
    footprint = footprint or Footprint()
    if fragments is None:
        fragments = Fragments.iss()
        if surviving_fraction_range is None:
            surviving_fraction_range = ISS_SURVIVING_FRACTION_RANGE
    rng_frac = check_fraction_range(surviving_fraction_range)
    if rng_frac is None:
        area_scale = (1.0, 1.0)
    else:
        if fragments.surviving_fraction is None:
            raise InputError("a surviving-fraction range needs fragments with total_mass_kg",
                             field="surviving_fraction_range")
        f0 = fragments.surviving_fraction
        area_scale = (rng_frac[0] / f0, rng_frac[1] / f0)

    plan = Plan(orbit, reentry, footprint, fragments.casualty_area_m2, area_scale,
                int(members), int(points_per_member), int(seed))
    blocks = run(plan, scheduler=scheduler, progress=progress)
    res = _summarise(plan, blocks, fragments, regions)
    res.nominal = _nominal(orbit, reentry, source)
    return res


def _nominal(orbit, reentry, source) -> dict:
    """Footprint centre at the nominal epoch; beside it the decay engine's reentry point."""
    from .footprint import nadir_deg

    if reentry.samples is not None:
        t = _median_time(np.asarray(reentry.samples, dtype="datetime64[us]"))
    else:
        t = to_datetime64(reentry.nominal)
    lat, lon = nadir_deg(orbit, t)
    out = {"epoch": _iso(t), "lat_deg": float(lat[0]), "lon_deg": float(lon[0])}
    dlat, dlon = getattr(source, "reentry_lat_deg", None), getattr(source, "reentry_lon_deg", None)
    if dlat is not None and dlon is not None and math.isfinite(dlat) and math.isfinite(dlon):
        p1, p2 = math.radians(dlat), math.radians(out["lat_deg"])
        c = (math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2)
             * math.cos(math.radians(dlon - out["lon_deg"])))
        out.update(decay_lat_deg=float(dlat), decay_lon_deg=float(dlon),
                   distance_to_decay_point_km=math.acos(max(-1.0, min(1.0, c))) * R_MEAN_M / 1e3)
    return out


def _summarise(plan, blocks, fragments, region_names) -> RiskResult:
    g = grid()
    notes = []
    counts = np.concatenate([b.counts for b in blocks])          # (M, C+1)
    cas = np.concatenate([b.casualties for b in blocks])
    t_s = np.concatenate([b.t_s for b in blocks])
    m, k = counts.shape[0], plan.points
    frac = counts / k
    ncell = g.shape[0] * g.shape[1]
    cell_total = np.zeros(ncell, dtype=np.int64)
    for b in blocks:
        np.add.at(cell_total, b.cells, b.cell_counts)
    prob_grid = (cell_total / (m * k)).reshape(g.shape)

    # Columns: countries hit, then ocean, then regions (sums of member columns).
    hit = np.flatnonzero(counts[:, :-1].sum(axis=0) > 0)
    interest = [g.index_of(c) for _, c in COMPARISON if c]
    cols = np.union1d(hit, interest)
    region_masks = _region_members(region_names, g, notes)
    x_frac = [frac[:, cols], frac[:, -1:]]
    x_cas = [cas[:, cols], cas[:, -1:]]
    x_any = [counts[:, cols] > 0, counts[:, -1:] > 0]
    for mask in region_masks.values():
        sel = np.flatnonzero(mask)
        x_frac.append(frac[:, sel].sum(axis=1, keepdims=True))
        x_cas.append(cas[:, sel].sum(axis=1, keepdims=True))
        x_any.append(counts[:, sel].sum(axis=1, keepdims=True) > 0)
    x_frac, x_cas, x_any = np.hstack(x_frac), np.hstack(x_cas), np.hstack(x_any)
    total_cas = cas.sum(axis=1)
    x_all = np.hstack([x_frac, x_cas, total_cas[:, None]])
    lo, hi = bootstrap_mean_ci(x_all, plan.seed)
    mean = x_all.mean(axis=0)
    nc = x_frac.shape[1]
    p_mean, p_lo, p_hi = mean[:nc], lo[:nc], hi[:nc]
    c_mean, c_lo, c_hi = mean[nc:2 * nc], lo[nc:2 * nc], hi[nc:2 * nc]
    ec, ec_lo, ec_hi = mean[-1], lo[-1], hi[-1]
    n_any = x_any.sum(axis=0)
    a_lo, a_hi = wilson(n_any, m)

    def row(j, iso_a3, name):
        return {"iso_a3": iso_a3, "name": name, "probability": float(p_mean[j]),
                "probability_ci": [float(p_lo[j]), float(p_hi[j])],
                "p_any": float(n_any[j] / m), "p_any_ci": [float(a_lo[j]), float(a_hi[j])],
                "expected_casualties": float(c_mean[j]),
                "expected_casualties_ci": [float(c_lo[j]), float(c_hi[j])],
                "share_of_risk": float(c_mean[j] / ec) if ec > 0 else 0.0}

    rows = [row(j, str(g.iso_a3[c]), str(g.name[c])) for j, c in enumerate(cols)]
    ocean = row(len(cols), "", "ocean")
    regions = {name: row(len(cols) + 1 + r, "", name) for r, name in enumerate(region_masks)}
    by_iso = {r["iso_a3"]: r for r in rows}
    comparison = {}
    for label, code in COMPARISON:
        if code is None:
            if label in regions:
                comparison[label] = regions[label]
        else:
            comparison[label] = by_iso[str(g.iso_a3[g.index_of(code)])]
    rows.sort(key=lambda r: (-r["probability"], r["name"]))

    inc = min(plan.orbit.inclination_deg, 180.0 - plan.orbit.inclination_deg)
    max_lat = float(geodetic_from_geocentric_deg(inc)) + math.degrees(
        plan.footprint.width_km * 1e3 / 2 / R_MEAN_M)
    band = {"max_abs_lat_deg": max_lat,
            "world_population_share": g.band_population(max_lat) / g.world_population,
            "world_population": g.world_population}
    cex = {"mean": float(ec), "ci": [float(ec_lo), float(ec_hi)],
           "threshold": CASUALTY_THRESHOLD, "ratio_to_threshold": float(ec / CASUALTY_THRESHOLD),
           "exceeds_threshold": bool(ec > CASUALTY_THRESHOLD),
           "one_in": float(1.0 / ec) if ec > 0 else None}
    return RiskResult(plan.members, plan.seed, plan.points, plan.orbit, plan.times,
                      plan.footprint, fragments, plan.area_scale_range, rows, ocean, regions,
                      comparison, cex, band, prob_grid,
                      J2000_UTC + np.round(t_s * 1e6).astype("timedelta64[us]"),
                      np.concatenate([b.centre_lat_deg for b in blocks]),
                      np.concatenate([b.centre_lon_deg for b in blocks]), total_cas, notes)

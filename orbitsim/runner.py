"""Scenario runner: a validated scenario -> numbers, figures and a plain-language summary.

``run(scenario, out_dir)`` calls the public APIs of the other modules --
:func:`orbitsim.elements.select_elements`, :func:`orbitsim.reentry.decay`
(orbit-averaged decay with reboosts, separations and burns),
:func:`orbitsim.reentry.ensemble`, :func:`orbitsim.propagate.track`,
:func:`orbitsim.debris.risk` and the plotting modules -- and never re-implements
their physics. The few analyses that are the scenario's own are simple and
cited where they are computed:

* the altitude a prograde burn of Delta-v buys on a near-circular orbit,
  Delta-a = 2 a Delta-v / v (Gauss's variational equation for the semi-major
  axis, Vallado 2013, Eq. 9-24 with a tangential impulse);
* the retrograde Delta-v that lowers the perigee of a circular orbit of
  radius r to r_p, from vis-viva (Vallado 2013, Sec. 6.3.1), and the
  propellant from Tsiolkovsky's equation m_p = m0 (1 - exp(-Delta-v / (Isp g0)));
* how far two parts of a separated station drift apart along their common
  orbit: the integral of the difference of their mean motions n = sqrt(mu/a^3).

Everything is written through :func:`orbitsim.io.staged_dir`: a failure
leaves nothing in ``out_dir``. Outputs contain no wall-clock time, so the
same inputs and seed give byte-identical ``result.json`` and ``summary.md``.

An output that falls outside a shortened horizon (no reentry, separation or deorbit burn
within ``horizon_days``) is not guessed: ``result.json`` records
``{"status": "skipped", "reason": ...}`` for it and the summary says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import io
from .constants import G0_M_S2, MU_EARTH_M3_S2, R_EARTH_EQ_M
from .reentry import decay as decay_engine
from .reentry import ensemble
from .elements import select_elements
from .errors import InputError
from .events import Burn, ConfigChange, DeorbitBurn, EndReboosts, ReboostPolicy
from .plots import scenario as splot
from .plots.groundtrack import plot_ground_track
from .plots.risk import plot_risk_map
from .propagate import track
from .debris import risk
from .scenario import (BurnEvent, DeorbitBurnEvent, EndReboostsEvent, ReboostPolicyEvent,
                       Scenario, SeparationEvent, load)
from .timeutil import UTC, iso, to_datetime, to_datetime64

__all__ = ["run", "RunResult", "default_out_dir",
           "prograde_altitude_gain_km", "deorbit_dv_m_s", "propellant_kg"]

MEAN_EARTH_RADIUS_KM = 6371.0088   # IUGG mean radius R1 (Moritz 2000), for ground distances


@dataclass
class RunResult:
    """What a run produced: the result dictionary (as written to result.json) and the files."""
    scenario: Scenario
    out_dir: Path
    result: dict
    summary: str
    files: list[str] = field(default_factory=list)


def default_out_dir(scenario: Scenario) -> Path:
    """``out/scenarios/<name>/`` relative to the current directory."""
    return Path("out") / "scenarios" / scenario.name


# ----------------------------------------------------------------------------------------------
# The scenario's own small analyses (cited in the module docstring).


def prograde_altitude_gain_km(alt_km, dv_m_s):
    """Mean-altitude gain (km) from a tangential burn of ``dv_m_s`` on a circular orbit.

    Delta-a = 2 a Delta-v / v with v = sqrt(mu / a) (Vallado 2013, Eq. 9-24).

    >>> round(float(prograde_altitude_gain_km(420.0, 1.0)), 3)   # ~1.8 km per m/s at the ISS
    1.776
    """
    a_m = R_EARTH_EQ_M + np.asarray(alt_km, dtype=float) * 1e3
    v = np.sqrt(MU_EARTH_M3_S2 / a_m)
    return 2.0 * a_m * dv_m_s / v / 1e3


def deorbit_dv_m_s(alt_km: float, perigee_km: float) -> float:
    """Retrograde Delta-v (m/s) taking a circular orbit at ``alt_km`` to a perigee of ``perigee_km``.

    Vis-viva at apogee of the transfer ellipse (Vallado 2013, Sec. 6.3.1).

    >>> round(deorbit_dv_m_s(420.0, 50.0), 1)
    107.9
    """
    r1 = R_EARTH_EQ_M + alt_km * 1e3
    rp = R_EARTH_EQ_M + perigee_km * 1e3
    v_circ = math.sqrt(MU_EARTH_M3_S2 / r1)
    v_apo = math.sqrt(MU_EARTH_M3_S2 * (2.0 / r1 - 2.0 / (r1 + rp)))
    return v_circ - v_apo


def propellant_kg(mass_kg: float, dv_m_s: float, isp_s: float) -> float:
    """Propellant (kg) for ``dv_m_s`` on an initial mass ``mass_kg`` (Tsiolkovsky).

    >>> round(propellant_kg(419725, 6.2, 302))
    878
    """
    return mass_kg * (1.0 - math.exp(-abs(dv_m_s) / (isp_s * G0_M_S2)))


def _great_circle_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return MEAN_EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, c)))


# ----------------------------------------------------------------------------------------------
# Translating the scenario into the decay engine's inputs


def _elements(sc: Scenario):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es = select_elements(None if sc.orbit.bundled else sc.orbit.tle, sc.start,
                                force=sc.orbit.force)
    notes = [str(w.message) for w in caught]
    return es, notes


def _decay_events(sc: Scenario, *, part=None, extra=()) -> list:
    """events.py objects for the decay engine; *part* = label to follow after a separation.

    In a scenario, ``end_reboosts`` (and a separation leaving a part without propulsion) ends
    the reboost policies in force, and a policy that starts later resumes reboosting. The
    engine's ``EndReboosts`` is final, so the runner clips each policy's ``end`` at the first
    stop after its start and passes ``EndReboosts`` only when no policy starts later.
    """
    stops = sorted([e.time for e in sc.events if isinstance(e, EndReboostsEvent)]
                   + [e.time for e in sc.events if isinstance(e, SeparationEvent)
                      and not e.part(part or e.follow).reboosts])
    policies = [e for e in sc.events if isinstance(e, ReboostPolicyEvent)]
    out = []
    for e in sc.events:
        if isinstance(e, ReboostPolicyEvent):
            end = e.end
            for t in stops:
                if e.start is None or t > e.start:
                    end = t if end is None else min(end, t)
                    break
            if e.start is not None and end is not None and end <= e.start:
                continue
            out.append(ReboostPolicy(trigger_alt_km=e.trigger_alt_km,
                                        target_alt_km=e.target_alt_km, start=e.start, end=end,
                                        isp_s=e.isp_s))
        elif isinstance(e, BurnEvent):
            out.append(Burn(e.time, e.dv_m_s, **({"isp_s": e.isp_s} if e.isp_s else {})))
        elif isinstance(e, SeparationEvent):
            p = e.part(part or e.follow)
            out.append(ConfigChange(e.time, mass_kg=p.mass_kg, area_m2=p.area_m2, cd=p.cd,
                                       label=p.label))
        # DeorbitBurnEvent: sized and timed by the deorbit analysis (see _deorbit)
    for t in stops:
        if not any(pe.start is not None and pe.start >= t for pe in policies):
            out.append(EndReboosts(t))
            break
    out.extend(extra)
    return sorted(out, key=_event_time)


def _event_time(e):
    t = getattr(e, "time", None)
    if t is None:
        t = getattr(e, "start", None)
    if t is None:
        return dt.datetime(1, 1, 1, tzinfo=UTC)
    return to_datetime(t) if not isinstance(t, dt.datetime) else t


class _Decay:
    """Runs ``orbitsim.reentry.decay`` for this scenario with overrides; caches the fitted Cd*A/m."""

    def __init__(self, sc: Scenario, elements, until, progress=None):
        self.sc = sc
        self.elements = elements
        self.until = until
        self.progress = progress
        self.bc_fit = None
        self.bc_sigma = None
        self.bc_method = None
        self.bc_notes = []
        self.runs = 0

    def bc(self, mass_kg=None):
        """The ``bc=`` argument.

        ``properties``: cd*area/mass. ``fit``/``bstar``: the engine's own method for the main
        run; every later run reuses the main run's value (a float), so that Cd*A/m -- a
        property of the spacecraft, calibrated on the element-set history with the scenario's
        solar activity -- does not change with the solar profile of a what-if (fitting under
        a 'high' profile would otherwise shrink it to match the observed decay). Another
        mass at the same Cd*A scales it by the mass ratio.
        """
        s = self.sc.spacecraft
        m = s.mass_kg if mass_kg is None else mass_kg
        if s.ballistic == "properties":
            return s.cd * s.area_m2 / m
        if self.bc_fit is None:
            self.calibrate()
        return self.bc_fit * s.mass_kg / m

    def calibrate(self):
        """Cd*A/m by the engine's ``fit``/``bstar`` method, once, with OBSERVED space weather.

        The fit compares the element-set history (the weeks before the start) with the
        density model; it must see the space weather that actually happened then, whatever
        profile the what-if assumes afterwards. A one-day engine run with
        ``solar="observed"`` gives the value and its sigma.
        """
        s = self.sc.spacecraft
        res = decay_engine(self.elements, mass_kg=s.mass_kg, area_m2=s.area_m2, cd=s.cd,
                           start=self.sc.start, solar="observed", bc=s.ballistic, events=(),
                           until=self.sc.start + dt.timedelta(days=1), window=False)
        self.bc_fit = float(res.ballistic_coefficient_m2_kg)
        self.bc_sigma = float(res.ballistic_coefficient_sigma_m2_kg)
        self.bc_method = str(getattr(res, "bc_method", s.ballistic))
        self.bc_notes = [str(n) for n in getattr(res, "notes", [])]

    def __call__(self, *, solar=None, mass_kg=None, events=None, until=None, label=""):
        s = self.sc.spacecraft
        kwargs = dict(mass_kg=s.mass_kg if mass_kg is None else mass_kg, area_m2=s.area_m2,
                      cd=s.cd, start=self.sc.start,
                      solar=self.sc.solar.api_value() if solar is None else solar,
                      bc=self.bc(mass_kg), events=_decay_events(self.sc) if events is None
                      else events, until=self.until if until is None else until)
        if self.bc_sigma is not None and self.bc_fit:
            kwargs["bc_sigma_m2_kg"] = self.bc_sigma * (kwargs["bc"] / self.bc_fit)
        if self.progress is not None:
            kwargs["progress"] = self.progress
        res = decay_engine(self.elements, **kwargs)
        self.runs += 1
        if self.bc_fit is None:     # "properties": the value as given
            self.bc_fit = float(res.ballistic_coefficient_m2_kg)
            self.bc_sigma = float(res.ballistic_coefficient_sigma_m2_kg)
            self.bc_method = "properties (cd * area / mass)"
        return res


# ----------------------------------------------------------------------------------------------
# Reading a DecayResult (ARCHITECTURE.md interface)


def _t64(x):
    return np.asarray(x, dtype="datetime64[us]")


def _opt_iso(t):
    return None if t is None else iso(t)


def _window(w):
    if w is None:
        return None
    return [_opt_iso(w[0]), _opt_iso(w[1])]


def _days_between(t, t0) -> float:
    return float((to_datetime64(_as_dt(t)) - to_datetime64(_as_dt(t0))).astype(np.int64)) / 86400e6


def _as_dt(t):
    if isinstance(t, dt.datetime):
        return t
    return to_datetime(t)


def _decay_summary(res, start) -> dict:
    """The headline figures of one decay run, with units in the keys."""
    re_epoch = getattr(res, "reentry_epoch", None)
    alt = np.asarray(res.mean_alt_km, dtype=float)
    d = {
        "reentry_epoch_utc": _opt_iso(re_epoch),
        "lifetime_days": None if re_epoch is None else round(_days_between(re_epoch, start), 3),
        "reentry_lat_deg": _round(getattr(res, "reentry_lat_deg", None), 3),
        "reentry_lon_deg": _round(getattr(res, "reentry_lon_deg", None), 3),
        "window_utc": _window(getattr(res, "window_utc", None)),
        "window_20pct_utc": _window(getattr(res, "window_20pct_utc", None)),
        "ballistic_coefficient_m2_kg": _round(res.ballistic_coefficient_m2_kg, 7),
        "ballistic_coefficient_sigma_m2_kg": _round(
            getattr(res, "ballistic_coefficient_sigma_m2_kg", None), 7),
        "start_mean_alt_km": _round(alt[0], 3) if alt.size else None,
        "end_mean_alt_km": _round(alt[-1], 3) if alt.size else None,
        "min_mean_alt_km": _round(alt.min(), 3) if alt.size else None,
        "max_mean_alt_km": _round(alt.max(), 3) if alt.size else None,
        "end_utc": iso(_t64(res.time_utc)[-1]) if alt.size else None,
    }
    rate = getattr(res, "decay_rate_m_day", None)
    if rate is not None and np.size(rate):
        r = np.asarray(rate, dtype=float)
        d["initial_decay_rate_m_day"] = _round(r[0], 2)
    burns = getattr(res, "burns", None) or []
    if burns:
        d["burns"] = _burns_summary(burns, start, res)
    return d


def _burns_summary(burns, start, res) -> dict:
    """Burns executed by the engine (reboosts, burns, deorbit; configuration changes apart)."""
    rows, configs = [], []
    for b in burns:
        get = (b.get if isinstance(b, dict) else lambda k, _b=b: getattr(_b, k, None))
        if get("kind") == "config":
            configs.append({"time_utc": _opt_iso(get("time")), "label": get("label")})
            continue
        rows.append({"time_utc": _opt_iso(get("time")), "kind": get("kind"),
                     "dv_m_s": _round(_scalar(get("dv_m_s")), 4),
                     "propellant_kg": _round(_scalar(get("propellant_kg")), 2),
                     "alt_before_km": _round(_scalar(get("alt_before_km")), 3),
                     "alt_after_km": _round(_scalar(get("alt_after_km")), 3)})
    reb = [r for r in rows if r["kind"] == "reboost"]
    dv = sum(r["dv_m_s"] or 0.0 for r in reb)
    prop = sum(r["propellant_kg"] or 0.0 for r in reb)
    t = _t64(res.time_utc)
    span_days = float((t[-1] - t[0]).astype(np.int64)) / 86400e6 if t.size > 1 else 0.0
    out = {"count": len(rows), "reboosts": len(reb), "reboost_dv_m_s": round(dv, 4),
           "reboost_propellant_kg": round(prop, 2), "list": rows}
    if configs:
        out["configuration_changes"] = configs
    if span_days > 0 and reb:
        out["reboost_dv_m_s_per_year"] = round(dv * 365.25 / span_days, 3)
        out["reboost_propellant_kg_per_year"] = round(prop * 365.25 / span_days, 1)
    return out


def _scalar(x):
    """One number from an engine value that may be a one-member array."""
    if x is None:
        return None
    a = np.asarray(x, dtype=float)
    return float(a.reshape(-1)[0]) if a.size else None


def _round(x, n):
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return round(x, n)


def _series(res, max_points=400) -> dict:
    """Altitude time series, decimated to at most *max_points* (every k-th point plus the last)."""
    t = _t64(res.time_utc)
    k = max(1, int(math.ceil(t.size / max_points)))
    idx = np.r_[np.arange(0, t.size, k), t.size - 1] if t.size else np.arange(0)
    idx = np.unique(idx)
    out = {"time_utc": [iso(x) for x in t[idx]],
           "mean_alt_km": [round(float(v), 3) for v in np.asarray(res.mean_alt_km)[idx]]}
    for name in ("perigee_alt_km", "apogee_alt_km", "decay_rate_m_day", "f107", "ap"):
        arr = getattr(res, name, None)
        if arr is not None and np.size(arr) == t.size:
            out[name] = [round(float(v), 3) for v in np.asarray(arr, dtype=float)[idx]]
    return out


# ----------------------------------------------------------------------------------------------
# run()


def run(scenario, out_dir=None, *, horizon_days=None, members=None, progress=None,
        seeds_dir=None) -> RunResult:
    """Run *scenario* (a :class:`Scenario` or a path) and write its outputs to *out_dir*.

    ``horizon_days`` overrides the scenario's horizon (days from the start), ``members`` its
    Monte-Carlo ensemble size. ``progress`` (optional) is called as ``progress(step, total,
    message)``. Writes ``result.json``, ``summary.md`` and the figures; returns a
    :class:`RunResult`. Raises :class:`InputError` for bad input (nothing written).
    """
    sc = scenario if isinstance(scenario, Scenario) else load(scenario, seeds_dir=seeds_dir)
    if horizon_days is not None:
        if not (isinstance(horizon_days, (int, float)) and horizon_days > 0):
            raise InputError(f"must be a positive number of days, got {horizon_days!r}",
                             field="horizon_days")
        sc = dataclasses.replace(sc, horizon_days=float(horizon_days))
    if members is not None:
        if not (isinstance(members, int) and members >= 1):
            raise InputError(f"must be a positive integer, got {members!r}", field="members")
        sc = dataclasses.replace(sc, montecarlo=dataclasses.replace(sc.montecarlo,
                                                                    members=members))
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(sc)

    steps = _plan(sc)
    done = [0]

    def tick(msg):
        done[0] += 1
        if progress is not None:
            progress(done[0], len(steps), msg)

    result: dict = {"scenario": sc.name, "inputs": sc.to_dict(), "units": _UNITS}
    figures: dict = {}

    elements, notes = _elements(sc)
    result["orbit"] = {
        "element_set": {"name": elements.name, "catalog": elements.catalog,
                        "epoch_utc": iso(elements.epoch), "source": _src(elements),
                        "mean_altitude_km": _round(elements.mean_altitude_km, 3),
                        "inclination_deg": _round(elements.inclination_deg, 4),
                        "period_min": _round(elements.period_min, 4)},
        "start_minus_epoch_days": round(_days_between(sc.start, elements.epoch), 4),
        "notes": notes,
    }
    decay = _Decay(sc, elements, sc.end)

    # Main run -------------------------------------------------------------------------------
    main = decay(label="main run")
    tick("main run")
    result["ballistic_coefficient"] = {
        "value_m2_kg": _round(decay.bc_fit, 7), "sigma_m2_kg": _round(decay.bc_sigma, 7),
        "method": decay.bc_method, "stated_properties_m2_kg": round(sc.spacecraft.bc_m2_kg, 7),
        "note": "fit/bstar: calibrated once with observed space weather over the element-set "
                "history and reused by every run of this scenario" if
                sc.spacecraft.ballistic != "properties" else "cd * area / mass as stated",
        "engine_notes": decay.bc_notes}
    result["main"] = _decay_summary(main, sc.start)
    result["main"]["series"] = _series(main)
    runs = {"main": main}

    # Analyses --------------------------------------------------------------------------------
    an = sc.analysis
    if an.solar_profiles:
        result["solar_profiles"] = {}
        for prof in an.solar_profiles:
            r = main if prof == sc.solar.label() else decay(solar=prof, label=f"solar {prof}")
            runs[f"solar:{prof}"] = r
            result["solar_profiles"][prof] = _decay_summary(r, sc.start)
            tick(f"solar {prof}")

    if an.compare_mass_kg:
        result["mass_comparison"] = _mass_comparison(sc, decay, main, runs, tick)

    seps = sc.events_of(SeparationEvent)
    if seps and seps[0].time >= sc.end:
        result["separation"] = {"status": "skipped", "time_utc": iso(seps[0].time),
                                "reason": f"the separation ({iso(seps[0].time)}) is after the end "
                                          f"of the {sc.horizon_days:g}-day run"}
    elif seps:
        result["separation"] = _separation(sc, decay, main, runs, seps[0], elements, tick,
                                           figures)

    if an.rescue_dv_m_s is not None:
        result["rescue"] = _rescue(sc, decay, main, tick)

    deorbits = sc.events_of(DeorbitBurnEvent)
    if deorbits and deorbits[0].time >= sc.end:
        result["deorbit"] = {"status": "skipped", "reason": f"the deorbit burn "
                             f"({iso(deorbits[0].time)}) is after the end of the "
                             f"{sc.horizon_days:g}-day run"}
    elif deorbits:
        result["deorbit"] = _deorbit(sc, decay, main, deorbits[0], elements, tick, runs)

    if sc.montecarlo.members:
        result["ensemble"] = _ensemble(sc, decay, elements)
        tick("ensemble")

    if an.risk:
        result["risk"] = _risk(sc, main, runs, elements, result)
        tick("risk")

    # Write -----------------------------------------------------------------------------------
    with io.staged_dir(out_dir) as stage:
        files = _figures(sc, stage, runs, elements, result, figures)
        tick("figures")
        result["figures"] = figures
        summary = _summary(sc, result)
        io.write_json(stage / "result.json", _plain(result))
        io.write_text(stage / "summary.md", summary)
        files = sorted(set(files) | {"result.json", "summary.md"})
    return RunResult(scenario=sc, out_dir=out_dir, result=result, summary=summary, files=files)


_UNITS = {"*_km": "kilometres", "*_m_s": "metres per second", "*_kg": "kilograms",
          "*_deg": "degrees", "*_days": "days", "*_utc": "ISO 8601 UTC",
          "*_m2_kg": "square metres per kilogram (Cd*A/m)", "*_m_day": "metres per day",
          "f107": "solar flux units (1e-22 W m^-2 Hz^-1)", "ap": "Ap index (2 nT)"}


def _src(elements):
    src = Path(str(elements.source)).name
    return f"{src}:{elements.lineno}" if elements.lineno else src


def _plan(sc: Scenario) -> list[str]:
    steps = ["main run"]
    steps += [f"solar {p}" for p in sc.analysis.solar_profiles]
    steps += [f"mass {m}" for m in sc.analysis.compare_mass_kg]
    for s in sc.events_of(SeparationEvent):
        steps += [f"part {p.label}" for p in s.parts if p.label != s.follow]
    if sc.analysis.rescue_dv_m_s is not None:
        steps.append("rescue check")
    if sc.events_of(DeorbitBurnEvent):
        steps += ["deorbit", "deorbit aimed"]
    if sc.montecarlo.members:
        steps.append("ensemble")
    if sc.analysis.risk:
        steps.append("risk")
    steps.append("figures")
    return steps


def _mass_comparison(sc, decay, main, runs, tick) -> dict:
    s = sc.spacecraft
    base = _decay_summary(main, sc.start)
    out = {"reference": {"label": "real mass", "mass_kg": s.mass_kg, **base}, "variants": []}
    labels = sc.analysis.compare_labels or tuple(f"{m:,.0f} kg" for m in sc.analysis.compare_mass_kg)
    for m, lab in zip(sc.analysis.compare_mass_kg, labels):
        r = decay(mass_kg=m, label=lab)
        runs[f"mass:{lab}"] = r
        d = _decay_summary(r, sc.start)
        v = {"label": lab, "mass_kg": m, "mass_ratio": round(m / s.mass_kg, 4),
             "ballistic_coefficient_m2_kg": d["ballistic_coefficient_m2_kg"], **d}
        if base["lifetime_days"] is not None and d["lifetime_days"] is not None:
            v["lifetime_change_days"] = round(d["lifetime_days"] - base["lifetime_days"], 2)
            v["lifetime_change_pct"] = round(100 * (d["lifetime_days"] / base["lifetime_days"] - 1),
                                             2)
        out["variants"].append(v)
        tick(f"mass {m}")
    return out


def _separation(sc, decay, main, runs, sep, elements, tick, figures) -> dict:
    parts = {}
    res_by = {sep.follow: main}
    for p in sep.parts:
        if p.label != sep.follow:
            if not sc.analysis.all_parts:
                continue
            r = decay(events=_decay_events(sc, part=p.label), label=f"part {p.label}")
            runs[f"part:{p.label}"] = r
            res_by[p.label] = r
            tick(f"part {p.label}")
        r = res_by[p.label]
        parts[p.label] = {"mass_kg": p.mass_kg, "mass_kg_source": p.mass_kg_source,
                          "area_m2": p.area_m2, "area_m2_source": p.area_m2_source, "cd": p.cd,
                          "reboosts": p.reboosts, "modules": list(p.modules),
                          "stated_ballistic_coefficient_m2_kg": round(p.bc_m2_kg, 7),
                          **_decay_summary(r, sc.start)}
        parts[p.label].update(_after_separation(parts[p.label], sep.time))
    out = {"time_utc": iso(sep.time), "follow": sep.follow,
           "mass_check": {"total_kg": sum(p.mass_kg for p in sep.parts),
                          "station_kg": sc.spacecraft.mass_kg,
                          "tolerance_kg": round(sep.mass_tolerance_kg, 1)},
           "parts": parts}
    if len(res_by) >= 2:
        labels = [p.label for p in sep.parts if p.label in res_by][:2]
        out["drift"] = _drift(res_by[labels[0]], res_by[labels[1]], sep.time, labels)
    return out


def _after_separation(d: dict, t_sep) -> dict:
    """Lifetime and reboosts counted from the separation."""
    out = {}
    if d.get("reentry_epoch_utc"):
        out["reentry_days_after_separation"] = round(_days_between(
            _parse_iso(d["reentry_epoch_utc"]), t_sep), 2)
    rows = [b for b in (d.get("burns") or {}).get("list", [])
            if b["kind"] == "reboost" and b["time_utc"] >= iso(t_sep)]
    end = d.get("reentry_epoch_utc") or d.get("end_utc")
    span = _days_between(_parse_iso(end), t_sep) if end else 0.0
    dv = sum(b["dv_m_s"] or 0.0 for b in rows)
    prop = sum(b["propellant_kg"] or 0.0 for b in rows)
    out["reboosts_after_separation"] = {
        "count": len(rows), "dv_m_s": round(dv, 4), "propellant_kg": round(prop, 2),
        "dv_m_s_per_year": round(dv * 365.25 / span, 3) if span > 0 else None,
        "propellant_kg_per_year": round(prop * 365.25 / span, 1) if span > 0 else None}
    return out


def _parse_iso(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def _drift(ra, rb, t_sep, labels) -> dict:
    """Along-track separation of two parts on the same orbit from their mean altitudes.

    Delta-u(t) = integral of (n_a - n_b) dt, n = sqrt(mu / a^3), a = R_eq + h_mean; the
    ground distance is R * (angle wrapped to [0, pi]).
    """
    ta, tb = _t64(ra.time_utc), _t64(rb.time_utc)
    t0 = to_datetime64(t_sep)
    t_end = min(ta[-1], tb[-1])
    if t_end <= t0:
        return {"status": "parts do not overlap in time after the separation"}
    n_days = float((t_end - t0).astype(np.int64)) / 86400e6
    grid_s = np.linspace(0.0, n_days * 86400.0, max(2, int(n_days * 24) + 1))
    grid = t0 + (grid_s * 1e6).astype("timedelta64[us]")

    def n_of(res, tt):
        h = np.interp((grid - tt[0]).astype(np.int64) / 1e6,
                      (tt - tt[0]).astype(np.int64) / 1e6, np.asarray(res.mean_alt_km, float))
        a = R_EARTH_EQ_M + h * 1e3
        return np.sqrt(MU_EARTH_M3_S2 / a ** 3)

    dn = n_of(ra, ta) - n_of(rb, tb)
    du = np.concatenate([[0.0], np.cumsum(0.5 * (dn[1:] + dn[:-1]) * np.diff(grid_s))])
    wrapped = np.abs((du + np.pi) % (2 * np.pi) - np.pi)
    dist_km = MEAN_EARTH_RADIUS_KM * wrapped

    def at(days):
        if days > n_days:
            return None
        return round(float(np.interp(days * 86400.0, grid_s, dist_km)), 1)

    half = np.nonzero(np.abs(du) >= np.pi)[0]
    return {"parts": labels, "ahead": labels[0] if du[-1] >= 0 else labels[1],
            "distance_km_after_1_day": at(1), "distance_km_after_7_days": at(7),
            "distance_km_after_30_days": at(30),
            "days_to_opposite_sides_of_earth": None if half.size == 0
            else round(grid_s[half[0]] / 86400.0, 2),
            "along_track_angle_deg_series": {
                "days": [round(x / 86400.0, 3) for x in grid_s[:: max(1, grid_s.size // 200)]],
                "angle_deg": [round(float(np.degrees(x)), 2)
                              for x in du[:: max(1, grid_s.size // 200)]]}}


def _rescue(sc, decay, main, tick) -> dict:
    """Last date one prograde burn of rescue_dv_m_s lifts the station back to rescue_min_alt_km."""
    an = sc.analysis
    t = _t64(main.time_utc)
    h = np.asarray(main.mean_alt_km, dtype=float)
    end_t = to_datetime64(min(e.time for e in sc.events_of(EndReboostsEvent)))
    sel = t >= end_t
    gain = prograde_altitude_gain_km(h, an.rescue_dv_m_s)
    ok = (h + gain >= an.rescue_min_alt_km) & sel
    out = {"dv_m_s": an.rescue_dv_m_s, "min_alt_km": an.rescue_min_alt_km,
           "altitude_gain_km_at_start": round(float(gain[0]), 3),
           "method": "h(t) + 2 a dv / v >= min_alt_km on the no-reboost decay curve "
                     "(Vallado 2013 Eq. 9-24), checked by rerunning the decay with the burn"}
    if not ok.any():
        out["last_rescue_utc"] = None
        out["finding"] = "already too low for one burn of this size at the end of reboosts"
        return out
    i = int(np.nonzero(ok)[0][-1])
    if i == t.size - 1:
        out["last_rescue_utc"] = None
        out["finding"] = "still rescuable at the end of the horizon"
        return out
    last = to_datetime(t[i])
    out["last_rescue_utc"] = iso(last)
    out["mean_alt_km_then"] = round(float(h[i]), 3)
    out["days_after_end_of_reboosts"] = round(float((t[i] - end_t).astype(np.int64)) / 86400e6, 2)
    # Check with the engine: the burn at that date, then no more reboosts.
    check = decay(events=_decay_events(sc, extra=[Burn(last, an.rescue_dv_m_s)]),
                  until=last + dt.timedelta(days=2), label="rescue check")
    tc = _t64(check.time_utc)
    after = np.asarray(check.mean_alt_km, float)[tc > to_datetime64(last)]
    out["check_mean_alt_km_after_burn"] = None if after.size == 0 else round(float(after.max()), 3)
    tick("rescue check")
    return out


def _deorbit(sc, decay, main, ev_d: DeorbitBurnEvent, elements, tick, runs) -> dict:
    """Size the deorbit burn (vis-viva + Tsiolkovsky) and aim it at the target."""
    t = _t64(main.time_utc)
    h = np.asarray(main.mean_alt_km, dtype=float)
    tb = to_datetime64(ev_d.time)
    if tb > t[-1]:
        raise InputError("the deorbit burn is after the end of the run",
                         file=str(sc.path), line=ev_d.line, field=f"{ev_d.field}.time")
    h_b = float(np.interp((tb - t[0]).astype(np.int64) / 1e6, (t - t[0]).astype(np.int64) / 1e6, h))
    if ev_d.dv_m_s is not None:
        dv = ev_d.dv_m_s
        perigee = None
    else:
        dv = deorbit_dv_m_s(h_b, ev_d.target_perigee_km)
        perigee = ev_d.target_perigee_km
    mass = sc.spacecraft.mass_kg
    out = {"burn_earliest_utc": iso(ev_d.time), "mean_alt_km_at_burn": round(h_b, 3),
           "target_perigee_km": perigee, "dv_m_s": round(dv, 3), "isp_s": ev_d.isp_s,
           "isp_s_source": ev_d.isp_s_source,
           "propellant_kg": round(propellant_kg(mass, dv, ev_d.isp_s), 1),
           "method": "vis-viva perigee lowering from the mean altitude (Vallado 2013 Sec. 6.3.1); "
                     "propellant from Tsiolkovsky with the stated Isp"}
    if ev_d.target_lat_deg is not None:
        out["target"] = {"name": ev_d.target, "lat_deg": ev_d.target_lat_deg,
                         "lon_deg": ev_d.target_lon_deg}
    base_events = [e for e in _decay_events(sc)]
    first = decay(events=base_events + [DeorbitBurn(ev_d.time, dv)],
                  until=ev_d.time + dt.timedelta(days=2), label="deorbit")
    tick("deorbit")
    r1 = _decay_summary(first, sc.start)
    out["unaimed"] = {k: r1[k] for k in ("reentry_epoch_utc", "reentry_lat_deg", "reentry_lon_deg")}
    if ev_d.target_lat_deg is None or r1["reentry_epoch_utc"] is None:
        runs["deorbit"] = first
        tick("deorbit aimed")
        return out
    # Aim: the descent takes tau from the burn; choose the burn time in the next day whose
    # ground-track point tau later (same orbit, the reentry point moves with the track) is
    # closest to the target, then rerun the engine with that burn time.
    tau = _as_dt(first.reentry_epoch) - ev_d.time
    trk = track(elements, ev_d.time + tau, hours=24.0, step_s=20.0, sunlit=False)
    lat, lon = np.asarray(trk.lat_deg), np.asarray(trk.lon_deg)
    p1, p2 = np.radians(lat), math.radians(ev_d.target_lat_deg)
    c = np.sin(p1) * math.sin(p2) + np.cos(p1) * math.cos(p2) * \
        np.cos(np.radians(lon - ev_d.target_lon_deg))
    k = int(np.argmax(c))
    t_burn = to_datetime(_t64(trk.time_utc)[k]) - tau
    t_burn = t_burn.replace(microsecond=0)
    h_b2 = float(np.interp((to_datetime64(t_burn) - t[0]).astype(np.int64) / 1e6,
                           (t - t[0]).astype(np.int64) / 1e6, h))
    dv2 = dv if ev_d.dv_m_s is not None else deorbit_dv_m_s(h_b2, ev_d.target_perigee_km)
    aimed = decay(events=base_events + [DeorbitBurn(t_burn, dv2)],
                  until=t_burn + dt.timedelta(days=2), label="deorbit aimed")
    # One correction: the entry point lands where the track passes dt later/earlier than
    # aimed; shift the burn by the along-track offset between the entry and the target.
    r2 = _decay_summary(aimed, sc.start)
    if r2["reentry_lat_deg"] is not None:
        c2 = np.sin(p1) * math.sin(math.radians(r2["reentry_lat_deg"])) + np.cos(p1) * \
            math.cos(math.radians(r2["reentry_lat_deg"])) * \
            np.cos(np.radians(lon - r2["reentry_lon_deg"]))
        near = np.abs(np.arange(c2.size) - k) < int(2 * 3600 / 20)   # same pass, +-2 h
        k2 = int(np.argmax(np.where(near, c2, -2.0)))
        shift = dt.timedelta(seconds=20.0 * (k - k2))
        if shift:
            t_burn3 = t_burn + shift
            h_b3 = float(np.interp((to_datetime64(t_burn3) - t[0]).astype(np.int64) / 1e6,
                                   (t - t[0]).astype(np.int64) / 1e6, h))
            dv3 = dv if ev_d.dv_m_s is not None else deorbit_dv_m_s(h_b3, ev_d.target_perigee_km)
            third = decay(events=base_events + [DeorbitBurn(t_burn3, dv3)],
                          until=t_burn3 + dt.timedelta(days=2), label="deorbit corrected")
            r3 = _decay_summary(third, sc.start)
            if r3["reentry_lat_deg"] is not None and _great_circle_km(
                    r3["reentry_lat_deg"], r3["reentry_lon_deg"], ev_d.target_lat_deg,
                    ev_d.target_lon_deg) < _great_circle_km(
                    r2["reentry_lat_deg"], r2["reentry_lon_deg"], ev_d.target_lat_deg,
                    ev_d.target_lon_deg):
                aimed, t_burn, dv2 = third, t_burn3, dv3
    runs["deorbit"] = aimed
    tick("deorbit aimed")
    r2 = _decay_summary(aimed, sc.start)
    out["aimed"] = {"burn_utc": iso(t_burn), "dv_m_s": round(dv2, 3),
                    "propellant_kg": round(propellant_kg(mass, dv2, ev_d.isp_s), 1),
                    **{k: r2[k] for k in ("reentry_epoch_utc", "reentry_lat_deg",
                                          "reentry_lon_deg")}}
    if r2["reentry_lat_deg"] is not None:
        out["aimed"]["miss_distance_km"] = round(_great_circle_km(
            r2["reentry_lat_deg"], r2["reentry_lon_deg"], ev_d.target_lat_deg,
            ev_d.target_lon_deg), 1)
    return out


def _ensemble(sc, decay, elements) -> dict:
    s = sc.spacecraft
    res = ensemble(elements, mass_kg=s.mass_kg, area_m2=s.area_m2, cd=s.cd, start=sc.start,
                   solar=sc.solar.api_value(), bc=decay.bc(), bc_sigma_m2_kg=decay.bc_sigma,
                   events=_decay_events(sc), until=sc.end, members=sc.montecarlo.members,
                   seed=sc.montecarlo.seed)
    epochs = res.reentry_utc            # datetime64[us], NaT for members not reentered
    out = {"members": sc.montecarlo.members, "seed": sc.montecarlo.seed}
    valid = epochs[~np.isnat(epochs)]
    out["reentered_members"] = int(valid.size)
    if valid.size:
        days = (valid - to_datetime64(sc.start)).astype(np.int64) / 86400e6
        q = np.percentile(days, [5, 50, 95])
        out["lifetime_days_p05_p50_p95"] = [round(float(x), 2) for x in q]
        out["reentry_utc_p05_p50_p95"] = [
            iso(to_datetime64(sc.start) + np.timedelta64(int(x * 86400e6), "us")) for x in q]
    return out


def _risk(sc, main, runs, elements, result) -> dict:
    """Where the debris can fall: ``orbitsim.debris.risk`` on the run that reaches reentry.

    The controlled case uses the aimed deorbit run (its last burn fixes the reentry time);
    otherwise the main run, whose reentry epoch carries the lifetime-scaled uncertainty.
    """
    decay_res = runs.get("deorbit", main)
    if getattr(decay_res, "reentry_epoch", None) is None:
        return {"status": "skipped",
                "reason": f"no reentry within the {sc.horizon_days:g}-day horizon, so no "
                          "reentry window to assess"}
    kwargs = {"start": sc.start}
    if sc.montecarlo.members:
        kwargs.update(members=sc.montecarlo.members, seed=sc.montecarlo.seed)
    res = risk(decay_res, **kwargs)
    runs["risk_result"] = res
    return _plain(res.to_json())


def _plain(x):
    """JSON-ready copy: numpy scalars/arrays and datetime64 become numbers, lists, ISO strings."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.datetime64):
        return None if np.isnat(x) else iso(x)
    if isinstance(x, np.ndarray):
        return _plain(x.tolist()) if x.dtype.kind != "M" else [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# ----------------------------------------------------------------------------------------------
# Figures


def _figures(sc, stage: Path, runs, elements, result, figures) -> list[str]:
    files = []
    wanted = sc.outputs.figures
    if "altitude" in wanted or "decay_rate" in wanted:
        name = "altitude.png"
        marks = []
        if result.get("rescue", {}).get("last_rescue_utc"):
            rs = result["rescue"]
            marks.append((rs["last_rescue_utc"],
                          f"last date one {rs['dv_m_s']:g} m/s reboost still lifts it to "
                          f"{rs['min_alt_km']:g} km"))
        if "parts" in result.get("separation", {}):
            marks.append((result["separation"]["time_utc"], "separation"))
        splot.plot_altitudes(_altitude_curves(sc, runs), stage / name,
                             title=f"{sc.name}: mean altitude",
                             reentry_alt_km=80.0, markers=marks)
        files.append(name)
        figures["altitude"] = name
        if "decay_rate" in wanted:
            name = "decay_rate.png"
            splot.plot_decay_rate(runs["main"], stage / name,
                                  title=f"{sc.name}: decay rate and solar flux")
            files.append(name)
            figures["decay_rate"] = name
    if "ground_track" in wanted:
        files += _ground_track(sc, stage, elements, result, figures)
    if "risk_map" in wanted:
        rr = runs.get("risk_result")
        if rr is None:
            figures["risk_map"] = {"status": "skipped",
                                   "reason": "no risk result (see 'risk' in result.json)"}
        else:
            plot_risk_map(rr, stage / "risk_map.png",
                          title=f"{sc.name}: where the debris can fall")
            files.append("risk_map.png")
            figures["risk_map"] = "risk_map.png"
    return files


def _altitude_curves(sc, runs) -> list[tuple[str, object]]:
    main = runs["main"]
    seps = sc.events_of(SeparationEvent)
    if seps:
        label = seps[0].follow
    elif sc.analysis.compare_mass_kg:
        label = f"real mass {sc.spacecraft.mass_kg:,.0f} kg"
    else:
        label = f"solar {sc.solar.label()}"
    curves = [(label, main)]
    for k, r in runs.items():
        if r is main or k in ("main", "risk_result") or k.startswith("deorbit"):
            continue
        name = k.split(":", 1)[1] if ":" in k else k
        curves.append((f"solar {name}" if k.startswith("solar:") else name, r))
    if "deorbit" in runs:
        curves.append(("controlled deorbit", runs["deorbit"]))
    return curves


def _ground_track(sc, stage, elements, result, figures) -> list[str]:
    seps = sc.events_of(SeparationEvent)
    hours = sc.outputs.ground_track_hours
    if seps and "along_track_angle_deg_series" in result.get("separation", {}).get("drift", {}):
        # Both parts, some days after the separation: the lagging part is on the same orbit,
        # delta-t behind; its Earth-fixed longitude is the leader's at t - dt minus omega_E dt.
        sep = seps[0]
        drift = result["separation"]["drift"]
        days = next((d for d, k in ((30.0, "distance_km_after_30_days"),
                                    (7.0, "distance_km_after_7_days")) if drift.get(k)), 1.0)
        t0 = sep.time + dt.timedelta(days=days)
        note = ""
        if abs((t0 - elements.epoch).total_seconds()) > 3 * 86400.0:
            # SGP4 from an element set years old says nothing about where the orbit will be:
            # draw the gap on the orbit geometry of the scenario start instead.
            t0 = sc.start
            note = f"; orbit geometry of {sc.start:%Y-%m-%d}"
        ser = drift["along_track_angle_deg_series"]
        du_deg = float(np.interp(days, ser["days"], ser["angle_deg"]))
        du_wrapped = (du_deg + 180.0) % 360.0 - 180.0     # whole revolutions change nothing
        period_s = float(elements.period_min) * 60.0
        dt_s = du_wrapped / 360.0 * period_s
        trk = track(elements, t0 - dt.timedelta(hours=2), hours=hours + 4, step_s=30.0,
                    sunlit=False)
        name = "ground_track.png"
        splot.plot_two_tracks(trk, dt_s, stage / name, labels=tuple(drift["parts"]),
                              start=t0, hours=hours,
                              title=f"{sc.name}: ground tracks {days:g} days after the "
                                    f"separation (gap {abs(du_wrapped):.1f}° = "
                                    f"{MEAN_EARTH_RADIUS_KM * math.radians(abs(du_wrapped)):,.0f}"
                                    f" km along the orbit{note})")
        figures["ground_track"] = name
        return [name]
    trk = track(elements, sc.start, hours=hours, step_s=30.0)
    name = "ground_track.png"
    plot_ground_track(trk, stage / name, title=f"{sc.name}: ground track from {iso(sc.start)}")
    figures["ground_track"] = name
    return [name]


# ----------------------------------------------------------------------------------------------
# Summary


def _fmt_date(s):
    return "—" if s is None else s[:10]


def _summary(sc: Scenario, r: dict) -> str:
    L = [f"# {sc.name}", "", sc.description, "",
         f"**Source:** `seeds/{sc.source.seed}`" + (f" ({sc.source.article})"
                                                     if sc.source.article else "") + ":",
         "", f"> {sc.source.quote}", ""]
    o = r["orbit"]["element_set"]
    s = sc.spacecraft
    L += ["## Inputs", "",
          f"- Start {iso(sc.start)}, horizon {sc.horizon_days:g} days; element set epoch "
          f"{o['epoch_utc']} ({o['source']}), mean altitude {o['mean_altitude_km']} km, "
          f"inclination {o['inclination_deg']}°.",
          f"- Mass {s.mass_kg:,.0f} kg ({s.mass_kg_source}).",
          f"- Drag area {s.area_m2:,.0f} m², Cd {s.cd:g}; Cd·A/m "
          f"{'fitted to the element-set history' if s.ballistic == 'fit' else 'from B*' if s.ballistic == 'bstar' else 'from these properties'}"
          f": {r['main']['ballistic_coefficient_m2_kg']} m²/kg.",
          f"- Solar activity: {sc.solar.label()}.", ""]
    m = r["main"]
    L += ["## Findings", ""]
    pre = "Without the deorbit burn: n" if "deorbit" in r else "N"
    if m["reentry_epoch_utc"]:
        who = f" of the {sc.events_of(SeparationEvent)[0].follow}" \
            if sc.events_of(SeparationEvent) else ""
        L.append(f"- **Reentry**{who} on {_fmt_date(m['reentry_epoch_utc'])} "
                 f"({m['lifetime_days']:.0f} days after the start)"
                 + (f", window {_fmt_date(m['window_utc'][0])} to {_fmt_date(m['window_utc'][1])}"
                    if m.get("window_utc") and m["window_utc"][0] else "") + ".")
    else:
        L.append(f"- {pre}o reentry within the {sc.horizon_days:g}-day horizon; mean altitude "
                 f"{m['start_mean_alt_km']} km at the start, {m['end_mean_alt_km']} km at the end "
                 f"(range {m['min_mean_alt_km']}–{m['max_mean_alt_km']} km).")
    if m.get("initial_decay_rate_m_day") is not None:
        L.append(f"- Initial decay rate {m['initial_decay_rate_m_day']:.0f} m/day.")
    if m.get("burns", {}).get("reboosts"):
        b = m["burns"]
        L.append(f"- {b['reboosts']} reboost{'s' if b['reboosts'] > 1 else ''} over the run, "
                 f"{b['reboost_dv_m_s']:.2f} m/s in total"
                 + (f" ({b['reboost_dv_m_s_per_year']:.1f} m/s and "
                    f"{b['reboost_propellant_kg_per_year']:,.0f} kg of propellant per year)"
                    if "reboost_dv_m_s_per_year" in b else "") + ".")
    if "solar_profiles" in r:
        L.append("- Reentry date by solar activity: " + "; ".join(
            f"{k}: {_fmt_date(v['reentry_epoch_utc'])} ({v['lifetime_days']:.0f} d)"
            if v["reentry_epoch_utc"] else
            f"{k}: not within the horizon (still at {v['end_mean_alt_km']:.0f} km on "
            f"{_fmt_date(v['end_utc'])})"
            for k, v in r["solar_profiles"].items()) + ".")
    if "rescue" in r:
        x = r["rescue"]
        if x.get("last_rescue_utc"):
            L.append(f"- One reboost of {x['dv_m_s']:g} m/s (+{x['altitude_gain_km_at_start']:.1f} km) "
                     f"can lift the station back to {x['min_alt_km']:g} km until "
                     f"**{_fmt_date(x['last_rescue_utc'])}**, {x['days_after_end_of_reboosts']:.0f} "
                     f"days after the reboosts stop.")
        else:
            L.append(f"- Rescue with {x['dv_m_s']:g} m/s: {x.get('finding')}.")
    if "mass_comparison" in r:
        ref = r["mass_comparison"]["reference"]
        for v in r["mass_comparison"]["variants"]:
            L.append(f"- **{v['label']}** ({v['mass_kg']:,.0f} kg, {v['mass_ratio']:.2f}× the real "
                     f"{ref['mass_kg']:,.0f} kg): reentry {_fmt_date(v['reentry_epoch_utc'])} vs "
                     f"{_fmt_date(ref['reentry_epoch_utc'])}"
                     + (f", {v['lifetime_change_days']:+.0f} days ({v['lifetime_change_pct']:+.1f} %)"
                        if v.get("lifetime_change_days") is not None else "") + ".")
    if "mass_comparison" in r:
        L.append("- Where it can fall does not depend on the mass: the ground track covers the "
                 "same band (|latitude| up to about the inclination, "
                 f"{r['orbit']['element_set']['inclination_deg']:.1f}°) whatever the mass; "
                 "the mass only moves the date, and with it which passes are the last ones.")
    if r.get("separation", {}).get("status") == "skipped":
        L.append(f"- Separation not simulated: {r['separation']['reason']}.")
    elif "separation" in r:
        sp = r["separation"]
        for lab, p in sp["parts"].items():
            ras = p.get("reboosts_after_separation") or {}
            L.append(f"- **{lab}**: {p['mass_kg']:,.0f} kg, {p['area_m2']:,.0f} m², "
                     f"{'keeps' if p['reboosts'] else 'without'} reboosts → "
                     + (f"reentry {_fmt_date(p['reentry_epoch_utc'])}, "
                        f"{p['reentry_days_after_separation']:.0f} days after the separation"
                        if p["reentry_epoch_utc"] else
                        f"no reentry within the horizon (ends at {p['end_mean_alt_km']} km)")
                     + (f"; after the separation its reboosts take "
                        f"{ras['dv_m_s_per_year']:.1f} m/s and "
                        f"{ras['propellant_kg_per_year']:,.0f} kg of propellant per year"
                        if ras.get("count") and ras.get("dv_m_s_per_year") else "") + ".")
        dr = sp.get("drift", {})
        if dr.get("distance_km_after_1_day") is not None:
            L.append(f"- The two parts drift apart: {dr['distance_km_after_1_day']:,.0f} km after a "
                     f"day, {dr.get('distance_km_after_7_days') or float('nan'):,.0f} km after a week"
                     + (f"; on opposite sides of the Earth after "
                        f"{dr['days_to_opposite_sides_of_earth']:.0f} days"
                        if dr.get("days_to_opposite_sides_of_earth") else "") + ".")
    if "deorbit" in r:
        d = r["deorbit"]
        if d.get("status") == "skipped":
            L.append(f"- Deorbit: not computed — {d['reason']}.")
        else:
            L.append(f"- **Deorbit burn**: {d['dv_m_s']:.1f} m/s retrograde from "
                     f"{d['mean_alt_km_at_burn']:.0f} km to a {d['target_perigee_km']} km perigee, "
                     f"{d['propellant_kg']:,.0f} kg of propellant at Isp {d['isp_s']:g} s.")
            a = d.get("aimed")
            if a and a.get("reentry_lat_deg") is not None:
                L.append(f"- Aimed at {d['target']['name'] or 'the target'} "
                         f"({d['target']['lat_deg']}°, {d['target']['lon_deg']}°): burn at "
                         f"{a['burn_utc']}, entry at {a['reentry_lat_deg']}°, "
                         f"{a['reentry_lon_deg']}° on {a['reentry_epoch_utc']}, "
                         f"{a['miss_distance_km']:,.0f} km from the aim point.")
    if "ensemble" in r:
        e = r["ensemble"]
        if e.get("reentry_utc_p05_p50_p95"):
            q = e["reentry_utc_p05_p50_p95"]
            L.append(f"- Ensemble of {e['members']} members (seed {e['seed']}): reentry "
                     f"{_fmt_date(q[0])} – {_fmt_date(q[2])} (5–95 %), median {_fmt_date(q[1])}.")
    if "risk" in r:
        k = r["risk"]
        L += _risk_lines(k)
    figs = {k: v for k, v in r.get("figures", {}).items() if isinstance(v, str)}
    if figs:
        L += ["", "## Figures", ""] + [f"![{k}]({v})" for k, v in figs.items()]
    L += ["", "All numbers with units and every input: `result.json`.", ""]
    return "\n".join(L)


def _risk_lines(k: dict) -> list[str]:
    if k.get("status") == "skipped":
        return [f"- Where it can fall: not assessed — {k['reason']}."]
    lines = []
    countries = k.get("countries") or []
    top = [c for c in countries if (c.get("probability") or 0) > 0][:6]
    if top:
        lines.append("- Where the surviving debris can land (share of debris): " + ", ".join(
            f"{c['name']} {100 * c['probability']:.1f} %" for c in top)
            + (f"; open ocean {100 * k['ocean_probability']:.1f} %"
               if isinstance(k.get("ocean_probability"), (int, float)) else "") + ".")
    elif isinstance(k.get("ocean_probability"), (int, float)):
        lines.append(f"- Share of the debris on open ocean: {100 * k['ocean_probability']:.1f} %.")
    comp = k.get("comparison") or {}
    if comp:
        lines.append("- \"All the risks are yours\"? Share of the casualty risk: " + ", ".join(
            f"{name} {100 * (row.get('share_of_risk') or 0):.1f} %" for name, row in comp.items())
            + ".")
    ce = k.get("casualty_expectation") or {}
    if isinstance(ce.get("mean"), (int, float)):
        lines.append(f"- Casualty expectation {ce['mean']:.2g} (95 % CI {ce['ci'][0]:.2g}–"
                     f"{ce['ci'][1]:.2g}); NASA-STD-8719.14 threshold {ce['threshold']:.0e}"
                     f" — {'exceeded' if ce.get('exceeds_threshold') else 'met'}.")
    band = k.get("band") or {}
    if band.get("world_population_share") is not None:
        lines.append(f"- {100 * band['world_population_share']:.0f} % of the world's people live "
                     f"under the reachable band |lat| ≤ {band['max_abs_lat_deg']:.1f}°.")
    return lines or ["- Risk computed; see `result.json`."]

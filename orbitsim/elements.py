"""Orbital element sets: TLE (2- and 3-line) and CCSDS OMM (JSON, KVN, XML).

Formats
-------
* **TLE** — the NORAD two-line element format (Hoots & Roehrich 1980,
  *Spacetrack Report #3*; column layout as in Vallado 2013, *Fundamentals of
  Astrodynamics and Applications*, 4th ed., §2.5.2, Fig. 2-14, and Vallado et
  al. 2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753). Each line is
  69 characters; column 69 is a modulo-10 checksum (digits summed, each ``-``
  counting 1). The epoch is ``YYDDD.DDDDDDDD`` — two-digit year (57–99 →
  19xx, 00–56 → 20xx) and day of year — and is **UTC** (AIAA 2006-6753 §3).
  An optional name line precedes line 1 (3-line "3LE" form, Space-Track
  writes it as ``0 NAME``).
* **OMM** — CCSDS 502.0-B-3 Orbit Mean-Elements Message, as CelesTrak serves
  it: JSON (a list of flat objects or one object), KVN (``KEY = value``
  lines) and XML (``<omm>`` with ``<segment>``s). Fields used: OBJECT_NAME,
  NORAD_CAT_ID, EPOCH, MEAN_MOTION [rev/day], ECCENTRICITY, INCLINATION,
  RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY [deg], BSTAR [1/earth
  radii], MEAN_MOTION_DOT [rev/day^2], MEAN_MOTION_DDOT [rev/day^3].

Both are initialised with the ``sgp4`` package (WGS 72 constants, the
constants SGP4 element sets are fitted with, AIAA 2006-6753 §4).

Validation errors are :class:`~orbitsim.errors.InputError` naming the file,
the 1-based line number and the field (TLE column name), e.g.
``iss.tle:2: checksum: ...``.

>>> sets = bundled_iss()
>>> sets[0].catalog, sets[0].name
(25544, 'ISS (ZARYA)')
>>> sets[0].epoch.isoformat(timespec="seconds")
'2022-01-01T01:15:49+00:00'
>>> round(sets[0].inclination_deg, 4)
51.6446
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
import math
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from sgp4.api import WGS72, Satrec

from .errors import InputError
from .timeutil import UTC, parse_utc

__all__ = [
    "ElementSet", "ElementAgeWarning", "read_elements", "parse_elements", "parse_tle", "parse_omm",
    "bundled_iss", "nearest", "select_elements", "tle_checksum",
    "WARN_AGE_DAYS", "REFUSE_AGE_DAYS",
]

#: A start this many days from the element epoch gets a warning: SGP4 with
#: a LEO element set is good to about 1 km only within a few days of its
#: epoch (Kelso 2007, "Validation of SGP4 and IS-GPS-200D against GPS
#: precision ephemerides", AAS 07-127), and the error grows with age.
WARN_AGE_DAYS = 3.0
#: ... and this many days is refused unless forced.
REFUSE_AGE_DAYS = 30.0

_BUNDLED_NAME = "iss-2022.tle"
_EPOCH_1949 = dt.datetime(1949, 12, 31, tzinfo=UTC)  # sgp4init epoch origin (days)
_TWO_PI = 2.0 * math.pi
_MIN_PER_DAY = 1440.0


class ElementAgeWarning(UserWarning):
    """The requested start is more than WARN_AGE_DAYS from the element epoch."""


@dataclass(frozen=True)
class ElementSet:
    """One set of mean elements (TLE or OMM) ready for SGP4.

    ``epoch`` is an aware UTC datetime (TLE epochs are UTC, AIAA 2006-6753);
    ``satrec`` the initialised :class:`sgp4.api.Satrec` (WGS 72); ``source``
    the file (or ``"<string>"``) and ``lineno`` the 1-based line of line 1
    (TLE) or of the record (OMM KVN/XML: ``None`` for JSON).
    ``line1``/``line2`` hold the original TLE lines when the set came from a
    TLE (``None`` for OMM).
    """

    name: str
    catalog: int
    epoch: dt.datetime
    satrec: Satrec = field(repr=False, compare=False)
    source: str = "<string>"
    lineno: int | None = None
    line1: str | None = field(default=None, repr=False)
    line2: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """``source:line`` for messages."""
        return self.source + (f":{self.lineno}" if self.lineno is not None else "")

    @property
    def inclination_deg(self) -> float:
        """Mean inclination [deg]."""
        return math.degrees(self.satrec.inclo)

    @property
    def raan_deg(self) -> float:
        """Mean right ascension of the ascending node (TEME) [deg]."""
        return math.degrees(self.satrec.nodeo)

    @property
    def eccentricity(self) -> float:
        """Mean eccentricity [-]."""
        return float(self.satrec.ecco)

    @property
    def argp_deg(self) -> float:
        """Mean argument of perigee [deg]."""
        return math.degrees(self.satrec.argpo)

    @property
    def mean_anomaly_deg(self) -> float:
        """Mean anomaly at epoch [deg]."""
        return math.degrees(self.satrec.mo)

    @property
    def mean_motion_rev_day(self) -> float:
        """Kozai mean motion as published in the TLE/OMM [rev/day]."""
        return self.satrec.no_kozai * _MIN_PER_DAY / _TWO_PI

    @property
    def bstar(self) -> float:
        """SGP4 drag term B* [1/earth radii] (Vallado 2013 §9.7.2)."""
        return float(self.satrec.bstar)

    @property
    def semi_major_axis_km(self) -> float:
        """Mean semi-major axis [km] from the Kozai mean motion via Kepler's
        third law with the WGS 72 GM SGP4 uses: a = (mu / n^2)^(1/3)."""
        n_rad_s = self.satrec.no_kozai / 60.0
        return (self.satrec.mu / n_rad_s ** 2) ** (1.0 / 3.0)

    @property
    def period_min(self) -> float:
        """Keplerian period 1440 / n [min] (equal to 2 pi sqrt(a^3/mu))."""
        return _MIN_PER_DAY / self.mean_motion_rev_day

    @property
    def mean_altitude_km(self) -> float:
        """Mean altitude a - R_eq [km] over the WGS 72 equatorial radius."""
        return self.semi_major_axis_km - self.satrec.radiusearthkm

    @property
    def perigee_altitude_km(self) -> float:
        """a(1-e) - R_eq [km]."""
        return self.semi_major_axis_km * (1 - self.eccentricity) - self.satrec.radiusearthkm

    @property
    def apogee_altitude_km(self) -> float:
        """a(1+e) - R_eq [km]."""
        return self.semi_major_axis_km * (1 + self.eccentricity) - self.satrec.radiusearthkm

    def age_days(self, when) -> float:
        """Signed days from the epoch to *when* (aware datetime or ISO text)."""
        return (parse_utc(when) - self.epoch).total_seconds() / 86400.0


# --------------------------------------------------------------------- TLE

def tle_checksum(line: str) -> int:
    """Modulo-10 checksum of the first 68 columns: digits plus 1 per ``-``.

    >>> tle_checksum("1 25544U 98067A   22001.05265755  .00006291  00000-0  11882-3 0  999")
    1
    """
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


# (name, first column, last column) 1-based inclusive, Vallado 2013 Fig. 2-14.
_L1_FIELDS = [
    ("catalog_number", 3, 7), ("classification", 8, 8), ("international_designator", 10, 17),
    ("epoch_year", 19, 20), ("epoch_day", 21, 32), ("mean_motion_dot", 34, 43),
    ("mean_motion_ddot", 45, 52), ("bstar", 54, 61), ("ephemeris_type", 63, 63),
    ("element_set_number", 65, 68),
]
_L2_FIELDS = [
    ("catalog_number", 3, 7), ("inclination", 9, 16), ("raan", 18, 25),
    ("eccentricity", 27, 33), ("arg_perigee", 35, 42), ("mean_anomaly", 44, 51),
    ("mean_motion", 53, 63), ("rev_number", 64, 68),
]
_DECIMAL = re.compile(r"^[ ]*[+-]?(\d+\.?\d*|\.\d+)$")
_IMPLIED = re.compile(r"^[ ]*[+-]?\d{1,5}[+-]\d$")   # e.g. " 11882-3", "-38638-4", "00000+0"
_ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"                 # no I, O (Space-Track Alpha-5)


def _col(line, a, b):
    return line[a - 1:b]


def _catalog(text, err):
    t = text.strip()
    if t.isdigit():
        return int(t)
    if len(t) == 5 and t[0] in _ALPHA5 and t[1:].isdigit():   # Alpha-5: A0000 = 100000
        return (10 + _ALPHA5.index(t[0])) * 10000 + int(t[1:])
    raise err(f"catalog number {text!r} is not a number", "catalog_number")


def _decimal(line, name, a, b, err, lo=None, hi=None):
    text = _col(line, a, b)
    if not _DECIMAL.match(text):
        raise err(f"columns {a}-{b} {text!r} are not a decimal number", name)
    value = float(text)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise err(f"{value:g} outside [{lo:g}, {hi:g}]", name)
    return value


def _implied(line, name, a, b, err):
    """TLE 'implied decimal point' number: ' 11882-3' = 0.11882e-3."""
    text = _col(line, a, b)
    if not text.strip():
        return 0.0
    if not _IMPLIED.match(text):
        raise err(f"columns {a}-{b} {text!r} are not an implied-decimal number (e.g. ' 11882-3')",
                  name)
    t = text.strip()
    sign = -1.0 if t[0] == "-" else 1.0
    t = t.lstrip("+-")
    return sign * float("0." + t[:-2]) * 10.0 ** int(t[-2:])


def _tle_epoch(year2: str, day: str, err) -> dt.datetime:
    if not year2.isdigit():
        raise err(f"epoch year {year2!r} is not two digits", "epoch_year")
    y = int(year2)
    year = 1900 + y if y >= 57 else 2000 + y
    if not re.match(r"^\d{1,3}\.\d+$", day.strip()):
        raise err(f"epoch day {day!r} is not DDD.DDDDDDDD", "epoch_day")
    doy = float(day)
    ndays = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
    if not 1.0 <= doy < ndays + 1:
        raise err(f"epoch day {doy} outside 1..{ndays + 1} for {year}", "epoch_day")
    whole = int(doy)
    us = round((doy - whole) * 86400e6)
    return dt.datetime(year, 1, 1, tzinfo=UTC) + dt.timedelta(days=whole - 1, microseconds=us)


def _looks_like(line: str, n: str) -> bool:
    return len(line) >= 2 and line[0] == n and line[1] == " "


def _check_line(line, n, lineno, source):
    def err(msg, fld):
        return InputError(msg, file=source, line=lineno, field=fld)
    if len(line) != 69:
        raise err(f"TLE line {n} has {len(line)} characters, expected 69", "length")
    if line[0] != n:
        raise err(f"expected TLE line {n}, found line number {line[0]!r}", "line_number")
    if not line[68].isdigit():
        raise err(f"column 69 {line[68]!r} is not a checksum digit", "checksum")
    want = tle_checksum(line)
    if int(line[68]) != want:
        raise err(f"checksum {line[68]} does not match computed {want}", "checksum")
    return err


def _parse_pair(name, l1, l2, n1, source) -> ElementSet:
    err1 = _check_line(l1, "1", n1, source)
    err2 = _check_line(l2, "2", n1 + 1, source)
    cat1 = _catalog(_col(l1, 3, 7), err1)
    cat2 = _catalog(_col(l2, 3, 7), err2)
    if cat1 != cat2:
        raise err2(f"catalog number {cat2} on line 2 differs from {cat1} on line 1",
                   "catalog_number")
    epoch = _tle_epoch(_col(l1, 19, 20), _col(l1, 21, 32), err1)
    _decimal(l1, "mean_motion_dot", 34, 43, err1)
    _implied(l1, "mean_motion_ddot", 45, 52, err1)
    _implied(l1, "bstar", 54, 61, err1)
    _decimal(l2, "inclination", 9, 16, err2, 0.0, 180.0)
    _decimal(l2, "raan", 18, 25, err2, 0.0, 360.0)
    if not _col(l2, 27, 33).isdigit():
        raise err2(f"columns 27-33 {_col(l2, 27, 33)!r} are not 7 digits (implied 0.)",
                   "eccentricity")
    _decimal(l2, "arg_perigee", 35, 42, err2, 0.0, 360.0)
    _decimal(l2, "mean_anomaly", 44, 51, err2, 0.0, 360.0)
    n = _decimal(l2, "mean_motion", 53, 63, err2, 0.0, 20.0)
    if n <= 0.0:
        raise err2("mean motion must be positive", "mean_motion")
    sat = Satrec.twoline2rv(l1, l2, WGS72)
    if sat.error:
        raise err1(f"SGP4 rejected the element set (error {sat.error})", "elements")
    return ElementSet(name=name or f"{cat1}", catalog=cat1, epoch=epoch, satrec=sat,
                      source=source, lineno=n1, line1=l1, line2=l2)


def parse_tle(text: str, source: str = "<string>") -> list[ElementSet]:
    """Parse 2-line or 3-line TLE text into element sets (in file order).

    Blank lines are skipped; a name line (optionally ``0 NAME``) may precede
    each line 1. Raises :class:`InputError` (file, line, field) on any
    malformed line, including swapped lines (a line 2 where line 1 belongs).
    """
    lines = [ln.rstrip("\r\n").rstrip() for ln in text.lstrip("\ufeff").split("\n")]
    out: list[ElementSet] = []
    i, name = 0, None
    name_at = None
    while i < len(lines):
        ln = lines[i]
        if not ln.strip():
            if name is not None:
                raise InputError(f"name line {name!r} is not followed by TLE line 1",
                                 file=source, line=name_at, field="line_number")
            i += 1
            continue
        if _looks_like(ln, "1"):
            if i + 1 >= len(lines) or not lines[i + 1].strip():
                raise InputError("TLE line 1 is not followed by line 2", file=source,
                                 line=i + 1, field="line_number")
            l2 = lines[i + 1]
            if not _looks_like(l2, "2"):
                raise InputError(f"expected TLE line 2 after line 1, found {l2[:20]!r}",
                                 file=source, line=i + 2, field="line_number")
            out.append(_parse_pair(name, ln, l2, i + 1, source))
            name, i = None, i + 2
            continue
        if _looks_like(ln, "2"):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            msg = ("TLE line 2 comes before line 1 (swapped lines?)" if _looks_like(nxt, "1")
                   else "TLE line 2 without a preceding line 1")
            raise InputError(msg, file=source, line=i + 1, field="line_number")
        # a name line: must be followed by line 1
        if name is not None:
            raise InputError(f"not a TLE line: {name[:30]!r}", file=source, line=name_at,
                             field="line_number")
        name = ln[2:].strip() if ln.startswith("0 ") else ln.strip()
        if len(name) > 60 or not name.isprintable():
            raise InputError(f"not a TLE line: {ln[:30]!r}", file=source, line=i + 1,
                             field="line_number")
        name_at = i + 1
        i += 1
    if name is not None:
        raise InputError(f"not a TLE line: {name[:30]!r} (no TLE line 1 follows)",
                         file=source, line=name_at, field="line_number")
    if not out:
        raise InputError("no element sets found", file=source)
    return out


# --------------------------------------------------------------------- OMM

_OMM_REQUIRED = ["EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                 "ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID", "BSTAR"]
_OMM_RANGES = {"INCLINATION": (0.0, 180.0), "RA_OF_ASC_NODE": (0.0, 360.0),
               "ARG_OF_PERICENTER": (0.0, 360.0), "MEAN_ANOMALY": (0.0, 360.0),
               "ECCENTRICITY": (0.0, 0.999999), "MEAN_MOTION": (1e-6, 20.0)}


def _omm_record(rec: dict, source: str, lineno: int | None) -> ElementSet:
    def err(msg, fld):
        return InputError(msg, file=source, line=lineno, field=fld)
    rec = {str(k).strip().upper(): v for k, v in rec.items()}
    for key in _OMM_REQUIRED:
        if key not in rec or rec[key] is None or str(rec[key]).strip() == "":
            raise err("missing OMM field", key)
    num = {}
    for key in _OMM_REQUIRED[1:] + ["MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"]:
        raw = rec.get(key, 0.0)
        try:
            num[key] = float(raw)
        except (TypeError, ValueError):
            raise err(f"{raw!r} is not a number", key) from None
        if not math.isfinite(num[key]):
            raise err(f"{raw!r} is not finite", key)
        if key in _OMM_RANGES:
            lo, hi = _OMM_RANGES[key]
            if not lo <= num[key] <= hi:
                raise err(f"{num[key]:g} outside [{lo:g}, {hi:g}]", key)
    # Metadata, when given, must describe SGP4 mean elements in TEME, UTC
    # (CCSDS 502.0-B-3 §4.2: MEAN_ELEMENT_THEORY, REF_FRAME, TIME_SYSTEM).
    for key, ok in (("TIME_SYSTEM", {"UTC"}), ("REF_FRAME", {"TEME"}),
                    ("MEAN_ELEMENT_THEORY", {"SGP4", "SGP/SGP4"}), ("CENTER_NAME", {"EARTH"})):
        if key in rec and rec[key] is not None and str(rec[key]).strip().upper() not in ok:
            raise err(f"{rec[key]!r} not supported (orbitsim needs {'/'.join(sorted(ok))})", key)
    if num["NORAD_CAT_ID"] != int(num["NORAD_CAT_ID"]) or num["NORAD_CAT_ID"] < 0:
        raise err(f"{rec['NORAD_CAT_ID']!r} is not a catalog number", "NORAD_CAT_ID")
    catalog = int(num["NORAD_CAT_ID"])
    epoch_text = str(rec["EPOCH"]).strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$", epoch_text):
        raise err(f"{epoch_text!r} is not an ISO 8601 UTC epoch", "EPOCH")
    frac = re.search(r"\.(\d+)", epoch_text)
    base = dt.datetime.strptime(epoch_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    us = round(float("0." + frac.group(1)) * 1e6) if frac else 0
    epoch = base + dt.timedelta(microseconds=us)   # OMM epochs from CelesTrak are UTC
    deg = math.pi / 180.0
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", catalog,
        (epoch - _EPOCH_1949).total_seconds() / 86400.0,
        num["BSTAR"],
        num["MEAN_MOTION_DOT"] * _TWO_PI / _MIN_PER_DAY ** 2,       # rev/day^2 -> rad/min^2
        num["MEAN_MOTION_DDOT"] * _TWO_PI / _MIN_PER_DAY ** 3,      # rev/day^3 -> rad/min^3
        num["ECCENTRICITY"], num["ARG_OF_PERICENTER"] * deg, num["INCLINATION"] * deg,
        num["MEAN_ANOMALY"] * deg, num["MEAN_MOTION"] * _TWO_PI / _MIN_PER_DAY,
        num["RA_OF_ASC_NODE"] * deg)
    if sat.error:
        raise err(f"SGP4 rejected the element set (error {sat.error})", "elements")
    name = str(rec.get("OBJECT_NAME") or catalog).strip()
    return ElementSet(name=name, catalog=catalog, epoch=epoch, satrec=sat, source=source,
                      lineno=lineno)


def _parse_omm_json(text, source):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno,
                         field="json") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError("OMM JSON must be an object or a list of objects", file=source,
                         field="json")
    if not data:
        raise InputError("no element sets found (empty list)", file=source)
    return [_omm_record(r, source, None) for r in data]


def _parse_omm_kvn(text, source):
    records, cur, start = [], {}, None
    for i, raw in enumerate(text.splitlines(), 1):
        ln = raw.strip()
        if not ln or ln.startswith("COMMENT"):
            continue
        if "=" not in ln:
            raise InputError(f"not a KVN 'KEY = value' line: {ln[:30]!r}", file=source,
                             line=i, field="kvn")
        key, value = (s.strip() for s in ln.split("=", 1))
        key = key.upper()
        value = re.sub(r"\s*\[[^\]]*\]$", "", value)   # drop units "[rev/day]"
        if key == "CCSDS_OMM_VERS" and cur:
            records.append((cur, start))
            cur = {}
        if not cur:
            start = i
        if key in cur and key != "COMMENT":
            records.append((cur, start))
            cur, start = {}, i
        cur[key] = value
    if cur:
        records.append((cur, start))
    if not records:
        raise InputError("no element sets found", file=source)
    return [_omm_record(r, source, ln) for r, ln in records]


def _parse_omm_xml(text, source):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not valid XML: {exc}", file=source, line=exc.position[0],
                         field="xml") from None
    segments = [el for el in root.iter() if el.tag.split("}")[-1] == "segment"]
    if not segments:
        raise InputError("no <segment> in OMM XML", file=source, field="xml")
    out = []
    for seg in segments:
        rec = {}
        for el in seg.iter():
            tag = el.tag.split("}")[-1]
            if len(el) == 0 and el.text is not None:
                rec[tag] = el.text.strip()
        out.append(_omm_record(rec, source, getattr(seg, "sourceline", None)))
    return out


def parse_omm(text: str, source: str = "<string>") -> list[ElementSet]:
    """Parse CCSDS OMM text in JSON, KVN or XML form (auto-detected)."""
    text = text.lstrip("\ufeff")
    s = text.lstrip()
    if s.startswith("[") or s.startswith("{"):
        return _parse_omm_json(text, source)          # unstripped: true line numbers
    if s.startswith("<"):
        return _parse_omm_xml(s, source)
    return _parse_omm_kvn(text, source)


def parse_elements(text: str, source: str = "<string>") -> list[ElementSet]:
    """Parse TLE or OMM text, detecting the format from its content."""
    s = text.lstrip("\ufeff").lstrip()
    if not s:
        raise InputError("empty: no element sets", file=source)
    if s[0] in "[{<" or re.match(r"^(CCSDS_OMM_VERS|COMMENT)\b", s):
        return parse_omm(text, source)
    return parse_tle(text, source)


def read_elements(path) -> list[ElementSet]:
    """Read a TLE / OMM (JSON, KVN, XML) file; format auto-detected."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text (binary file?)", file=str(path), line=line,
                         field="encoding") from None
    return parse_elements(text, str(path))


# ------------------------------------------------------------ bundled data

@functools.cache
def _bundled() -> tuple[ElementSet, ...]:
    res = importlib.resources.files("orbitsim") / "data" / _BUNDLED_NAME
    sets = parse_tle(res.read_text(encoding="utf-8"), source=f"orbitsim/data/{_BUNDLED_NAME}")
    # Space-Track re-issues some sets with the same epoch (corrected
    # elements): keep one per epoch, the later one in the file.
    by_epoch: dict[dt.datetime, ElementSet] = {}
    for s in sets:
        by_epoch[s.epoch] = s
    return tuple(sorted(by_epoch.values(), key=lambda s: s.epoch))


def bundled_iss() -> list[ElementSet]:
    """The bundled real ISS (NORAD 25544) element sets, 2022-01-01 .. 2022-03-27.

    Sorted by epoch, one per epoch: where Space-Track re-issued a set with
    the same epoch, the later one in the file is kept (see
    ``orbitsim/data/README.md``).
    """
    return list(_bundled())


def nearest(sets, when) -> ElementSet:
    """The element set whose epoch is nearest *when* (ties: the earlier epoch)."""
    sets = list(sets)
    if not sets:
        raise InputError("no element sets to choose from")
    t = parse_utc(when)
    return min(sets, key=lambda s: (abs((s.epoch - t).total_seconds()), s.epoch))


def select_elements(tle_path, start, force: bool = False) -> ElementSet:
    """The element set to propagate from *start*.

    *tle_path* ``None`` means the bundled ISS sets. *start* ``None`` means
    the newest set in the source (and its epoch as the start). A start more
    than WARN_AGE_DAYS (3 d) from the chosen set's epoch issues an
    :class:`ElementAgeWarning`; more than REFUSE_AGE_DAYS (30 d) raises
    :class:`InputError` unless *force* (SGP4 is good to ~1 km only within
    a few days of the epoch, Kelso 2007, AAS 07-127).
    """
    if tle_path is None:
        sets, source = bundled_iss(), f"orbitsim/data/{_BUNDLED_NAME}"
    else:
        sets, source = read_elements(tle_path), str(tle_path)
    catalogs = sorted({s.catalog for s in sets})
    if len(catalogs) > 1:
        raise InputError(f"file holds {len(catalogs)} objects ({', '.join(map(str, catalogs[:5]))}"
                         f"{', ...' if len(catalogs) > 5 else ''}); give a file with one object",
                         file=source, field="catalog_number")
    if start is None:
        return max(sets, key=lambda s: s.epoch)
    chosen = nearest(sets, start)
    age = chosen.age_days(start)
    if abs(age) > REFUSE_AGE_DAYS and not force:
        raise InputError(
            f"start {parse_utc(start):%Y-%m-%dT%H:%MZ} is {abs(age):.1f} days from the nearest "
            f"element epoch {chosen.epoch:%Y-%m-%dT%H:%MZ} (> {REFUSE_AGE_DAYS:g} days: SGP4 "
            f"errors grow); use --force to propagate anyway", file=source, line=chosen.lineno,
            field="start")
    if abs(age) > WARN_AGE_DAYS:
        warnings.warn(f"start is {abs(age):.1f} days from the element epoch "
                      f"{chosen.epoch:%Y-%m-%dT%H:%MZ} ({chosen.where}); SGP4 errors grow "
                      f"with time from epoch", ElementAgeWarning, stacklevel=2)
    return chosen

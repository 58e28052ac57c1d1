"""Units of the quantities news articles quote, with their exact definitions.

Every factor below is an exact definition, not a measurement:

* international foot = 0.3048 m, statute mile = 5280 ft = 1609.344 m
  (International Yard and Pound Agreement, 1959; NIST SP 811, 2008, App. B);
* international nautical mile = 1852 m (International Hydrographic Conference 1929;
  NIST SP 811 Table 8); knot = 1 nmi/h;
* avoirdupois pound = 0.45359237 kg (1959 agreement; NIST SP 811 App. B);
  short ton = 2000 lb = 907.18474 kg; long ton = 2240 lb = 1016.0469088 kg;
  tonne ("metric ton") = 1000 kg (SI Brochure, 9th ed., 2019, Table 8);
* Julian year = 365.25 d (IAU), month = year / 12.

Articles name units loosely ("miles" for nautical miles, "tons" for tonnes), so
:func:`mixups` lists which *other* unit of the same dimension would make a
claimed number agree with a computed one.

>>> q = parse_quantity("17,500 miles an hour")
>>> q.value, q.unit, q.dimension
(17500.0, 'mph', 'speed')
>>> round(q.si, 1)  # m/s
7823.2
>>> to_si(227, "nmi") / 1000  # km
420.404
>>> round(convert(419725, "kg", "short_ton"), 1)
462.7
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import InputError

MILE_M = 1609.344               # statute mile, exact
NMI_M = 1852.0                  # international nautical mile, exact
FOOT_M = 0.3048                 # international foot, exact
POUND_KG = 0.45359237           # avoirdupois pound, exact
SHORT_TON_KG = 2000 * POUND_KG  # 907.18474 kg
LONG_TON_KG = 2240 * POUND_KG   # 1016.0469088 kg
TONNE_KG = 1000.0
DAY_S = 86400.0
YEAR_S = 365.25 * DAY_S         # Julian year
HOUR_S = 3600.0

#: unit -> (dimension, factor to SI, display name)
UNITS: dict[str, tuple[str, float, str]] = {
    "m": ("length", 1.0, "m"),
    "km": ("length", 1000.0, "km"),
    "mi": ("length", MILE_M, "statute miles"),
    "nmi": ("length", NMI_M, "nautical miles"),
    "ft": ("length", FOOT_M, "ft"),
    "m/s": ("speed", 1.0, "m/s"),
    "km/s": ("speed", 1000.0, "km/s"),
    "km/h": ("speed", 1000.0 / HOUR_S, "km/h"),
    "mph": ("speed", MILE_M / HOUR_S, "mph"),
    "mi/s": ("speed", MILE_M, "miles per second"),
    "kn": ("speed", NMI_M / HOUR_S, "knots"),
    "kg": ("mass", 1.0, "kg"),
    "t": ("mass", TONNE_KG, "tonnes (metric tons)"),
    "short_ton": ("mass", SHORT_TON_KG, "short tons"),
    "long_ton": ("mass", LONG_TON_KG, "long tons"),
    "lb": ("mass", POUND_KG, "lb"),
    "s": ("duration", 1.0, "s"),
    "min": ("duration", 60.0, "minutes"),
    "h": ("duration", HOUR_S, "hours"),
    "day": ("duration", DAY_S, "days"),
    "week": ("duration", 7 * DAY_S, "weeks"),
    "month": ("duration", YEAR_S / 12, "months"),
    "year": ("duration", YEAR_S, "years"),
    "decade": ("duration", 10 * YEAR_S, "decades"),
}

#: Units a reporter may have confused with each other (same dimension, easily mislabelled).
CONFUSABLE: dict[str, tuple[str, ...]] = {
    "km": ("mi", "nmi"), "mi": ("km", "nmi"), "nmi": ("mi", "km"), "m": ("ft",), "ft": ("m",),
    "mph": ("km/h", "kn"), "km/h": ("mph", "kn"), "kn": ("mph", "km/h"),
    "km/s": ("mi/s",), "mi/s": ("km/s",), "m/s": ("km/s",),
    "t": ("short_ton", "long_ton"), "short_ton": ("t", "long_ton"), "long_ton": ("t", "short_ton"),
    "kg": ("lb",), "lb": ("kg",),
}

# Spelled-out unit -> canonical unit. Longest phrases are tried first.
_ALIASES = {
    "m": ["m", "meter", "meters", "metre", "metres"],
    "km": ["km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"],
    "mi": ["mi", "mile", "miles", "statute mile", "statute miles"],
    "nmi": ["nmi", "nautical mile", "nautical miles", "nm"],
    "ft": ["ft", "foot", "feet"],
    "m/s": ["m/s", "meters per second", "metres per second", "meters a second",
            "metres a second"],
    "km/s": ["km/s", "kilometers per second", "kilometres per second", "kilometers a second",
             "kilometres a second", "km per second", "km a second"],
    "km/h": ["km/h", "kmh", "kph", "km/hr", "kilometers per hour", "kilometres per hour",
             "kilometers an hour", "kilometres an hour", "km per hour", "km an hour"],
    "mph": ["mph", "mi/h", "miles per hour", "miles an hour", "mile per hour", "miles/hour",
            "miles a hour"],
    "mi/s": ["mi/s", "miles per second", "miles a second"],
    "kn": ["kn", "kt", "kts", "knot", "knots"],
    "kg": ["kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes"],
    "t": ["t", "tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes"],
    "ton": ["ton", "tons"],
    "short_ton": ["short ton", "short tons", "us ton", "us tons"],
    "long_ton": ["long ton", "long tons", "imperial ton", "imperial tons"],
    "lb": ["lb", "lbs", "pound", "pounds"],
    "s": ["s", "sec", "second", "seconds"],
    "min": ["min", "mins", "minute", "minutes"],
    "h": ["h", "hr", "hrs", "hour", "hours"],
    "day": ["day", "days"],
    "week": ["week", "weeks"],
    "month": ["month", "months"],
    "year": ["yr", "yrs", "year", "years"],
    "decade": ["decade", "decades"],
}
ALIAS_TO_UNIT = {a: u for u, names in _ALIASES.items() for a in names}
#: "ton"/"tons" alone is ambiguous: metric tonne in most of the world, short ton in the US.
AMBIGUOUS = {"ton": ("t", "short_ton", "long_ton")}

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "half a": 0.5, "a half": 0.5, "a couple of": 2, "a dozen": 12,
}
_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_UNIT_ALT = "|".join(sorted((re.escape(a) for a in ALIAS_TO_UNIT), key=len, reverse=True))
QUANTITY_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<num>{_NUM})(?:\s*(?P<mult>thousand|million|billion))?(?:\s*-\s*|\s+)?"
    rf"|(?P<wnum>{_WORD_NUM})(?:\s+(?P<wmult>thousand|million|billion))?(?:\s*-\s*|\s+))"
    rf"(?P<unit>{_UNIT_ALT})(?![a-z])",
    re.IGNORECASE,
)


def dimension(unit: str) -> str:
    """The dimension (``length``, ``speed``, ``mass``, ``duration``) of a canonical unit."""
    if unit in AMBIGUOUS:
        return UNITS[AMBIGUOUS[unit][0]][0]
    try:
        return UNITS[unit][0]
    except KeyError:
        raise InputError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}", field="unit") from None


def to_si(value: float, unit: str) -> float:
    """*value* in *unit* expressed in SI (m, m/s, kg, s). Ambiguous units are refused."""
    if unit in AMBIGUOUS:
        raise InputError(f"unit {unit!r} is ambiguous ({' or '.join(AMBIGUOUS[unit])}); "
                         "say which", field="unit")
    dimension(unit)
    return float(value) * UNITS[unit][1]


def convert(value: float, src: str, dst: str) -> float:
    """Convert *value* from unit *src* to unit *dst* (same dimension)."""
    if dimension(src) != dimension(dst):
        raise InputError(f"cannot convert {dimension(src)} ({src}) to {dimension(dst)} ({dst})",
                         field="unit")
    return to_si(value, src) / UNITS[dst][1]


def unit_name(unit: str) -> str:
    """Human name of a canonical unit ("statute miles", "short tons", ...)."""
    if unit in AMBIGUOUS:
        return "tons (unspecified)"
    return UNITS[unit][2]


def unit_label(value: float, unit: str) -> str:
    """Unit name agreeing with *value*: ``unit_label(1, "year")`` -> "year".

    >>> unit_label(1, "decade"), unit_label(2, "decade"), unit_label(1, "km")
    ('decade', 'decades', 'km')
    """
    name = unit_name(unit)
    if value == 1 and name.endswith("s") and dimension(unit) == "duration":
        return name[:-1]
    return name


def normalise_unit(text: str) -> str:
    """Canonical unit for a spelled-out unit ("miles an hour" -> "mph").

    >>> normalise_unit("Nautical Miles"), normalise_unit("tonnes"), normalise_unit("kph")
    ('nmi', 't', 'km/h')
    """
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in UNITS or key in AMBIGUOUS:
        return key
    try:
        return ALIAS_TO_UNIT[key]
    except KeyError:
        raise InputError(f"unknown unit {text!r}", field="unit") from None


def parse_number(text: str) -> float:
    """A number as written in prose: "17,500", "420", "2.5", "nine", "a", "two".

    >>> parse_number("17,500"), parse_number("nine"), parse_number("a")
    (17500.0, 9.0, 1.0)
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    if t in _WORDS:
        return float(_WORDS[t])
    if re.fullmatch(_NUM, t):
        return float(t.replace(",", ""))
    raise InputError(f"not a number: {text!r}", field="value")


def rounding_halfwidth(text: str) -> float:
    """Half the unit of the last significant digit of a written number (its rounding).

    "17,500" -> 50, "420" -> 5, "227" -> 0.5, "7.66" -> 0.005; spelled-out counts
    ("nine", "a") are taken as exact integers (0.5).

    >>> rounding_halfwidth("17,500"), rounding_halfwidth("420"), rounding_halfwidth("7.66")
    (50.0, 5.0, 0.005)
    """
    t = text.strip().replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", t):
        return 0.5
    if "." in t:
        return 0.5 * 10.0 ** -len(t.split(".")[1])
    stripped = t.rstrip("0")
    zeros = len(t) - len(stripped) if stripped else 0
    return 0.5 * 10.0 ** zeros


@dataclass(frozen=True)
class Quantity:
    """A number with a unit as written in a claim.

    ``value`` in ``unit``; ``halfwidth`` is the rounding of the written number in the same
    unit; ``text`` the matched words. ``unit`` may be the ambiguous ``"ton"``.
    """
    value: float
    unit: str
    text: str = ""
    halfwidth: float = 0.5

    @property
    def dimension(self) -> str:
        return dimension(self.unit)

    @property
    def si(self) -> float:
        """Value in SI (for the ambiguous "ton": the metric tonne, see :func:`interpretations`)."""
        return to_si(self.value, self.interpretations()[0])

    def interpretations(self) -> tuple[str, ...]:
        """Canonical units the written unit can mean, the most likely first."""
        return AMBIGUOUS.get(self.unit, (self.unit,))

    def describe(self) -> str:
        v = f"{self.value:,.10g}"
        return f"{v} {unit_name(self.unit)}"


def parse_quantity(text: str) -> Quantity:
    """The first "<number> <unit>" in *text* ("500-ton", "17,500 miles an hour", "nine years").

    Raises :class:`InputError` when *text* holds no quantity with a known unit.
    """
    m = QUANTITY_RE.search(text)
    if not m:
        raise InputError(f"no number with a unit in {text!r}", field="quantity")
    return quantity_from_match(m)


def find_quantities(text: str) -> list[Quantity]:
    """Every "<number> <unit>" in *text*, in order."""
    return [quantity_from_match(m) for m in QUANTITY_RE.finditer(text)]


def quantity_from_match(m: re.Match) -> Quantity:
    num = m.group("num") or m.group("wnum")
    mult = m.group("mult") or m.group("wmult")
    value = parse_number(num)
    half = rounding_halfwidth(num)
    if mult:
        value *= _MULT[mult.lower()]
        half = max(half, 0.5) * _MULT[mult.lower()]
    unit = normalise_unit(m.group("unit"))
    return Quantity(value=value, unit=unit, text=m.group(0), halfwidth=half)


@dataclass(frozen=True)
class Mixup:
    """Reading the claimed number in another unit ``unit``: its SI value and relative error."""
    unit: str
    si: float
    rel_error: float


def mixups(value: float, unit: str, computed_si: float) -> list[Mixup]:
    """The claimed *value* read in each unit confusable with *unit*, against *computed_si*.

    Sorted by absolute relative error, best first.

    >>> best = mixups(227, "mi", 420_000.0)[0]
    >>> best.unit, round(best.rel_error, 4)
    ('nmi', 0.001)
    """
    if computed_si == 0 or not math.isfinite(computed_si):
        return []
    out = []
    for alt in CONFUSABLE.get(unit, ()) + tuple(u for u in AMBIGUOUS.get(unit, ())):
        if alt == unit or alt in AMBIGUOUS:
            continue
        si = to_si(value, alt)
        out.append(Mixup(alt, si, (si - computed_si) / computed_si))
    seen, uniq = set(), []
    for mx in sorted(out, key=lambda x: abs(x.rel_error)):
        if mx.unit not in seen:
            seen.add(mx.unit)
            uniq.append(mx)
    return uniq


def fmt(value_si: float, unit: str, digits: int = 4) -> str:
    """Format an SI value in *unit* with *digits* significant digits: ``fmt(420e3, "km")``.

    >>> fmt(420_400.0, "km"), fmt(7660.0, "mph")
    ('420.4 km', '17,130 mph')
    """
    v = to_si(1.0, unit)
    x = value_si / v
    if x == 0:
        s = "0"
    else:
        mag = int(math.floor(math.log10(abs(x))))
        dec = max(0, digits - 1 - mag)
        x = round(x, digits - 1 - mag)
        s = f"{x:,.{dec}f}"
    short = {"t": "t", "mi": "statute mi", "nmi": "nmi", "short_ton": "short tons",
             "long_ton": "long tons"}
    return f"{s} {short.get(unit, unit)}"

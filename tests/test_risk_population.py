"""The bundled population grid vs independent references: the sphere's area, Natural
Earth POP_EST read through orbitsim.geography, point-in-polygon by geography.locate,
and the published hemispheric split of world population."""

import math

import numpy as np
import pytest

from orbitsim import geography
from orbitsim.debris.footprint import R_MEAN_M
from orbitsim.debris.population import GRID_PATH, cell_area_m2, grid


@pytest.fixture(scope="module")
def g():
    return grid()


def test_cell_areas_tile_the_sphere(g):
    area = cell_area_m2(g.lat_centres_deg, g.step_deg).sum() * g.shape[1]
    assert area == pytest.approx(4 * math.pi * R_MEAN_M**2, rel=1e-12)


def test_grid_is_at_least_quarter_degree_and_compact(g):
    assert g.step_deg <= 0.25
    assert GRID_PATH.stat().st_size < 5e6          # a few MB at most
    with np.load(GRID_PATH) as z:
        assert z["pop"].dtype == np.float32 and z["pop_index"].dtype == np.int32
        assert z["country"].dtype == np.int16


def test_country_totals_are_natural_earth_pop_est(g):
    """Per-country sums equal POP_EST (read independently by orbitsim.geography) to 1 %
    for every country above 5 million people (border cities may land in a neighbour's
    cell; world total exact)."""
    cs = geography.countries()
    assert [c.adm0_a3 for c in cs] == list(g.adm0_a3)
    grid_pop = g.country_population()
    big = [c for c in cs if c.pop_est > 5e6]
    assert len(big) > 100
    for c in big:
        assert grid_pop[c.index] == pytest.approx(c.pop_est, rel=0.01), c.name
    assert g.world_population == pytest.approx(sum(c.pop_est for c in cs), rel=1e-6)


def test_country_raster_agrees_with_geography_locate(g):
    """Cell-centre country ids vs geography.locate on 4000 random land/sea cells."""
    rng = np.random.default_rng(0)
    i = rng.integers(0, g.shape[0], 4000)
    j = rng.integers(0, g.shape[1], 4000)
    lat, lon = g.lat_centres_deg[i], g.lon_centres_deg[j]
    ref = np.asarray(geography.locate(lat, lon))
    ours = g.country[i, j]
    assert np.mean(ours == ref) > 0.99


def test_northern_hemisphere_holds_about_88_percent_of_people(g):
    """Kummu & Varis (2011, Applied Geography 31:495) find ~88-90 % of the world's
    population north of the equator; a population model that put people uniformly
    over each country would still get this roughly right, so 86-92 %."""
    north = g.population[g.lat_centres_deg > 0].sum() / g.world_population
    assert 0.86 < north < 0.92


def test_known_places(g):
    assert str(g.name[g.country_at(48.8566, 2.3522)[0]]) == "France"
    assert str(g.name[g.country_at(40.7128, -74.0060)[0]]) == "United States of America" or \
        str(g.iso_a3[g.country_at(40.7128, -74.0060)[0]]) == "USA"
    assert g.country_at(-48.88, -123.39)[0] == -1
    # a megacity cell is far denser than the Sahara
    tokyo = g.density_m2.ravel()[g.cell_index(35.69, 139.69)] * 1e6
    sahara = g.density_m2.ravel()[g.cell_index(23.0, 12.0)] * 1e6
    assert tokyo > 1000 and sahara < 5        # people per km^2

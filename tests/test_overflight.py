"""orbitsim.overflights and ``orbitsim overflight`` against independent references.

The reference for passes and time over a country is a brute-force SGP4 track
every second (no interpolation) tested point by point with
``shapely.contains_xy`` on the country polygon; distances and elevations of
cities are recomputed from that track with the haversine formula and with
vectors on the WGS 84 ellipsoid; the visibility radius is checked with plain
vector geometry.
"""

import json
import math

import numpy as np
import pytest
import shapely

from conftest import one_km, one_second, run_cli
from orbitsim import geography as geo
from orbitsim.cities import city
from orbitsim.elements import bundled_iss, nearest
from orbitsim.errors import InputError
from orbitsim.io import to_json
from orbitsim.overflights import (MEAN_EARTH_RADIUS_KM, elevation_deg, orbit_max_lat_deg,
                                 overflight, visibility_radius_km)
from orbitsim.propagate import track

START = "2022-02-24T00:00Z"     # bundled Feb-Mar 2022 ISS element sets
one_degree = 1.0                # deg
KM = one_km / 1000.0            # one kilometre, in the km the overflight API uses
R = MEAN_EARTH_RADIUS_KM


@pytest.fixture(scope="module")
def es():
    return nearest(bundled_iss(), START)


@pytest.fixture(scope="module")
def tr(es):
    return track(es, START, hours=24.0, step_s=60.0, sunlit=False)


@pytest.fixture(scope="module")
def ref(es):
    """Brute force: SGP4 straight at every second, no resampling."""
    return track(es, START, hours=24.0, step_s=1.0, sunlit=False)


@pytest.fixture(scope="module")
def russia(tr):
    return overflight("Russia", tr)


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R * np.arcsin(np.sqrt(a))


def _runs(mask):
    d = np.diff(np.concatenate(([0], mask.astype(int), [0])))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


# ------------------------------------------------------------------ the checks

def test_24h_crosses_russia_us_china_india_and_never_reaches_moscow(tr, ref, russia):
    crossed = {c.code: c for c in russia.countries}
    for code in ("RUS", "USA", "CHN", "IND"):
        assert code in crossed and crossed[code].passes >= 1, code
        assert crossed[code].seconds_over > 60 * one_second
    moscow = city("Moscow")
    # on the track itself (propagated every second, not only the 60 s samples)
    assert ref.lat_deg.max() < moscow.lat_deg
    assert russia.max_lat_deg < moscow.lat_deg
    mp = next(c for c in russia.cities if c.name == "Moscow")
    assert not mp.overhead and not mp.in_band
    # the closest the track can come is the meridian arc from the band edge
    assert mp.min_distance_km >= R * math.radians(moscow.lat_deg - russia.band_lat_deg) - KM
    # ... but Moscow sees the station above 10 deg (visibility radius ~1400 km)
    assert mp.visible and mp.max_elevation_deg > 10.0


def test_passes_and_time_over_russia_match_brute_force(ref, russia):
    rus = geo.place("Russia").geometry
    shapely.prepare(rus)
    inside = shapely.contains_xy(rus, ref.lon_deg, ref.lat_deg)
    s, e = _runs(inside)
    passes = 1 + int(np.sum((s[1:] - e[:-1]) >= russia.merge_gap_s))
    assert russia.over.passes == passes
    assert russia.over.seconds_over == pytest.approx(inside.sum(), abs=15 * one_second)
    t = ref.time_utc
    first = (np.datetime64(russia.over.first_utc.replace(tzinfo=None)) - t[s[0]])
    last = (np.datetime64(russia.over.last_utc.replace(tzinfo=None)) - t[e[-1] - 1])
    assert abs(first / np.timedelta64(1, "s")) <= 2 * one_second
    assert abs(last / np.timedelta64(1, "s")) <= 2 * one_second
    assert russia.overflown and 5 <= russia.over.passes <= 12


def test_countries_table_matches_brute_force_for_big_countries(ref, russia):
    by = {c.code: c for c in russia.countries}
    for code in ("USA", "CHN", "IND", "BRA", "AUS", "KAZ"):
        g = geo.place(code).geometry
        shapely.prepare(g)
        n = int(shapely.contains_xy(g, ref.lon_deg, ref.lat_deg).sum())
        assert by[code].seconds_over == pytest.approx(n, abs=15 * one_second), code


def test_band_and_max_latitude_vs_analytic(es, tr, ref, russia):
    """Highest geodetic latitude of a circular orbit: the point at geocentric latitude
    i on the orbit's radius, converted to geodetic by fixed-point iteration
    (tan phi = (z + e2 N sin phi) / p), independent of orbitsim's Bowring code."""
    a_km, f = 6378.137, 1 / 298.257223563
    e2 = f * (2 - f)
    i = math.radians(es.inclination_deg)
    r = float(np.mean(np.linalg.norm(tr.r_teme_km, axis=1)))
    p, z = r * math.cos(i), r * math.sin(i)
    phi = math.atan2(z, p)
    for _ in range(20):
        n = a_km / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        phi = math.atan2(z + e2 * n * math.sin(phi), p)
    analytic = math.degrees(phi)
    # mean vs osculating inclination and radius: a few hundredths of a degree
    assert russia.band_lat_deg == pytest.approx(analytic, abs=0.05 * one_degree)
    assert russia.max_lat_deg == pytest.approx(ref.lat_deg.max(), abs=0.001 * one_degree)
    assert russia.min_lat_deg == pytest.approx(ref.lat_deg.min(), abs=0.001 * one_degree)
    # ISS: ~51.8 deg geodetic for i = 51.64 deg
    assert 51.7 < russia.band_lat_deg < 51.9


def test_short_window_band_from_osculating_orbit(es):
    # 20 minutes from an ascending node never reach the apex, but the band is the orbit's
    short = track(es, "2022-02-24T01:00Z", hours=1 / 3, step_s=30.0, sunlit=False)
    o = overflight("Russia", short)
    assert o.max_lat_deg < 51.0
    osc = orbit_max_lat_deg(short.r_teme_km, short.v_teme_km_s)
    assert o.band_lat_deg == pytest.approx(osc.max(), abs=1e-9)
    assert 51.7 < o.band_lat_deg < 51.9


# ------------------------------------------------------------------ geometry

@pytest.mark.parametrize("alt_km", [300.0, 420.0, 800.0])
@pytest.mark.parametrize("eps_deg", [0.0, 10.0, 30.0])
def test_visibility_radius_against_vector_geometry(alt_km, eps_deg):
    """Observer on a sphere at central angle lambda = radius/R from the sub-satellite
    point: the elevation of the satellite, from the line-of-sight vector and the
    local vertical, must be the minimum elevation."""
    lam = float(visibility_radius_km(alt_km, eps_deg)) / R
    obs = R * np.array([math.cos(lam), math.sin(lam), 0.0])
    sat = (R + alt_km) * np.array([1.0, 0.0, 0.0])
    los = sat - obs
    elev = math.degrees(math.asin(np.dot(los, obs) / (np.linalg.norm(los) * R)))
    assert elev == pytest.approx(eps_deg, abs=1e-9)
    # and elevation_deg is its inverse
    assert float(elevation_deg(lam * R, alt_km)) == pytest.approx(eps_deg, abs=1e-9)


def test_horizon_radius_closed_form():
    # at 0 deg elevation the line of sight is tangent: lambda0 = arccos(R / (R + h))
    # (19.8 deg, ~2200 km of ground range for the ISS at 400 km)
    for h in (400.0, 420.0, 1000.0):
        assert float(visibility_radius_km(h, 0.0)) == pytest.approx(
            R * math.acos(R / (R + h)), abs=1e-6 * KM)


def test_city_distances_and_elevations_vs_brute_force(ref, russia):
    a_km, f = 6378.137, 1 / 298.257223563
    e2 = f * (2 - f)
    for c in russia.cities:                       # Russian cities >= 1 M people
        d = _haversine_km(c.lat_deg, c.lon_deg, ref.lat_deg, ref.lon_deg)
        # brute-force samples are 7.6 km apart (their minimum is at most ~4 km above the
        # true one); ours interpolates 60 s samples (< 0.5 km off the SGP4 track)
        assert d.min() - 4.0 * KM <= c.min_distance_km <= d.min() + 0.5 * KM
        # elevation from vectors on the WGS 84 ellipsoid (observer at height 0)
        phi, lam = math.radians(c.lat_deg), math.radians(c.lon_deg)
        n = a_km / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        obs = np.array([n * math.cos(phi) * math.cos(lam), n * math.cos(phi) * math.sin(lam),
                        n * (1 - e2) * math.sin(phi)])
        up = np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam),
                       math.sin(phi)])
        los = ref.r_itrs_km - obs
        el = np.degrees(np.arcsin(los @ up / np.linalg.norm(los, axis=1)))
        # spherical-Earth elevation vs ellipsoid: within half a degree
        assert c.max_elevation_deg == pytest.approx(el.max(), abs=0.5 * one_degree), c.name
        assert c.visible == (c.max_elevation_deg >= russia.min_elevation_deg)


def test_overhead_cities_are_within_the_overhead_distance(ref, russia):
    names = russia.cities_summary["overhead_names"]
    assert names, "a day of ISS passes crosses some Russian city >= 100 000"
    for name in names:
        c = city(f"{name}, RU")
        d = _haversine_km(c.lat_deg, c.lon_deg, ref.lat_deg, ref.lon_deg).min()
        assert d <= russia.overhead_km + 4.0 * KM


# ------------------------------------------------------------------ area and people

def test_population_share_follows_where_people_live(russia, tr):
    # Russia: most people live in the south-west, so the city-based share inside the
    # band is about twice the area share (the observation)
    ratio = russia.reachable_population_fraction / russia.reachable_area_fraction
    assert 1.4 < ratio < 2.6
    assert russia.reachable_area_fraction == pytest.approx(
        geo.band_area_fraction("Russia", russia.band_lat_deg), abs=1e-12)
    brazil = overflight("Brazil", tr)
    assert brazil.reachable_area_fraction == pytest.approx(1.0, abs=1e-12)
    assert brazil.reachable_population_fraction == 1.0
    finland = overflight("Finland", tr)             # south coast 59.8 N
    assert finland.reachable_area_fraction == 0.0
    assert finland.reachable_population_fraction == 0.0
    assert not finland.overflown and finland.over.seconds_over == 0.0
    greenland = overflight("Greenland", tr)         # no city >= 100 000
    assert greenland.reachable_population_fraction is None
    assert greenland.to_json()["reachable_population_fraction"] is None


def test_region_eu(tr):
    eu = overflight("EU", tr)
    members = {c.code for c in geo.place("EU").members}
    crossed = {c.code for c in eu.countries if c.code in members}
    assert eu.overflown and crossed
    total = sum(c.seconds_over for c in eu.countries if c.code in members)
    # the EU time is the union of its members' (they do not overlap)
    assert eu.over.seconds_over == pytest.approx(total, abs=1 * one_second)


def test_json_has_the_cli_fields(russia):
    d = json.loads(to_json(russia.to_json()))
    for k in ("country", "overflown", "passes", "seconds_over", "max_lat_deg",
              "reachable_area_fraction", "reachable_population_fraction", "cities",
              "countries", "band_lat_deg", "visibility_radius_km"):
        assert k in d, k
    assert d["country"] == "Russia" and d["overflown"] is True
    assert d["passes"] == russia.over.passes
    assert {c["name"] for c in d["cities"]} >= {"Moscow", "Saint Petersburg"}
    assert "flew over Russia" in d["statement"]


def test_bad_input(es, tr):
    with pytest.raises(InputError, match="did you mean"):
        overflight("Rusland-X", tr)
    coarse = track(es, START, hours=3.0, step_s=300.0, sunlit=False)
    with pytest.raises(InputError) as exc:
        overflight("Russia", coarse)
    assert exc.value.field == "step"
    with pytest.raises(InputError) as exc:
        overflight("Russia", tr, min_elevation_deg=95.0)
    assert exc.value.field == "min_elevation_deg"


# ------------------------------------------------------------------ CLI

def test_cli_overflight_json_and_plot(tmp_path, russia):
    js, png = tmp_path / "o.json", tmp_path / "o.png"
    r = run_cli("overflight", "Russian Federation", "--start", START, "--hours", "24",
                "--json", js, "--plot", png)
    assert r.returncode == 0, r.stderr
    d = json.loads(js.read_text())
    assert d["country"] == "Russia" and d["passes"] == russia.over.passes
    assert d["seconds_over"] == pytest.approx(russia.over.seconds_over, abs=1.0)
    assert d["max_lat_deg"] < city("Moscow").lat_deg
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    assert f"flew over Russia {russia.over.passes} times in 24 h" in " ".join(r.stdout.split())


def test_cli_unknown_country_one_line_exit_2(tmp_path):
    js = tmp_path / "o.json"
    r = run_cli("overflight", "Russsia", "--start", START, "--json", js)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "did you mean" in lines[0] and "Russia" in lines[0]
    assert not js.exists()


def test_cli_refuses_far_start_and_writes_nothing(tmp_path):
    js, png = tmp_path / "o.json", tmp_path / "o.png"
    r = run_cli("overflight", "US", "--start", "2023-06-01T00:00Z", "--json", js, "--plot", png)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "--force" in r.stderr
    assert not js.exists() and not png.exists()

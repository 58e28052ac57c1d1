"""Footprint geometry vs independent references: skyfield's IAU-82 GMST, SGP4 ground
tracks (skyfield EarthSatellite), the analytic dwell-time latitude distribution, and
the geometry of equatorial and controlled (South Pacific) reentries."""

import datetime as dt
import math

import numpy as np
import pytest
from conftest import one_km
from skyfield.api import EarthSatellite, wgs84
from skyfield.sgp4lib import theta_GMST1982

from orbitsim.elements import bundled_iss
from orbitsim.errors import InputError
from orbitsim.debris import (SPOUA_CENTRE_DEG, FinalOrbit, Footprint, ReentryTimes, aim_orbit,
                           risk)
from orbitsim.debris.footprint import (R_MEAN_M, dwell_cdf, dwell_pdf, geodetic_from_geocentric_deg,
                                     gmst_rad, nadir_deg)
from orbitsim.debris.montecarlo import BLOCK, Plan, simulate_block
from orbitsim.timeutil import skyfield_times, timescale, to_datetime64

UTC = dt.timezone.utc
T0 = dt.datetime(2022, 3, 1, tzinfo=UTC)


def great_circle_m(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(np.asarray(lon1) - lon2)
    c = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    return np.arccos(np.clip(c, -1, 1)) * R_MEAN_M


def test_gmst_matches_skyfield_iau82():
    t = np.datetime64("2022-03-01T00:00") + np.arange(0, 400 * 86400, 7777).astype("timedelta64[s]")
    s = (t.astype("datetime64[us]") - np.datetime64("2000-01-01T12:00", "us")).astype(float) / 1e6
    jd = 2451545.0 + s / 86400.0
    whole = np.floor(jd)
    ref, _ = theta_GMST1982(whole, jd - whole)     # same time scale fed to both (UT1 := UTC)
    d = np.abs((gmst_rad(t) - ref + np.pi) % (2 * np.pi) - np.pi)
    # 1e-8 rad of Earth rotation = 6 cm on the equator
    assert d.max() * R_MEAN_M < 0.01 * one_km


@pytest.mark.parametrize("index", [0, 80, -1])
def test_circular_ground_track_follows_sgp4_within_40_km(index):
    """Analytic circular orbit (J2 secular rates) vs SGP4 over three revolutions.

    40 km covers the eccentricity (2ae ~ 9 km) and J2 short-period terms the
    circular model omits; it is small against the 300-km footprint width.
    """
    es = bundled_iss()[index]
    t = to_datetime64(es.epoch) + np.arange(0, 3 * 93 * 60, 60).astype("timedelta64[s]")
    sat = EarthSatellite(es.line1, es.line2, ts=timescale())
    lat, lon = wgs84.latlon_of(sat.at(skyfield_times(t)))
    la, lo = nadir_deg(FinalOrbit.from_elements(es), t)
    assert great_circle_m(lat.degrees, lon.degrees, la, lo).max() < 40 * one_km


def test_dwell_density_is_the_derivative_of_its_cdf():
    i = 51.64
    phi = np.linspace(-i + 0.5, i - 0.5, 2001)
    h = 1e-4
    num = (dwell_cdf(phi + h, i) - dwell_cdf(phi - h, i)) / (2 * h)
    assert np.allclose(dwell_pdf(phi, i), num, rtol=1e-6)
    assert float(dwell_cdf(i, i)) == 1.0 and float(dwell_cdf(-i, i)) == 0.0


def test_long_window_latitudes_follow_the_dwell_time_density():
    """Reentry epochs spread over weeks (10 % of a 180-day lifetime): the geocentric
    latitude of a point footprint has p(phi) = cos phi / (pi sqrt(sin^2 i - sin^2 phi)).
    One-sample Kolmogorov-Smirnov against the analytic CDF, 20,000 members: D must be
    below the 1 % critical value 1.63/sqrt(N) = 0.0115."""
    orbit = FinalOrbit(51.64, 30.0, 0.0, T0, 5300.0)
    plan = Plan(orbit, ReentryTimes(T0 + dt.timedelta(days=180), T0), Footprint(0.0, 0.0),
                1.0, (1.0, 1.0), 20000, 1, seed=7)
    lat = np.concatenate([simulate_block(plan, b, keep_points=True).lat_gc_deg.ravel()
                          for b in range(plan.n_blocks)])
    assert lat.size == 20000
    x = np.sort(lat)
    f = dwell_cdf(x, 51.64)
    n = x.size
    d = max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))
    assert d < 1.63 / math.sqrt(n)
    # and the same samples are NOT uniform in sin(latitude) (the test has power)
    u = (np.sin(np.radians(x)) / math.sin(math.radians(51.64)) + 1) / 2
    d_uniform = np.max(np.abs(np.arange(1, n + 1) / n - u))
    assert d_uniform > 5 * 1.63 / math.sqrt(n)


def test_footprint_stays_in_the_band_and_extends_it_by_half_its_width():
    orbit = FinalOrbit(51.64, 30.0, 0.0, T0, 5300.0)
    fp = Footprint(5370.0, 300.0, 1.0)
    plan = Plan(orbit, ReentryTimes(T0 + dt.timedelta(days=180), T0), fp, 1.0, (1.0, 1.0),
                BLOCK, 256, seed=3)
    lat_gc = simulate_block(plan, 0, keep_points=True).lat_gc_deg
    lat = geodetic_from_geocentric_deg(lat_gc)
    limit = float(geodetic_from_geocentric_deg(51.64)) + math.degrees(150e3 / R_MEAN_M)
    assert np.abs(lat).max() <= limit + 1e-9
    assert np.abs(lat).max() > limit - 0.2          # the band edge is reached


def test_aim_orbit_passes_over_the_target():
    when = dt.datetime(2024, 6, 1, 3, 0, tzinfo=UTC)
    for ascending in (False, True):
        orb = aim_orbit(*SPOUA_CENTRE_DEG, when, ascending=ascending)
        la, lo = nadir_deg(orb, to_datetime64(when))
        assert great_circle_m(la, lo, *SPOUA_CENTRE_DEG)[0] < one_km
    with pytest.raises(InputError, match="unreachable"):
        aim_orbit(60.0, 0.0, when)


def test_equatorial_orbit_never_puts_debris_on_russia():
    orbit = FinalOrbit(0.0, 0.0, 0.0, T0, 5300.0)
    r = risk(orbit=orbit, reentry=ReentryTimes(T0 + dt.timedelta(days=60), T0), members=1500,
             seed=11, regions=())
    russia = r.country("RUS")
    assert russia["probability"] == 0.0 and russia["p_any"] == 0.0
    assert russia["expected_casualties"] == 0.0
    # every hit cell lies within half the footprint width of the equator
    rows = np.flatnonzero(r.probability_grid.sum(axis=1) > 0)
    lat_c = -90 + 0.25 * (rows + 0.5)
    assert np.abs(lat_c).max() <= math.degrees(150e3 / R_MEAN_M) + 0.25
    assert sum(c["probability"] for c in r.countries) + r.ocean["probability"] == pytest.approx(1, abs=1e-12)
    # ...while equatorial countries do get debris
    assert r.country("BRA")["probability"] > 0 and r.country("IDN")["probability"] > 0


def test_controlled_deorbit_into_the_south_pacific_misses_land():
    """Footprint centred on Point Nemo (48.9 S, 123.4 W: the South Pacific Ocean Uninhabited
    Area), ISS-size footprint (5370 x 300 km), 60 s timing error: essentially all debris
    at sea, no measurable casualty expectation."""
    when = dt.datetime(2030, 1, 15, 6, 0, tzinfo=UTC)
    r = risk(orbit=aim_orbit(*SPOUA_CENTRE_DEG, when), reentry=ReentryTimes.fixed(when, 60.0),
             members=2000, seed=5, regions=())
    assert r.ocean["probability"] > 0.999
    assert r.casualty_expectation["mean"] < 1e-6
    # without timing error every footprint is centred on the target
    r0 = risk(orbit=aim_orbit(*SPOUA_CENTRE_DEG, when), reentry=ReentryTimes.fixed(when, 0.0),
              members=300, seed=5, regions=())
    d = great_circle_m(r0.centre_lat_deg, r0.centre_lon_deg, *SPOUA_CENTRE_DEG)
    assert d.max() < one_km
    assert r0.ocean["probability"] == 1.0


@pytest.mark.parametrize("kw,field", [
    ({"length_km": -1.0}, "footprint_length_km"),
    ({"length_km": 30000.0}, "footprint_length_km"),
    ({"width_km": -5.0}, "footprint_width_km"),
    ({"width_km": float("nan")}, "footprint_width_km"),
    ({"scale_min": 1.5}, "footprint_scale_min"),
])
def test_footprint_sizes_outside_physical_ranges_are_refused(kw, field):
    with pytest.raises(InputError) as e:
        Footprint(**kw)
    assert e.value.field == field


def test_final_orbit_validation():
    with pytest.raises(InputError, match="inclination"):
        FinalOrbit(200.0, 0, 0, T0, 5300.0)
    with pytest.raises(InputError, match="period"):
        FinalOrbit(51.6, 0, 0, T0, 100.0)

"""Sunlight along the track vs independent references: skyfield's
``is_sunlit``, the analytic eclipse fraction for the beta angle, and the
Astronomical Almanac low-precision Sun."""

import math

import numpy as np
import pytest
from conftest import one_second
from skyfield.api import EarthSatellite

from orbitsim.elements import bundled_iss
from orbitsim.propagate import track, track_at
from orbitsim.sun import (R_SHADOW_KM, illuminated_fraction, sun_events,
                          sun_position_teme_km)
from orbitsim.timeutil import ephemeris, skyfield_times, timescale


@pytest.fixture(scope="module")
def sets():
    return bundled_iss()


@pytest.mark.parametrize("index", [0, 200])
def test_sunlit_agrees_with_skyfield_is_sunlit(sets, index):
    es = sets[index]
    tr = track(es, es.epoch, hours=24, step_s=20)
    sat = EarthSatellite(es.line1, es.line2, ts=timescale())
    ref = sat.at(skyfield_times(tr.time_utc)).is_sunlit(ephemeris())
    # skyfield: the line to the Sun's centre misses a sphere of 6378.1366 km;
    # ours: the Sun's centre above the limb of a 6378.137 km sphere. Any
    # disagreement may only sit within a second of an orbital sunrise/sunset.
    differ = tr.time_utc[ref != tr.sunlit]
    up, down = sun_events(tr)
    events = np.concatenate([up, down])
    for t in differ:
        assert np.abs(events - t).min() < np.timedelta64(1, "s")
    assert len(differ) <= 2


def eclipse_fraction_circular(beta_rad, h_km):
    """Fraction of a circular orbit of radius r = R + h in the cylindrical shadow.

    In the orbit plane, with theta measured from the anti-Sun direction
    projected on the plane, the distance from the Earth-Sun line is
    r^2 (1 - cos^2 beta cos^2 theta); it is below R (shadow) while
    cos theta > sqrt(r^2 - R^2) / (r cos beta), so
    f = acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi for
    |beta| < beta* = asin(R / (R + h)), else 0 (the standard beta-angle
    eclipse formula, e.g. Ortiz Longo & Rickman 1995, NASA TP-3547)."""
    r = R_SHADOW_KM + h_km
    beta_star = np.arcsin(R_SHADOW_KM / r)
    arg = np.sqrt(h_km ** 2 + 2 * R_SHADOW_KM * h_km) / (r * np.cos(beta_rad))
    return np.where(np.abs(beta_rad) < beta_star, np.arccos(np.clip(arg, -1, 1)) / np.pi, 0.0)


@pytest.mark.parametrize("index", [0, 200, 220])       # beta ~ -1, -59, -65 deg
def test_sunlit_fraction_matches_beta_angle_theory(sets, index):
    es = sets[index]
    # A whole number of orbits (15, ~23 h): a partial orbit would bias the fraction.
    tr = track(es, es.epoch, hours=15 * es.period_min / 60, step_s=10)
    n = np.cross(tr.r_teme_km, tr.v_teme_km_s)
    n /= np.linalg.norm(n, axis=1)[:, None]
    s = sun_position_teme_km(tr.time_utc)
    s /= np.linalg.norm(s, axis=1)[:, None]
    beta = np.arcsin(np.einsum("ij,ij->i", n, s))
    h = np.linalg.norm(tr.r_teme_km, axis=1).mean() - R_SHADOW_KM
    expected = eclipse_fraction_circular(beta, h).mean()
    got = 1.0 - tr.sunlit.mean()
    # 10 s samples over ~30 shadow boundaries, eccentricity and J2 radius
    # changes (+-7 km): 0.3 % of the time (~17 s per orbit).
    assert got == pytest.approx(expected, abs=0.003)
    assert 0.0 < got < 0.45


def test_sun_direction_vs_almanac_low_precision_formula():
    # Astronomical Almanac low-precision Sun (Vallado 2013 Algorithm 29),
    # accurate to 0.01 deg; equator of date (TEME differs by nutation, ~0.005 deg).
    t = np.arange("2022-01-01", "2022-04-01", np.timedelta64(5, "D"), dtype="datetime64[us]")
    jd = (t - np.datetime64("2000-01-01T12:00")).astype(np.float64) / 86400e6
    T = jd / 36525.0
    lam_m = np.radians(280.460 + 36000.771 * T)
    M = np.radians(357.5291092 + 35999.05034 * T)
    lam = lam_m + np.radians(1.914666471 * np.sin(M) + 0.019994643 * np.sin(2 * M))
    eps = np.radians(23.439291 - 0.0130042 * T)
    u = np.stack([np.cos(lam), np.cos(eps) * np.sin(lam), np.sin(eps) * np.sin(lam)], axis=1)
    s = sun_position_teme_km(t)
    s /= np.linalg.norm(s, axis=1)[:, None]
    sep = np.degrees(np.arccos(np.clip(np.einsum("ij,ij->i", u, s), -1, 1)))
    assert sep.max() < 0.02


def test_sunrise_sunset_events(sets):
    es = sets[0]
    coarse = track(es, es.epoch, hours=24, step_s=60)
    up, down = sun_events(coarse)
    orbits = 24 * 60 / es.period_min
    assert abs(len(up) - orbits) <= 1 and abs(len(down) - orbits) <= 1
    # The interpolated epochs: sunlit just after a sunrise, dark just before.
    two_s = np.timedelta64(2, "s")
    assert track_at(es, up + two_s).sunlit.all()
    assert not track_at(es, up - two_s).sunlit.any()
    assert not track_at(es, down + two_s).sunlit.any()
    assert track_at(es, down - two_s).sunlit.all()
    # Interpolating a 60 s grid vs a 1 s grid: within a second.
    fine = track(es, es.epoch, hours=24, step_s=1)
    up_f, down_f = sun_events(fine)
    assert np.abs((up - up_f) / np.timedelta64(1, "us")).max() / 1e6 < one_second
    assert np.abs((down - down_f) / np.timedelta64(1, "us")).max() / 1e6 < one_second


def test_conical_fraction_is_half_at_the_sunlit_boundary(sets):
    es = sets[0]
    tr = track(es, es.epoch, hours=3, step_s=30)
    up, down = sun_events(tr)
    at = track_at(es, np.concatenate([up, down]), sunlit=False)
    f = illuminated_fraction(at.time_utc, at.r_teme_km)
    # The Earth's limb is nearly straight across the 0.53 deg solar disk.
    assert np.abs(f - 0.5).max() < 0.05
    # Penumbra: the solar disk (0.53 deg) crosses the limb, which moves at
    # roughly the orbital rate (360 deg / 92.9 min = 0.065 deg/s): ~8 s.
    fine = track(es, up[0] - np.timedelta64(60, "s"), hours=2 / 60, step_s=0.25)
    ff = illuminated_fraction(fine.time_utc, fine.r_teme_km)
    penumbra_s = ((ff > 0) & (ff < 1)).sum() * 0.25
    rate_deg_s = 360.0 / (es.period_min * 60)
    assert 0.53 / rate_deg_s * 0.8 < penumbra_s < 0.53 / rate_deg_s / math.cos(0.9) * 1.2

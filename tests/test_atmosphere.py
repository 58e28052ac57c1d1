"""Atmosphere models: NRLMSISE-00 through pymsis (version 0, degrees, all indices),
NRLMSIS 2.1 option, exponential models.

References: pymsis called directly with the same inputs; Vallado (2013) Table 8-4
(CIRA-72 based mean density at 400 km 3.725e-12 kg/m^3); Picone et al. (2002) for
the diurnal bulge (maximum in the early afternoon, ~14-16 h local solar time).
"""

import numpy as np
import pytest

from orbitsim.atmosphere import (VALLADO_TABLE_8_4, Exponential, NRLMSIS21, NRLMSISE00,
                                 PiecewiseExponential, atmosphere)
from orbitsim.errors import InputError
from orbitsim.spaceweather import space_weather

T0 = np.datetime64("2022-02-01T00:00", "us")   # 00 UT: local solar time ~ lon/15 h


def lst_to_lon(lst_h, t=T0):
    ut_h = (t - t.astype("datetime64[D]")).astype(np.int64) / 3.6e9
    return ((lst_h - ut_h) * 15.0) % 360.0


def test_density_is_pymsis_version0_with_our_indices():
    import pymsis

    atm = atmosphere("nrlmsise00", "observed")
    t = T0 + np.arange(0, 86400, 3600).astype("timedelta64[s]")
    lat, lon, alt = np.linspace(-50, 50, t.size), np.linspace(0, 350, t.size), 420.0
    ix = atm.space_weather.at(t)
    direct = pymsis.calculate(t, lon, lat, np.full(t.size, alt), ix.f107_prev_day_obs,
                              ix.f107a_81d_obs, ix.ap_3h, version=0,
                              geomagnetic_activity=-1)[:, 0]
    np.testing.assert_allclose(atm.density(t, lat, lon, alt), direct, rtol=1e-12)
    # and MSIS 2.1 with the same inputs differs
    v21 = pymsis.calculate(t, lon, lat, np.full(t.size, alt), ix.f107_prev_day_obs,
                           ix.f107a_81d_obs, ix.ap_3h, version=2.1,
                           geomagnetic_activity=-1)[:, 0]
    assert np.max(np.abs(v21 / direct - 1)) > 0.02
    np.testing.assert_allclose(NRLMSIS21("observed").density(t, lat, lon, alt), v21, rtol=1e-12)


def test_version0_and_21_differ_and_21_is_not_default():
    t, lat, lon = T0, 30.0, 100.0
    r0 = atmosphere("nrlmsise00", "nominal").density(t, lat, lon, 400.0)
    r21 = atmosphere("nrlmsis21", "nominal").density(t, lat, lon, 400.0)
    assert abs(r21 / r0 - 1) > 0.01
    assert atmosphere().version == 0 and isinstance(atmosphere(), NRLMSISE00)
    assert "non-commercial" in NRLMSIS21.__doc__


def test_longitudes_are_degrees_bulge_in_early_afternoon():
    """Scan longitude at 00 UT on the equator: the density maximum must sit at
    ~14-16 h local solar time if pymsis reads degrees. Were degrees taken as
    radians, 90 and pi/2 would give the same value and the pattern would repeat
    every 6.28 'degrees'."""
    atm = atmosphere("nrlmsise00", "nominal")
    lon = np.arange(0.0, 360.0, 2.0)
    rho = atm.density(T0, -17.0, lon, 400.0)   # February: subsolar latitude ~ -17 deg
    lst_max = (lon[np.argmax(rho)] / 15.0) % 24
    assert 13.0 <= lst_max <= 17.0
    r90, rpi2 = atm.density(T0, 0.0, np.array([90.0, np.pi / 2]), 400.0)
    assert abs(r90 / rpi2 - 1) > 0.05
    # 90 deg at 00 UT is 06 LST: below the daily mean; pi/2 deg ~ 00:06 LST
    assert r90 < rho.mean()


def test_dayside_bulge_14h_vs_04h():
    for level in ("low", "nominal", "high"):
        atm = atmosphere("nrlmsise00", level)
        day = atm.density(T0, 0.0, lst_to_lon(14.0), 400.0)
        night = atm.density(T0, 0.0, lst_to_lon(4.0), 400.0)
        assert day / night > 1.5


def test_400km_moderate_activity_matches_published_mean():
    """Annual, global (area-weighted), all-local-time mean at 400 km for ECSS moderate
    activity (F10.7 = 140, Ap = 15) vs Vallado (2013) Table 8-4: 3.725e-12 kg/m^3
    (a mean atmosphere); the published range over a solar cycle is ~1e-12 - 5e-12
    at moderate-to-high activity. Tolerance: 25 % (different model generations)."""
    lats = np.linspace(-85, 85, 18)
    lons = np.arange(0.0, 360.0, 30.0)
    t = np.datetime64("2022-01-05", "us") + (np.arange(0, 365, 14) * 86400).astype("timedelta64[s]")
    w = np.cos(np.radians(lats))[None, :, None]
    means = {}
    for level in ("low", "nominal", "high"):
        rho = atmosphere("nrlmsise00", level).density(t[:, None, None], lats[None, :, None],
                                                      lons[None, None, :], 400.0)
        means[level] = float((rho * w).sum() / (w.sum() * t.size * lons.size))
    assert means["nominal"] == pytest.approx(3.725e-12, rel=0.25)
    assert means["low"] < 1e-12 < means["nominal"] < 5e-12 < means["high"]


def test_broadcasting_and_shapes():
    atm = atmosphere("nrlmsise00", "observed")
    t = T0 + np.array([0, 3600, 7200]).astype("timedelta64[s]")
    lat = np.array([0.0, 20.0, 40.0, 51.6])
    out = atm.density(t[:, None], lat[None, :], 10.0, 415.0)
    assert out.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert out[i, j] == atm.density(t[i:i + 1], lat[j], 10.0, 415.0)[0]
    assert np.ndim(atm.density(T0, 0.0, 0.0, 400.0)) == 0
    # altitude profile decreases monotonically
    prof = atm.density(T0, 0.0, 0.0, np.arange(100.0, 1000.0, 10.0))
    assert np.all(np.diff(prof) < 0)


def test_f107_scale_equals_scaled_constants():
    base = atmosphere("nrlmsise00", {"f107": 150, "f107a": 150, "ap": 15})
    up = atmosphere("nrlmsise00", {"f107": 180, "f107a": 180, "ap": 15})
    r = base.density(T0, 10.0, 20.0, 420.0, f107_scale=np.array([1.0, 1.2]))
    assert r[1] == pytest.approx(float(up.density(T0, 10.0, 20.0, 420.0)), rel=1e-6)
    assert r[1] > 1.2 * r[0]


def test_observed_storm_raises_density():
    """The 3-4 February 2022 geomagnetic storm (daily Ap 26, 32 in the file; the
    storm that doomed 38 Starlink satellites at ~210 km): with the observed 3-hourly
    ap the model density at 210 km on 4 Feb 18 UT exceeds the quiet 1 Feb value at
    the same place and local time by more than 10 % (F10.7 is similar both days)."""
    atm = atmosphere("nrlmsise00", "observed")
    quiet = atm.density(np.datetime64("2022-02-01T18:00"), 40.0, 0.0, 210.0)
    storm = atm.density(np.datetime64("2022-02-04T18:00"), 40.0, 0.0, 210.0)
    assert storm / quiet > 1.1


def test_errors():
    atm = atmosphere("nrlmsise00", "observed")
    with pytest.raises(InputError, match="no space-weather data"):
        atm.density(np.datetime64("2050-01-01"), 0.0, 0.0, 400.0)
    with pytest.raises(InputError):
        atm.density(T0, 95.0, 0.0, 400.0)
    with pytest.raises(InputError):
        atm.density(T0, 0.0, 0.0, np.nan)
    with pytest.raises(InputError):
        atm.density(np.zeros(3), 0.0, 0.0, 400.0)
    with pytest.raises(InputError):
        atmosphere("jacchia")
    with pytest.raises(InputError):
        Exponential(1e-12, 400, 60).density(T0, 0, 0, 400, f107_scale=1.1)


def test_exponential_is_analytic():
    atm = Exponential(3.725e-12, 400.0, 58.515)
    h = np.array([300.0, 400.0, 458.515])
    np.testing.assert_allclose(atm.density(T0, 0, 0, h),
                               3.725e-12 * np.exp(-(h - 400.0) / 58.515), rtol=1e-14)
    assert atm.density(T0, 0, 0, 458.515) == pytest.approx(3.725e-12 / np.e, rel=1e-14)


def test_piecewise_exponential_reproduces_vallado_table():
    atm = atmosphere("exponential")
    assert isinstance(atm, PiecewiseExponential)
    h0, rho0, H = VALLADO_TABLE_8_4.T
    np.testing.assert_allclose(atm.density(T0, 0, 0, h0), rho0, rtol=1e-14)
    # inside a band: rho0 exp(-dh/H), and bands join within 5 % (the table is
    # continuous to its printed precision only)
    mid = h0[:-1] + 0.5 * np.diff(h0)
    np.testing.assert_allclose(atm.density(T0, 0, 0, mid), rho0[:-1] * np.exp(-(mid - h0[:-1]) / H[:-1]))
    below = rho0[:-1] * np.exp(-np.diff(h0) / H[:-1])
    np.testing.assert_allclose(below, rho0[1:], rtol=0.05)


def test_space_weather_object_is_shared():
    sw = space_weather("observed")
    assert NRLMSISE00(sw).space_weather is sw
    assert NRLMSISE00(space_weather="high").space_weather.kind == "high"


def test_storm_time_mode_uses_the_3_hourly_ap():
    """Switch 9 = -1 (storm-time) reads the ap history; daily-Ap mode does not.
    During the 4 Feb 2022 storm the two differ; the default for the observed
    record is storm-time."""
    t = np.datetime64("2022-02-04T21:00")
    storm = NRLMSISE00("observed").density(t, 45.0, 0.0, 400.0)
    daily = NRLMSISE00("observed", storm_time=False).density(t, 45.0, 0.0, 400.0)
    assert NRLMSISE00("observed").storm_time and not NRLMSISE00("nominal").storm_time
    assert abs(storm / daily - 1) > 0.01

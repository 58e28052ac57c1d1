"""The scenario runner: deterministic outputs, sensitivity directions, analyses checked against
independent formulas, outputs beyond a shortened horizon skipped with a reason rather than guessed.

Horizons are shortened through the explicit ``horizon_days`` option; the scenario files are
never edited (variants are built with ``dataclasses.replace`` on the loaded scenario).
"""

import dataclasses
import math

import pytest

from orbitsim import runner
from orbitsim.constants import G0_M_S2, MU_EARTH_M3_S2, R_EARTH_EQ_M
from orbitsim.errors import InputError
from orbitsim.scenario import (EndReboostsEvent, ReboostPolicyEvent, Solar, load)
from tests.conftest import ROOT, one_km, one_meter

SCEN = ROOT / "scenarios"


def _files(d):
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_same_inputs_and_seed_give_identical_outputs(tmp_path):
    sc = load(SCEN / "nominal-2022.toml")
    a = runner.run(sc, tmp_path / "a", horizon_days=5)
    b = runner.run(sc, tmp_path / "b", horizon_days=5)
    fa, fb = _files(a.out_dir), _files(b.out_dir)
    assert set(fa) == {"result.json", "summary.md", "altitude.png", "decay_rate.png",
                       "ground_track.png"}
    assert fa == fb                       # byte-identical, figures included
    assert b"2026" not in fa["result.json"]   # no wall-clock time in the outputs


def test_more_mass_same_area_decays_slower(tmp_path):
    """Over 60 days the altitude lost scales as Cd*A/m (da/dt = -B sqrt(mu a) rho, King-Hele):
    500 t at the same Cd*A loses 419,725/500,000 of the real station's loss."""
    res = runner.run(load(SCEN / "uncontrolled-deorbit-500t.toml"), tmp_path / "m",
                     horizon_days=60, members=2)
    mc = res.result["mass_comparison"]
    ref, v = mc["reference"], mc["variants"][0]
    loss_ref = ref["start_mean_alt_km"] - ref["end_mean_alt_km"]
    loss_500 = v["start_mean_alt_km"] - v["end_mean_alt_km"]
    assert loss_500 < loss_ref
    assert v["ballistic_coefficient_m2_kg"] == pytest.approx(
        ref["ballistic_coefficient_m2_kg"] * 419725 / 500000, rel=1e-4)
    # density grows as the orbit sinks, so the ratio is not exact: within 2 %
    assert loss_500 / loss_ref == pytest.approx(419725 / 500000, rel=0.02)
    # no reentry within 60 days: the risk is skipped with its reason, not guessed
    assert res.result["risk"]["status"] == "skipped"


def test_higher_solar_activity_decays_faster(tmp_path):
    res = runner.run(load(SCEN / "progress-reboost-loss.toml"), tmp_path / "s",
                     horizon_days=60, members=2)
    end = {k: v["end_mean_alt_km"] for k, v in res.result["solar_profiles"].items()}
    assert end["high"] < end["nominal"] < end["low"]
    # every profile uses the same Cd*A/m (calibrated once with observed space weather)
    bcs = {v["ballistic_coefficient_m2_kg"] for v in res.result["solar_profiles"].values()}
    assert len(bcs) == 1


def _high_solar(sc, **analysis):
    return dataclasses.replace(
        sc, solar=Solar(profile="high"),
        analysis=dataclasses.replace(sc.analysis, solar_profiles=(), **analysis),
        montecarlo=dataclasses.replace(sc.montecarlo, members=0))


def test_no_reboosts_reenters_earlier_and_rescue_is_checked(tmp_path):
    """Under high solar activity: without reboosts the station reenters within 400 days; with
    the nominal reboost policy it does not. The last rescue date (one 6.2 m/s burn back to
    425 km) is verified by the engine rerun with that burn."""
    loss = load(SCEN / "progress-reboost-loss.toml")
    drift = runner.run(_high_solar(loss, rescue_min_alt_km=425.0), tmp_path / "d",
                       horizon_days=400)
    m = drift.result["main"]
    assert m["reentry_epoch_utc"] is not None and m["lifetime_days"] < 400

    policy = load(SCEN / "nominal-2022.toml").events_of(ReboostPolicyEvent)[0]
    kept = dataclasses.replace(loss, events=(dataclasses.replace(policy, start=None),))
    kept = _high_solar(kept, rescue_dv_m_s=None)
    held = runner.run(kept, tmp_path / "k", horizon_days=400).result["main"]
    assert held["reentry_epoch_utc"] is None
    assert held["min_mean_alt_km"] >= policy.trigger_alt_km - 1.0
    assert held["burns"]["reboosts"] >= 1

    rs = drift.result["rescue"]
    assert rs["last_rescue_utc"] is not None
    a = R_EARTH_EQ_M + rs["mean_alt_km_then"] * 1e3
    gain_m = 2 * a * 6.2 / math.sqrt(MU_EARTH_M3_S2 / a)        # Gauss, tangential impulse
    assert rs["mean_alt_km_then"] * 1e3 + gain_m >= 425e3 - one_meter
    # the engine, given the burn on that date, lifts the station to 425 km (to within the
    # sampling of the decay curve: the next sample would no longer make it)
    assert 425 * one_km - 0.5 * one_km <= rs["check_mean_alt_km_after_burn"] * 1e3 \
        <= 425 * one_km + 2 * one_km


def test_deorbit_dv_and_propellant_against_independent_formulas():
    # Transfer-ellipse apogee speed from angular momentum and energy: v_a = sqrt(2 mu r_p /
    # (r_a (r_a + r_p))) (Curtis 2014, Eq. 6.2) -- a different form of vis-viva.
    ra, rp = R_EARTH_EQ_M + 417e3, R_EARTH_EQ_M + 50e3
    v_a = math.sqrt(2 * MU_EARTH_M3_S2 * rp / (ra * (ra + rp)))
    expected = math.sqrt(MU_EARTH_M3_S2 / ra) - v_a
    assert runner.deorbit_dv_m_s(417.0, 50.0) == pytest.approx(expected, abs=1e-6)
    # propellant: m0 - m1 with m1 = m0 / exp(dv / (Isp g0))
    m0, dv, isp = 419725.0, expected, 302.0
    assert runner.propellant_kg(m0, dv, isp) == pytest.approx(
        m0 - m0 / math.exp(dv / (isp * G0_M_S2)), rel=1e-12)


def test_bad_override_writes_nothing(tmp_path):
    with pytest.raises(InputError) as ei:
        runner.run(load(SCEN / "nominal-2022.toml"), tmp_path / "x", horizon_days=-3)
    assert ei.value.field == "horizon_days"
    assert not (tmp_path / "x").exists()


def test_end_reboosts_then_new_policy_resumes_reboosting():
    """end_reboosts ends the Russian policy; a US policy starting later still reboosts."""
    sc = load(SCEN / "us-reboost-after-russian-exit.toml")
    ev = runner._decay_events(sc)
    names = [type(e).__name__ for e in ev]
    assert "EndReboosts" not in names              # it would end every policy in the engine
    pol = [e for e in ev if type(e).__name__ == "ReboostPolicy"]
    assert len(pol) == 1 and pol[0].start == sc.events_of(ReboostPolicyEvent)[0].start
    assert sc.events_of(EndReboostsEvent)[0].time < pol[0].start

"""Events: validation, impulsive-burn mechanics against Gauss / vis-viva, reboost policy."""

import math

import numpy as np
import pytest

from conftest import one_day, one_meter
from orbitsim import meanelements as me
from orbitsim.atmosphere import Exponential
from orbitsim.constants import G0_M_S2, MU_EARTH_M3_S2 as MU, R_EARTH_EQ_M as RE
from orbitsim.errors import InputError
from orbitsim.events import (Burn, ConfigChange, DeorbitBurn, EndReboosts, ReboostPolicy,
                             Schedule, apply_impulse, hohmann_dv_m_s, propellant_kg)

START = "2022-03-01T00:00Z"


def _circ(alt_km, inc=0.9):
    return me.MeanState(*(np.array([v]) for v in (RE + alt_km * 1e3, 0.0, inc, 0.3, 0.0, 1.0)))


@pytest.mark.parametrize("kw,field", [
    (dict(trigger_alt_km=420, target_alt_km=410), "target_alt_km"),
    (dict(trigger_alt_km=-5, target_alt_km=410), "trigger_alt_km"),
    (dict(trigger_alt_km=400, target_alt_km=410, isp_s=0), "isp_s"),
    (dict(trigger_alt_km=400, target_alt_km=410, start="2023-01-01", end="2022-01-01"), "end"),
])
def test_policy_validation(kw, field):
    with pytest.raises(InputError) as exc:
        ReboostPolicy(**kw)
    assert exc.value.field == field


@pytest.mark.parametrize("kw,field", [
    (dict(mass_kg=-1, area_m2=100, cd=2.2), "mass_kg"),
    (dict(mass_kg=1000, area_m2=0, cd=2.2), "area_m2"),
    (dict(mass_kg=1000, area_m2=100, cd=-2.2), "cd"),
])
def test_config_change_validation(kw, field):
    with pytest.raises(InputError) as exc:
        ConfigChange(START, **kw)
    assert exc.value.field == field


def test_schedule_validation():
    with pytest.raises(InputError) as exc:
        Schedule([Burn("2022-03-05", 1.0), Burn("2022-03-04", 1.0)], start=START)
    assert exc.value.field == "events[1].time"
    with pytest.raises(InputError) as exc:
        Schedule([Burn("2022-02-05", 1.0)], start=START)
    assert exc.value.field == "events[0].time"
    with pytest.raises(InputError) as exc:
        Schedule([ReboostPolicy(190, 250)], start=START, handover_alt_km=200)
    assert exc.value.field == "trigger_alt_km"
    with pytest.raises(InputError) as exc:
        DeorbitBurn(START, -5.0)
    assert exc.value.field == "dv_m_s"
    with pytest.raises(InputError) as exc:
        ReboostPolicy.parse("420-430")
    assert exc.value.field == "reboost_policy"
    assert Schedule([ReboostPolicy(400, 420)], start=START).unbounded_policy
    assert not Schedule([ReboostPolicy(400, 420), EndReboosts("2023-01-01")],
                        start=START).unbounded_policy


def test_hohmann_small_raise_matches_gauss():
    a = RE + 400e3
    v = math.sqrt(MU / a)
    da = 2e3
    assert float(hohmann_dv_m_s(a, a + da)) == pytest.approx(v * da / (2 * a), rel=1e-3)


def test_impulse_circular_matches_gauss_and_vis_viva():
    st = _circ(400.0)
    a = st.a_m[0]
    v = math.sqrt(MU / a)
    dv = 0.5
    y = apply_impulse(st.to_array(), np.array([0]), dv)
    # Gauss: da = 2 a^2 v dv / mu (first order)
    assert y[0, 0] - a == pytest.approx(2 * a * a * v * dv / MU, rel=2e-4)
    # retrograde 60 m/s: apogee stays at r, perigee from vis-viva
    y = apply_impulse(st.to_array(), np.array([0]), -60.0)
    v2 = v - 60.0
    a_new = 1.0 / (2.0 / a - v2 * v2 / MU)
    rp = 2 * a_new - a
    assert abs(y[0, 0] * (1 - y[1, 0]) - rp) < one_meter
    assert abs(y[0, 0] * (1 + y[1, 0]) - a) < one_meter


def test_propellant_rocket_equation_small_dv_limit():
    m, isp, dv = 420000.0, 300.0, 1.0
    # m dv / (Isp g0) to first order in dv
    assert float(propellant_kg(m, dv, isp)) == pytest.approx(m * dv / (isp * G0_M_S2), rel=1e-3)


def test_reboost_policy_keeps_band_and_dv_matches_decay():
    atm = Exponential(3.725e-12, 400.0, 58.515)
    B = 0.01
    trig, targ = 405.0, 415.0
    sched = Schedule([ReboostPolicy(trig, targ, isp_s=300.0)], start=START,
                     mass_kg=420000.0, cda_m_kg=B)
    days = 365.0
    tr = me.propagate(np.datetime64("2022-03-01T00:00"), _circ(414.0), atmosphere=atm,
                      bc_m2_kg=B, mass_kg=420000.0, max_days=days, events=sched,
                      corotate=False)
    _, ys, ks, _ = tr.member(0)
    alt = (ys[:, 0] - RE) / 1e3
    tol_km = 2 * me.EVENT_TOL_M / 1e3
    assert alt.min() >= trig - tol_km and alt.max() <= targ + tol_km
    boosts = [b for b in tr.burns if b["kind"] == "reboost"]
    assert len(boosts) >= 3
    for b in boosts:
        assert b["alt_before_km"] == pytest.approx(trig, abs=tol_km)
        assert b["alt_after_km"] == pytest.approx(targ, abs=1e-6)
    # total dv ~ v/(2a) x total altitude restored, which equals the drag decay
    a_mid = RE + 0.5 * (trig + targ) * 1e3
    v = math.sqrt(MU / a_mid)
    restored = sum(b["alt_after_km"] - b["alt_before_km"] for b in boosts) * 1e3
    dv = sum(b["dv_m_s"] for b in boosts)
    assert dv == pytest.approx(v / (2 * a_mid) * restored, rel=5e-3)
    # decay over the year = restored + net altitude change
    net = ys[-1, 0] - ys[0, 0]
    mean_rate = -np.trapezoid(ks[:, 0], tr.member(0)[0]) / (days * one_day)
    assert restored - net == pytest.approx(mean_rate * days * one_day, rel=0.05)
    assert sum(b["propellant_kg"] for b in boosts) == pytest.approx(
        float(propellant_kg(420000.0, dv / len(boosts), 300.0)) * len(boosts), rel=1e-3)


def test_config_change_rescales_ballistic_coefficient():
    atm = Exponential(3.725e-12, 400.0, 58.515)
    cda0 = 2.2 * 1500 / 420000
    sched = Schedule([ConfigChange("2022-03-10", mass_kg=210000, area_m2=1500, cd=2.2)],
                     start=START, mass_kg=420000, cda_m_kg=cda0)
    B = 0.0075
    tr = me.propagate(np.datetime64("2022-03-01T00:00"), _circ(400.0), atmosphere=atm,
                      bc_m2_kg=B, cda_m_kg=cda0, mass_kg=420000, max_days=20, events=sched)
    # half the mass, same area: the (fitted) B doubles
    assert tr.bc_m2_kg[0] == pytest.approx(2 * B, rel=1e-12)
    assert any(b["kind"] == "config" for b in tr.burns)


def test_deorbit_burn_stops_at_handover():
    atm = Exponential(3.725e-12, 400.0, 58.515)
    sched = Schedule([DeorbitBurn("2022-03-02", 60.0)], start=START, mass_kg=420000,
                     cda_m_kg=0.0075)
    tr = me.propagate(np.datetime64("2022-03-01T00:00"), _circ(400.0), atmosphere=atm,
                      bc_m2_kg=0.0075, max_days=30, events=sched)
    # 60 m/s retrograde at 400 km puts the perigee near 180 km: handed over at the burn
    assert tr.stop_t_s[0] == pytest.approx(one_day, abs=1.0)
    assert tr.burns[0]["kind"] == "deorbit" and tr.burns[0]["dv_m_s"] == 60.0

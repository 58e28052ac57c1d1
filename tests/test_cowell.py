"""Cowell propagator against analytic results, SGP4/skyfield, and a direct-density reference."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from orbitsim import cowell, gravity
from orbitsim.constants import J2, MU_EARTH_M3_S2 as MU, OMEGA_EARTH_RAD_S, R_EARTH_EQ_M as R
from orbitsim.errors import InputError

from conftest import one_km, one_meter, one_second

T0 = np.datetime64("2022-03-01T00:00:00", "us")


def circular_state(alt_m, inc_deg, *, raan_deg=0.0, u_deg=0.0):
    """TEME state (m, m/s) of a circular two-body orbit of radius R + alt_m."""
    a = R + alt_m
    v = math.sqrt(MU / a)
    i, O, u = np.radians([inc_deg, raan_deg, u_deg])
    node = np.array([math.cos(O), math.sin(O), 0.0])
    perp = np.array([-math.sin(O) * math.cos(i), math.cos(O) * math.cos(i), math.sin(i)])
    r = a * (math.cos(u) * node + math.sin(u) * perp)
    vv = v * (-math.sin(u) * node + math.cos(u) * perp)
    return r, vv


# ---------------------------------------------------------------- frames and geodesy

def test_geodetic_matches_skyfield_wgs84():
    from skyfield.toposlib import ITRSPosition, wgs84
    from skyfield.units import Distance

    from orbitsim.timeutil import skyfield_times

    rng = np.random.default_rng(7)
    u = rng.normal(size=(300, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    xyz = u * rng.uniform(R + 50e3, R + 1500e3, size=300)[:, None]
    xyz[:3] = [[0, 0, R], [0, 0, -R - 400e3], [R + 80e3, 0, 0]]
    lat, lon, alt_km = cowell.geodetic(xyz)
    g = wgs84.geographic_position_of(ITRSPosition(Distance(m=xyz.T)).at(skyfield_times(T0)[0]))
    # 1 m on the ground is 1.6e-7 rad of latitude/longitude
    assert np.max(np.abs(alt_km * 1e3 - g.elevation.m)) < one_meter
    assert np.max(np.abs(np.radians(lat - g.latitude.degrees))) * R < one_meter
    dlon = np.mod(lon - g.longitude.degrees + 180, 360) - 180
    assert np.max(np.abs(np.radians(dlon) * np.cos(np.radians(lat))[...])[3:]) * R < one_meter
    # the scalar altitude used inside the integrator agrees with the vectorised one
    scalar = np.array([cowell._alt_m(*p) for p in xyz])
    assert np.max(np.abs(scalar - alt_km * 1e3)) < 1e-3 * one_meter


def test_gmst_and_teme_to_ecef_match_sgp4_and_skyfield():
    from sgp4.propagation import gstime
    from skyfield.sgp4lib import TEME_to_ITRF

    times = T0 + np.arange(0, 10 * 86400, 7777).astype("timedelta64[s]")
    dut1 = -0.11
    theta = cowell.gmst_rad(times, dut1)
    jd_ut1 = 2440587.5 + (times - np.datetime64("1970-01-01", "us")).astype(float) / 86400e6 \
        + dut1 / 86400
    ref = np.array([gstime(j) for j in jd_ut1])
    # sgp4's gstime takes one float Julian date (resolution ~4e-5 s, 3e-9 rad);
    # 1e-8 rad is 6 cm at the Earth's surface
    assert np.max(np.abs(np.mod(theta - ref + np.pi, 2 * np.pi) - np.pi)) < 1e-8
    r = np.array([6778e3, 1000e3, 2000e3])
    ours = cowell.teme_to_ecef(r, theta[0])
    theirs, _ = TEME_to_ITRF(jd_ut1[0], r, np.zeros(3))
    # same float-Julian-date resolution in skyfield: 3e-9 rad * 7000 km = 2 cm
    assert np.linalg.norm(ours - theirs) < 0.1 * one_meter


# ---------------------------------------------------------------- drag-free dynamics

def test_drag_free_energy_is_conserved_over_a_day():
    r0, v0 = circular_state(420e3, 51.64, raan_deg=30.0, u_deg=10.0)
    v0 = v0 * 1.002        # slightly eccentric
    res = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=1.0)
    energy = gravity.specific_energy(res.r_m, res.v_m_s, degree=4)
    drift = abs(energy[-1] - energy[0]) / abs(energy[0])
    assert drift < 1e-9
    assert res.stop_reason == "max_days"
    assert res.elapsed_s[-1] == pytest.approx(86400.0, abs=1e-6)


def test_two_body_orbit_closes_after_the_keplerian_period():
    # eccentric orbit, e = 0.1: the state must repeat after T = 2 pi sqrt(a^3/mu)
    r0 = np.array([R + 500e3, 0.0, 0.0])
    a = r0[0] / (1 - 0.1)
    v0 = np.array([0.0, math.sqrt(MU * (2 / r0[0] - 1 / a)), 0.0])
    period_s = 2 * math.pi * math.sqrt(a**3 / MU)
    until = T0 + np.timedelta64(int(round(period_s * 1e6)), "us")
    res = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, until=until, degree=0)
    assert np.linalg.norm(res.final_r_m - r0) < one_meter
    # and it does not close one second earlier (the test can tell periods apart)
    early = until - np.timedelta64(1, "s")
    res2 = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, until=early, degree=0)
    assert np.linalg.norm(res2.final_r_m - r0) > 1000 * one_meter


def test_j2_nodal_regression_matches_the_analytic_rate():
    inc = 51.64
    r0, v0 = circular_state(420e3, inc, raan_deg=100.0)
    res = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=5.0, degree=2,
                           output_step_s=30.0)
    el = res.elements()
    t = res.elapsed_s
    raan = np.unwrap(np.radians(el["raan_deg"]))
    # secular rate by a straight-line fit (short-periodic terms average out)
    rate = np.polyfit(t, raan, 1)[0]
    a = np.mean(el["a_m"])
    e = np.mean(el["e"])
    n = math.sqrt(MU / a**3)
    p = a * (1 - e**2)
    analytic = -1.5 * n * J2 * (R / p) ** 2 * math.cos(math.radians(inc))   # Vallado Eq. 9-41
    assert rate == pytest.approx(analytic, rel=0.01)


def test_j2_apsidal_rotation_matches_the_analytic_rate():
    """Argument of perigee drift 3/4 n J2 (R/p)^2 (4 - 5 sin^2 i) (Vallado 2013 Eq. 9-41),
    e = 0.05 so that the perigee is well defined, over 5 days, J2 only."""
    inc, a, e = 51.64, R + 700e3, 0.05
    rp = a * (1 - e)
    vp = math.sqrt(MU * (2 / rp - 1 / a))
    r0, _ = circular_state(rp - R, inc, u_deg=30.0)            # perigee at u = 30 deg
    _, v_dir = circular_state(rp - R, inc, u_deg=30.0)
    v0 = v_dir / np.linalg.norm(v_dir) * vp
    res = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=5.0, degree=2,
                           output_step_s=30.0)
    el = res.elements()
    rate = np.polyfit(res.elapsed_s, np.unwrap(np.radians(el["argp_deg"])), 1)[0]
    a_m, e_m = np.mean(el["a_m"]), np.mean(el["e"])
    n = math.sqrt(MU / a_m**3)
    p = a_m * (1 - e_m**2)
    analytic = 0.75 * n * J2 * (R / p) ** 2 * (4 - 5 * math.sin(math.radians(inc)) ** 2)
    assert rate == pytest.approx(analytic, rel=0.01)


def _iss_satrec():
    """The first bundled ISS element set (2022-01-01)."""
    from orbitsim.elements import bundled_iss
    return bundled_iss()[0].satrec


def test_one_orbit_agrees_with_sgp4_within_a_few_km():
    """SGP4 is an analytic mean-element theory (WGS 72, J2-J4 secular and first-order
    J2 short-periodic terms only, drag through B*); Cowell integrates the full J2-J4 field
    (WGS 84/EGM96) from SGP4's osculating state. Over one revolution the two diverge by
    a few hundred metres (200 m for this set), mainly along track, from SGP4's truncated
    short-periodic terms; drag at 420 km moves the ISS < 100 m in one orbit. We allow 2 km."""
    from skyfield.api import EarthSatellite

    from orbitsim.timeutil import timescale

    sat = EarthSatellite.from_satrec(_iss_satrec(), timescale())
    err, r_km, v_km_s = sat.model.sgp4(sat.model.jdsatepoch, sat.model.jdsatepochF)
    assert err == 0
    t0 = np.datetime64(sat.epoch.utc_datetime().replace(tzinfo=None), "us")
    period_s = 86400.0 / (sat.model.no_kozai * 1440 / (2 * math.pi))
    res = cowell.propagate(np.array(r_km) * 1e3, np.array(v_km_s) * 1e3, t0, atmosphere=None,
                           bc_m2_kg=0.0, max_days=period_s / 86400.0)
    jd = sat.model.jdsatepochF + period_s / 86400.0
    err, r1_km, _ = sat.model.sgp4(sat.model.jdsatepoch, jd)
    assert err == 0
    assert np.linalg.norm(res.final_r_m - np.array(r1_km) * 1e3) < 2 * one_km


# ---------------------------------------------------------------- input validation

def test_bad_input_raises_input_error():
    r0, v0 = circular_state(400e3, 51.6)
    with pytest.raises(InputError, match="already at or below"):
        cowell.propagate(r0 * (R + 70e3) / (R + 400e3), v0, T0, atmosphere=None, bc_m2_kg=0.0,
                         max_days=1)
    with pytest.raises(InputError, match="r0_m"):
        cowell.propagate([1.0, 2.0], v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=1)
    with pytest.raises(InputError, match="bound orbit"):
        cowell.propagate(r0, v0 * 1.5, T0, atmosphere=None, bc_m2_kg=0.0, max_days=1)
    with pytest.raises(InputError, match="until"):
        cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, until=T0)


# ---------------------------------------------------------------- drag

def _exponential():
    from orbitsim.atmosphere import Exponential
    return Exponential(2.4e-11, 300.0, 50.0)


def _decay_rate(res):
    el = res.elements()
    return np.polyfit(res.elapsed_s, el["a_m"], 1)[0], float(np.mean(el["a_m"]))


@pytest.mark.parametrize("density_scale", [1.0, 2.0])
def test_circular_decay_rate_matches_king_hele_in_an_exponential_atmosphere(density_scale):
    """King-Hele (1987, *Satellite Orbits in an Atmosphere*, Ch. 4): for a circular orbit
    in an atmosphere at rest, da/dt = -B sqrt(mu a) rho(a), B = Cd A / m. Equatorial orbit
    (geodetic altitude = r - R exactly) and two-body gravity keep the orbit circular."""
    atm = _exponential()
    bc = 0.01                                    # m^2/kg
    r0, v0 = circular_state(300e3, 0.0)
    res = cowell.propagate(r0, v0, T0, atmosphere=atm, bc_m2_kg=bc, max_days=1.0, degree=0,
                           corotate=False, density_scale=density_scale)
    rate, a_mean = _decay_rate(res)
    rho = density_scale * float(atm.density(T0, 0.0, 0.0, (a_mean - R) / 1e3))
    king_hele = -bc * math.sqrt(MU * a_mean) * rho
    assert rate == pytest.approx(king_hele, rel=0.02)
    assert rate == pytest.approx(king_hele, rel=0.002)   # in fact much closer


def test_corotating_atmosphere_slows_equatorial_decay_by_the_wind_factor():
    """With the atmosphere turning with the Earth an equatorial prograde orbit sees
    v_rel = v - omega r along track, so da/dt = -B sqrt(mu a) rho (1 - omega r / v)^2
    (King-Hele's wind factor F for i = 0; Vallado 2013 §8.6.2)."""
    atm = _exponential()
    bc = 0.01
    r0, v0 = circular_state(300e3, 0.0)
    res = cowell.propagate(r0, v0, T0, atmosphere=atm, bc_m2_kg=bc, max_days=1.0, degree=0)
    rate, a_mean = _decay_rate(res)
    rho = float(atm.density(T0, 0.0, 0.0, (a_mean - R) / 1e3))
    wind = (1 - OMEGA_EARTH_RAD_S * a_mean / math.sqrt(MU / a_mean)) ** 2
    assert wind < 0.9
    assert rate == pytest.approx(-bc * math.sqrt(MU * a_mean) * rho * wind, rel=0.002)


def test_reentry_event_stops_at_80_km_with_its_geodetic_point_and_ground_track():
    from orbitsim.atmosphere import PiecewiseExponential

    r0, v0 = circular_state(160e3, 51.64, raan_deg=200.0)
    res = cowell.propagate(r0, v0, T0, atmosphere=PiecewiseExponential(), bc_m2_kg=0.01,
                           track_step_s=10.0, track_orbits=2.0)
    assert res.reentered and res.stop_reason == "reentry"
    final_alt_m = cowell.geodetic(cowell.teme_to_ecef(
        res.final_r_m, cowell.gmst_rad(res.final_time_utc, res.dut1_s)))[2] * 1e3
    assert abs(final_alt_m - 80e3) < one_meter
    assert abs(res.alt_km[-1] * 1e3 - 80e3) < one_meter
    assert res.reentry_time_utc == res.time_utc[-1]
    assert res.reentry_epoch.tzinfo is not None
    assert np.all(np.diff(res.alt_km[-20:]) < 0)           # it is coming down
    # the reentry point is the geodetic point below the final state, also in skyfield
    from skyfield.sgp4lib import TEME_to_ITRF
    from skyfield.toposlib import ITRSPosition, wgs84
    from skyfield.units import Distance

    from orbitsim.timeutil import skyfield_times
    t = skyfield_times(res.final_time_utc)[0]
    itrf, _ = TEME_to_ITRF(t.ut1, res.final_r_m, np.zeros(3))
    g = wgs84.geographic_position_of(ITRSPosition(Distance(m=itrf)).at(t))
    assert abs(g.latitude.degrees - res.reentry_lat_deg) * 111e3 < 50 * one_meter
    dlon = (g.longitude.degrees - res.reentry_lon_deg + 180) % 360 - 180
    assert abs(dlon) * 111e3 * math.cos(math.radians(res.reentry_lat_deg)) < 50 * one_meter
    # ground track: the final two revolutions at 10 s, ending at the reentry point
    track = res.ground_track
    span = (track.time_utc[-1] - track.time_utc[0]).astype(float) / 1e6
    assert 2 * 86 * 60 < span < 2 * 90 * 60 + 20
    assert np.all(np.diff(track.time_utc).astype(float) <= 10e6 + 1)
    assert track.time_utc[-1] == res.reentry_time_utc
    assert track.lat_deg[-1] == pytest.approx(res.reentry_lat_deg, abs=1e-9)
    assert np.max(np.abs(track.lat_deg)) == pytest.approx(51.8, abs=0.2)   # geodetic


class BulgeAtmosphere:
    """A cheap analytic stand-in with NRLMSIS-like structure: scale height growing with
    altitude (curvature in ln rho), a day-side bulge moving with local solar time and a
    latitude term. Evaluated directly in the reference integration."""

    def density(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0):
        hours = (np.asarray(time_utc, "datetime64[us]") - T0).astype(float) / 3600e6
        lst = np.radians(np.asarray(lon_deg) + 15.0 * hours - 30.0)
        h = np.asarray(alt_km, dtype=float)
        H = 20.0 + 0.12 * (h - 150.0)
        log_rho = np.log(2e-9) - (h - 150.0) / (0.5 * (20.0 + H))
        return np.exp(log_rho) * (1.0 + 0.3 * np.cos(lst)) * (1.0 + 0.1 * np.sin(np.radians(
            np.asarray(lat_deg))) ** 2) * f107_scale


def _direct_reference(r0, v0, atm, bc, t_max_s, dut1):
    """Independent reference: numpy RHS with gravity.acceleration and the density model
    evaluated at every right-hand-side call, integrated to 80 km by solve_ivp."""
    def rhs(t, y):
        r, v = y[:3], y[3:]
        tt = T0 + np.timedelta64(int(round(t * 1e6)), "us")
        lat, lon, alt = cowell.geodetic(cowell.teme_to_ecef(r, cowell.gmst_rad(tt, dut1)))
        rho = float(atm.density(tt, lat, lon, alt))
        vrel = v - np.cross([0.0, 0.0, OMEGA_EARTH_RAD_S], r)
        acc = gravity.acceleration(r) - 0.5 * bc * rho * np.linalg.norm(vrel) * vrel
        return np.concatenate([v, acc])

    def down(t, y):
        return cowell.geodetic(y[:3])[2] - 80.0
    down.terminal, down.direction = True, -1
    sol = solve_ivp(rhs, (0, t_max_s), np.concatenate([r0, v0]), method="DOP853", rtol=1e-10,
                    atol=[1e-4] * 3 + [1e-7] * 3, events=down)
    assert sol.status == 1
    t_re, y_re = sol.t_events[0][0], sol.y_events[0][0]
    tt = T0 + np.timedelta64(int(round(t_re * 1e6)), "us")
    lat, lon, _ = cowell.geodetic(cowell.teme_to_ecef(y_re[:3], cowell.gmst_rad(tt, dut1)))
    return t_re, float(lat), float(lon)


@pytest.mark.parametrize("model", ["bulge", "nrlmsise00"])
def test_batched_density_matches_direct_evaluation_to_reentry(model):
    """The span/sample density scheme (module docstring) against calling the atmosphere at
    every RHS evaluation: same reentry epoch to 2 s (of hours) and place to ~15 km
    (2 s of flight at 7.5 km/s)."""
    if model == "bulge":
        atm, alt0, bc = BulgeAtmosphere(), 170e3, 0.01
    else:
        from orbitsim.atmosphere import atmosphere
        atm, alt0, bc = atmosphere("nrlmsise00", "observed"), 135e3, 0.0084
    r0, v0 = circular_state(alt0, 51.64, raan_deg=40.0, u_deg=20.0)
    res = cowell.propagate(r0, v0, T0, atmosphere=atm, bc_m2_kg=bc)
    assert res.reentered and res.n_unconverged == 0
    t_ref, lat_ref, lon_ref = _direct_reference(r0, v0, atm, bc, 5 * 86400, res.dut1_s)
    lifetime = res.elapsed_s[-1]
    print(f"{model}: lifetime {lifetime:.2f} s, direct {t_ref:.2f} s; "
          f"lat {res.reentry_lat_deg:.4f} "
          f"vs {lat_ref:.4f}, lon {res.reentry_lon_deg:.4f} vs {lon_ref:.4f}")
    assert lifetime > 3600
    assert abs(lifetime - t_ref) < 2 * one_second
    assert abs(res.reentry_lat_deg - lat_ref) * 111e3 < 15 * one_km
    dlon = (res.reentry_lon_deg - lon_ref + 180) % 360 - 180
    assert abs(dlon) * 111e3 * math.cos(math.radians(lat_ref)) < 15 * one_km


def test_drag_input_validation():
    r0, v0 = circular_state(300e3, 51.6)
    with pytest.raises(InputError, match="ballistic"):
        cowell.propagate(r0, v0, T0, atmosphere=_exponential(), bc_m2_kg=0.0, max_days=1)
    with pytest.raises(InputError, match="ballistic"):
        cowell.propagate(r0, v0, T0, atmosphere=_exponential(), bc_m2_kg=-1.0, max_days=1)


def test_deep_plunge_to_a_lower_stop_altitude_is_root_found_too():
    """Below ~60 km drag decelerates the object by hundreds of m/s^2 (stiff); the predictor
    and the event must still behave. Vallado 2013 Table 8-4 atmosphere down to 30 km."""
    from orbitsim.atmosphere import PiecewiseExponential

    r0, v0 = circular_state(130e3, 51.64)
    res = cowell.propagate(r0, v0, T0, atmosphere=PiecewiseExponential(), bc_m2_kg=0.01,
                           stop_alt_km=30.0)
    assert res.reentered
    assert abs(res.alt_km[-1] * 1e3 - 30e3) < one_meter
    assert np.linalg.norm(res.final_v_m_s) < 2000.0      # it has lost most of its 7.8 km/s


def test_impulsive_burn_lowers_perigee_as_vis_viva_predicts():
    """A retrograde burn dv on a circular orbit of radius r gives a = 1/(2/r - (v+dv)^2/mu)
    and perigee radius 2a - r half a revolution later (two-body, Vallado 2013 §6.3)."""
    r0, v0 = circular_state(400e3, 51.64)
    r = np.linalg.norm(r0)
    dv = -50.0                     # perigee ~230 km
    t_burn = T0 + np.timedelta64(600, "s")
    a_new = 1.0 / (2.0 / r - (math.sqrt(MU / r) + dv) ** 2 / MU)
    half = math.pi * math.sqrt(a_new**3 / MU)
    until = t_burn + np.timedelta64(int(round(half * 1e6)), "us")
    res = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, until=until, degree=0,
                           burns=[(t_burn, dv)])
    assert res.stop_reason == "until"
    assert np.linalg.norm(res.final_r_m) == pytest.approx(2 * a_new - r, abs=one_meter)
    # an events.DeorbitBurn (positive magnitude) is applied retrograde, the same way
    from orbitsim.events import DeorbitBurn
    from orbitsim.timeutil import to_datetime
    res2 = cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, until=until, degree=0,
                            burns=[DeorbitBurn(to_datetime(t_burn), -dv)])
    assert np.linalg.norm(res2.final_r_m) == pytest.approx(2 * a_new - r, abs=one_meter)
    # a burn before the initial epoch is refused
    with pytest.raises(InputError, match="before the initial epoch"):
        cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=1,
                         burns=[(T0 - np.timedelta64(1, "s"), dv)])


def test_ballistic_coefficient_change_doubles_the_decay_rate():
    atm = _exponential()
    r0, v0 = circular_state(300e3, 0.0)
    change = T0 + np.timedelta64(12, "h")
    res = cowell.propagate(r0, v0, T0, atmosphere=atm, bc_m2_kg=0.01, max_days=1.0, degree=0,
                           corotate=False, bc_changes=[(change, 0.02)])
    el = res.elements()
    t = res.elapsed_s
    rates = []
    for sel in (t <= 43200, t >= 43200):
        rate = np.polyfit(t[sel], el["a_m"][sel], 1)[0]
        a_mean = float(np.mean(el["a_m"][sel]))
        rho = float(atm.density(T0, 0.0, 0.0, (a_mean - R) / 1e3))
        rates.append(rate / (math.sqrt(MU * a_mean) * rho))      # = -B (King-Hele)
    assert rates[0] == pytest.approx(-0.01, rel=0.002)
    assert rates[1] == pytest.approx(-0.02, rel=0.002)


def test_progress_callback_and_track_options():
    r0, v0 = circular_state(400e3, 51.64)
    calls = []
    res = cowell.propagate(r0, v0, T0, atmosphere=_exponential(), bc_m2_kg=0.01, max_days=0.1,
                           track_orbits=0.0, progress=lambda t, alt: calls.append((t, alt)))
    elapsed = [c[0] for c in calls]
    assert len(calls) >= 10 and np.all(np.diff(elapsed) > 0)
    assert all(380 < c[1] < 420 for c in calls)          # geodetic altitude, km
    assert res.ground_track.time_utc.size == 1            # no track asked: final point only
    assert res.ground_track.time_utc[0] == res.final_time_utc
    with pytest.raises(InputError, match="track_orbits"):
        cowell.propagate(r0, v0, T0, atmosphere=None, bc_m2_kg=0.0, max_days=0.1,
                         track_orbits=-1)

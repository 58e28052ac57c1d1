"""Ground tracks vs independent references: skyfield's EarthSatellite + wgs84,
analytic J2 nodal period, the analytic geodetic latitude of the orbit's
turning point, and forward WGS 84 geodesy."""

import json
import math

import numpy as np
import pytest
from conftest import one_meter, one_second
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs
from skyfield.sgp4lib import theta_GMST1982

from orbitsim.constants import FLATTENING, R_EARTH_EQ_M
from orbitsim.elements import bundled_iss, parse_tle, tle_checksum
from orbitsim.errors import InputError
from orbitsim.io import to_json
from orbitsim.propagate import gmst82_rad, itrs_to_geodetic, julian_date_utc, times, track
from orbitsim.timeutil import skyfield_times, timescale

R_KM = R_EARTH_EQ_M / 1000
E2 = FLATTENING * (2 - FLATTENING)


@pytest.fixture(scope="module")
def sets():
    return bundled_iss()


@pytest.mark.parametrize("index", [0, 160, -1])
def test_track_matches_skyfield_earthsatellite_to_a_metre(sets, index):
    es = sets[index]
    tr = track(es, es.epoch, hours=24, step_s=97.0, sunlit=False)
    sat = EarthSatellite(es.line1, es.line2, ts=timescale())
    g = sat.at(skyfield_times(tr.time_utc))
    # Earth-fixed positions (skyfield: TEME -> GCRS -> ITRS incl. polar motion)
    d_itrs_m = np.linalg.norm(g.frame_xyz(itrs).km.T - tr.r_itrs_km, axis=1) * 1000
    assert d_itrs_m.max() < one_meter
    lat, lon = wgs84.latlon_of(g)
    h_km = wgs84.height_of(g).km
    r_m = (R_KM + tr.alt_km) * 1000            # metres per radian at the station
    dlat_m = np.radians(np.abs(lat.degrees - tr.lat_deg)) * r_m
    dlon = (lon.degrees - tr.lon_deg + 180) % 360 - 180
    dlon_m = np.radians(np.abs(dlon)) * r_m * np.cos(np.radians(tr.lat_deg))
    assert dlat_m.max() < one_meter
    assert dlon_m.max() < one_meter
    assert np.abs(h_km - tr.alt_km).max() * 1000 < one_meter


def test_times_on_eop_nodes_and_single_point(sets):
    # Times exactly on the hourly EOP nodes (incl. the last one) and a single time.
    es = sets[0]
    t = times("2022-01-01T02:00Z", hours=3, step_s=3600)
    tr = track(es, t[0], hours=3, step_s=3600, sunlit=False)
    one = track(es, t[-1], hours=1e-9, step_s=1, sunlit=False)
    assert len(one) == 1
    assert np.linalg.norm(one.r_itrs_km[0] - tr.r_itrs_km[-1]) * 1000 < one_meter / 1000


def test_gmst82_matches_skyfield(sets):
    t = times(sets[0].epoch, 240, 3600)
    jd, fr = julian_date_utc(t)
    st = skyfield_times(t)
    ours = gmst82_rad(jd, fr + st.dut1 / 86400)
    ref, _ = theta_GMST1982(st.whole, st.ut1_fraction)
    # 1e-9 rad of Earth rotation = 7 mm at the ISS's radius
    assert np.abs((ours - ref + np.pi) % (2 * np.pi) - np.pi).max() < 1e-9


def test_geodetic_inverse_recovers_forward_wgs84():
    # Forward WGS 84 (Vallado 2013 Eq. 3-7): x = (N+h) cos(phi) cos(lam), ...,
    # z = (N(1-e^2)+h) sin(phi) -- an exact closed form to invert.
    rng = np.random.default_rng(1)
    phi = np.radians(rng.uniform(-89.9, 89.9, 2000))
    lam = np.radians(rng.uniform(-179.9, 179.9, 2000))
    h = rng.uniform(-1.0, 2000.0, 2000)
    n = R_KM / np.sqrt(1 - E2 * np.sin(phi) ** 2)
    xyz = np.stack([(n + h) * np.cos(phi) * np.cos(lam), (n + h) * np.cos(phi) * np.sin(lam),
                    (n * (1 - E2) + h) * np.sin(phi)], axis=1)
    lat, lon, alt = itrs_to_geodetic(xyz)
    # over the poles (p = 0): latitude +-90 deg, height |z| - b
    b_km = R_KM * (1 - FLATTENING)
    plat, _, palt = itrs_to_geodetic(np.array([[0.0, 0.0, b_km + 400.0], [0.0, 0.0, -b_km - 1.0]]))
    assert plat.tolist() == [90.0, -90.0]
    assert np.abs(palt - [400.0, 1.0]).max() * 1000 < one_meter / 1000
    assert np.abs(np.radians(lat) - phi).max() * R_KM * 1000 < one_meter / 1000
    assert np.abs(np.radians(lon) - lam).max() * R_KM * 1000 < one_meter / 1000
    assert np.abs(alt - h).max() * 1000 < one_meter / 1000


def _ascending_nodes_s(tr):
    lat = tr.lat_deg
    s = tr.time_utc.astype(np.int64) / 1e6
    i = np.flatnonzero((lat[:-1] < 0) & (lat[1:] >= 0))
    return s[i] - lat[i] / (lat[i + 1] - lat[i]) * (s[i + 1] - s[i])


def test_orbital_period_against_kepler_and_j2_theory(sets):
    es = sets[100]
    tr = track(es, es.epoch, hours=24, step_s=5, sunlit=False)
    nodal_s = np.diff(_ascending_nodes_s(tr)).mean()
    # Kepler: T = 2 pi sqrt(a^3/mu), a from the TLE mean motion (WGS 72 GM).
    sat = es.satrec
    a_km = (sat.mu / (sat.no_kozai / 60) ** 2) ** (1 / 3)
    kepler_s = 2 * np.pi * math.sqrt(a_km ** 3 / sat.mu)
    # J2 shortens the nodal period of the ISS by ~4 s (~0.07 %): tolerance 0.1 %.
    assert nodal_s == pytest.approx(kepler_s, rel=1e-3)
    # First-order J2 secular rates (Vallado 2013 Eq. 9-41) with the Brouwer
    # mean motion SGP4 uses: T_nodal = 2 pi / (dM/dt + domega/dt).
    n = sat.no / 60
    p = (sat.mu / n ** 2) ** (1 / 3) * (1 - sat.ecco ** 2)
    k = 0.75 * n * sat.j2 * (sat.radiusearthkm / p) ** 2
    ci = math.cos(sat.inclo)
    rate = n + k * math.sqrt(1 - sat.ecco ** 2) * (3 * ci ** 2 - 1) + k * (5 * ci ** 2 - 1)
    # Drag and short-period terms not in the first-order theory: 2 s.
    assert abs(nodal_s - 2 * np.pi / rate) < 2 * one_second


def test_max_latitude_is_geodetic_not_geocentric(sets):
    es = sets[100]
    tr = track(es, es.epoch, hours=24, step_s=10, sunlit=False)
    i = math.radians(es.inclination_deg)
    # At the turning point the geocentric latitude equals i. With
    # z = (N(1-e^2)+h) sin(phi), p = (N+h) cos(phi) (Vallado Eq. 3-7):
    # tan(phi) = tan(i) * (N+h) / (N(1-e^2)+h).
    def turning_point_lat_deg(h):
        phi = i
        for _ in range(5):
            n = R_KM / math.sqrt(1 - E2 * math.sin(phi) ** 2)
            phi = math.atan(math.tan(i) * (n + h) / (n * (1 - E2) + h))
        return math.degrees(phi)                  # ~51.80 deg for i = 51.64 deg

    north = turning_point_lat_deg(tr.alt_km[np.argmax(tr.lat_deg)])
    south = turning_point_lat_deg(tr.alt_km[np.argmin(tr.lat_deg)])
    assert tr.lat_deg.max() > es.inclination_deg + 0.1        # geodetic, not geocentric
    # SGP4's osculating inclination and 10 s sampling: 0.02 deg (~2 km).
    assert tr.lat_deg.max() == pytest.approx(north, abs=0.02)
    assert tr.lat_deg.min() == pytest.approx(-south, abs=0.02)


def test_decayed_element_set_is_an_input_error(sets, tmp_path):
    es = sets[100]
    l1 = es.line1[:53] + " 50000-2" + es.line1[61:]          # B* = 0.05 /earth radii
    l2 = es.line2[:52] + "16.00000000" + es.line2[63:]       # ~250 km
    text = f"DECAYING\n{l1[:68]}{tle_checksum(l1)}\n{l2[:68]}{tle_checksum(l2)}\n"
    bad = parse_tle(text, "decay.tle")[0]
    with pytest.raises(InputError) as ei:
        track(bad, bad.epoch, hours=24 * 10, step_s=600, sunlit=False)
    e = ei.value
    assert (e.file, e.line, e.field) == ("decay.tle", 2, "elements")
    assert "decayed" in e.message


def test_times_grid_and_bad_input():
    t = times("2022-03-01T00:00Z", hours=1, step_s=60)
    assert len(t) == 61 and t.dtype == np.dtype("datetime64[us]")
    assert (np.diff(t) == np.timedelta64(60, "s")).all()
    assert len(times("2022-03-01T00:00Z", hours=1, step_s=7)) == 3600 // 7 + 1
    with pytest.raises(InputError) as ei:
        times("2022-03-01", hours=-1)
    assert ei.value.field == "hours"
    with pytest.raises(InputError) as ei:
        times("2022-03-01", step_s=0)
    assert ei.value.field == "step"
    with pytest.raises(InputError) as ei:
        times("March 1st")
    assert ei.value.field == "start"


def test_to_json_arrays(sets):
    es = sets[5]
    tr = track(es, "2022-01-02T00:00:00Z", hours=0.5, step_s=300)
    doc = json.loads(to_json(tr.to_json()))
    n = len(tr)
    assert n == 7
    for key in ("time_utc", "lat_deg", "lon_deg", "alt_km", "sunlit"):
        assert len(doc[key]) == n
    assert doc["time_utc"][0] == "2022-01-02T00:00:00Z"
    assert doc["time_utc"][1] == "2022-01-02T00:05:00Z"
    assert all(isinstance(v, bool) for v in doc["sunlit"])
    assert doc["lat_deg"][3] == pytest.approx(tr.lat_deg[3], abs=1e-6)
    assert doc["elements"]["catalog"] == 25544

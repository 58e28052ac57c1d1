"""Zonal gravity J2..J4 against independently written closed forms and its own potential."""

import numpy as np
import pytest

from orbitsim import gravity
from orbitsim.constants import J2, J3, J4, MU_EARTH_M3_S2 as MU, R_EARTH_EQ_M as R
from orbitsim.errors import InputError

# Accelerations in LEO: central ~9 m/s^2, J2 ~1e-2, J3 ~2e-5, J4 ~1e-5 m/s^2.
one_nano_g = 9.80665e-9    # m/s^2


@pytest.fixture(scope="module")
def positions():
    rng = np.random.default_rng(1)
    u = rng.normal(size=(500, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    radius = rng.uniform(R + 80e3, R + 2000e3, size=500)
    pts = u * radius[:, None]
    # include the poles and the equator exactly
    return np.vstack([pts, [[0, 0, R + 400e3], [0, 0, -(R + 400e3)], [R + 400e3, 0, 0]]])


def _cartesian_zonals(r):
    """Explicit Cartesian forms, written term by term: J2 as Vallado 2013 Eq. 8-30; J3 and
    J4 in their commonly tabulated Cartesian form (differentiating mu J_n R^n P_n(z/r)/r^(n+1)
    by hand), independent of orbitsim's single Legendre-gradient formula."""
    x, y, z = r.T
    rn = np.linalg.norm(r, axis=1)
    zr2 = (z / rn) ** 2
    a2 = -1.5 * J2 * MU * R**2 / (rn**5)[:, None] * np.stack(
        [x * (1 - 5 * zr2), y * (1 - 5 * zr2), z * (3 - 5 * zr2)], axis=1)
    a3 = -2.5 * J3 * MU * R**3 / (rn**7)[:, None] * np.stack(
        [x * (3 * z - 7 * z**3 / rn**2), y * (3 * z - 7 * z**3 / rn**2),
         6 * z**2 - 7 * z**4 / rn**2 - 0.6 * rn**2], axis=1)
    a4 = 15.0 / 8.0 * J4 * MU * R**4 / (rn**7)[:, None] * np.stack(
        [x * (1 - 14 * zr2 + 21 * zr2**2), y * (1 - 14 * zr2 + 21 * zr2**2),
         z * (5 - 70.0 / 3.0 * zr2 + 21 * zr2**2)], axis=1)
    return a2, a3, a4


def test_each_zonal_term_matches_the_textbook_cartesian_form(positions):
    a2, a3, a4 = _cartesian_zonals(positions)
    got2 = gravity.zonal_acceleration(positions, 2)
    got3 = gravity.zonal_acceleration(positions, 3) - got2
    got4 = gravity.zonal_acceleration(positions, 4) - got2 - got3
    assert np.max(np.abs(got2 - a2)) < 1e-6 * one_nano_g
    assert np.max(np.abs(got3 - a3)) < 1e-6 * one_nano_g
    assert np.max(np.abs(got4 - a4)) < 1e-6 * one_nano_g


def test_acceleration_is_the_gradient_of_the_potential(positions):
    h = 1.0  # m, central differences: truncation ~ h^2 U''' ~ 1e-13 m/s^2
    grad = np.empty_like(positions)
    for k in range(3):
        dx = np.zeros(3)
        dx[k] = h
        up, down = gravity.potential(positions + dx), gravity.potential(positions - dx)
        grad[:, k] = (up - down) / (2 * h)
    acc = gravity.acceleration(positions)
    # potential ~6e7 J/kg with ~1e-8 rounding over 2 m -> ~1e-8 m/s^2 noise
    assert np.max(np.abs(grad - acc)) < 10 * one_nano_g


def test_central_term_and_two_body_energy():
    r = np.array([[7000e3, 0, 0], [0, 7000e3, 0]])
    a = gravity.acceleration(r, degree=0)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), MU / 7000e3**2, rtol=1e-15)
    v = np.array([[0, np.sqrt(MU / 7000e3), 0]] * 2)
    np.testing.assert_allclose(gravity.specific_energy(r, v, degree=0), -MU / (2 * 7000e3),
                               rtol=1e-15)


def test_j2_flattening_pulls_equator_harder_than_pole():
    # Vallado 2013 Eq. 8-30: on the equator J2 adds +3/2 J2 (R/r)^2 of the central pull,
    # at the pole it removes 3 J2 (R/r)^2.
    r = R + 400e3
    g0 = MU / r**2
    eq = gravity.acceleration(np.array([r, 0, 0]), degree=2)
    pole = gravity.acceleration(np.array([0, 0, r]), degree=2)
    assert eq[0] == pytest.approx(-g0 * (1 + 1.5 * J2 * (R / r) ** 2), rel=1e-14)
    assert pole[2] == pytest.approx(-g0 * (1 - 3 * J2 * (R / r) ** 2), rel=1e-14)


def test_bad_input_raises_input_error():
    with pytest.raises(InputError, match="degree"):
        gravity.acceleration(np.zeros((2, 3)) + 7e6, degree=5)
    with pytest.raises(InputError, match="shape"):
        gravity.acceleration(np.ones((3, 2)))

"""Earth gravity: central term plus the zonal harmonics J2, J3, J4.

The zonal geopotential (Vallado 2013, *Fundamentals of Astrodynamics and
Applications*, 4th ed., §8.6.1, Eq. 8-19; Montenbruck & Gill 2000,
*Satellite Orbits*, §3.2) is, per unit mass,

    U(r) = mu/r * [1 - sum_n J_n (R/r)^n P_n(sin phi)],    sin phi = z/r,

with P_n the Legendre polynomials, R the equatorial radius and the z axis the
Earth's rotation axis. Its gradient, written once for every degree n, is

    a_n = mu J_n R^n / r^(n+2) * [((n+1) P_n(s) + s P_n'(s)) r_hat - P_n'(s) z_hat]

which for n = 2 reduces to the familiar Vallado Eq. 8-30 form
``-3/2 J2 mu R^2 / r^5 * [x(1-5s^2), y(1-5s^2), z(3-5s^2)]`` (checked in
``tests/test_gravity.py``). Constants (WGS 84 GM and radius, EGM96 J2..J4)
come from :mod:`orbitsim.constants`.

The field is axially symmetric and time independent, so in a frame whose z
axis is the rotation axis (TEME / true of date, quasi-inertial) the specific
energy ``v^2/2 + potential_energy(r)`` is a constant of motion: the basis of
the Cowell energy-conservation test.

Everything is vectorised over positions of shape ``(..., 3)`` in metres;
accelerations come back in m/s^2, potentials in J/kg (m^2/s^2).

>>> import numpy as np
>>> a = acceleration(np.array([7000e3, 0.0, 0.0]))
>>> bool(abs(a[0] + MU_EARTH_M3_S2 / 7000e3**2) < 0.02)   # central term dominates, m/s^2
True
>>> float(a[1]), float(a[2])      # on the equator the zonal pull is radial (J3 adds a small z)
(0.0, ...)
"""

from __future__ import annotations

import numpy as np

from .constants import J2, J3, J4, MU_EARTH_M3_S2, R_EARTH_EQ_M
from .errors import InputError

#: Zonal coefficients J_n (unnormalised, EGM96 via Vallado Table D-1), index n.
ZONALS = {2: J2, 3: J3, 4: J4}


def _legendre(n: int, s):
    """Legendre polynomial P_n(s) and its derivative P_n'(s), n = 2..4."""
    if n == 2:
        return 0.5 * (3.0 * s**2 - 1.0), 3.0 * s
    if n == 3:
        return 0.5 * (5.0 * s**3 - 3.0 * s), 0.5 * (15.0 * s**2 - 3.0)
    if n == 4:
        return (35.0 * s**4 - 30.0 * s**2 + 3.0) / 8.0, (140.0 * s**3 - 60.0 * s) / 8.0
    raise InputError(f"zonal degree {n} not supported (2..4)", field="degree")


def _check_degree(degree: int) -> int:
    if degree not in (0, 2, 3, 4):
        raise InputError(f"gravity degree must be 0 (two-body), 2, 3 or 4, not {degree!r}",
                         field="degree")
    return degree


def _positions(r_m) -> np.ndarray:
    r = np.asarray(r_m, dtype=np.float64)
    if r.shape[-1:] != (3,):
        raise InputError(f"positions must have shape (..., 3), got {r.shape}", field="r_m")
    return r


def zonal_acceleration(r_m, degree: int = 4, *, mu_m3_s2: float = MU_EARTH_M3_S2,
                       radius_m: float = R_EARTH_EQ_M) -> np.ndarray:
    """Acceleration (m/s^2) of the zonal harmonics J2..J``degree`` only, no central term.

    ``r_m``: positions (..., 3) in metres in a frame whose z axis is the
    rotation axis (TEME, true of date, or Earth-fixed). ``degree`` 0 returns
    zeros (two-body), 2 gives J2 only, 3 gives J2+J3, 4 gives J2+J3+J4.
    """
    degree = _check_degree(degree)
    r = _positions(r_m)
    rn = np.sqrt(np.sum(r * r, axis=-1))
    out = np.zeros_like(r)
    if degree == 0:
        return out
    s = r[..., 2] / rn
    rhat = r / rn[..., None]
    for n in range(2, degree + 1):
        p, dp = _legendre(n, s)
        k = mu_m3_s2 * ZONALS[n] * radius_m**n / rn ** (n + 2)
        out += (k * ((n + 1) * p + s * dp))[..., None] * rhat
        out[..., 2] -= k * dp
    return out


def acceleration(r_m, degree: int = 4, *, mu_m3_s2: float = MU_EARTH_M3_S2,
                 radius_m: float = R_EARTH_EQ_M) -> np.ndarray:
    """Total gravitational acceleration (m/s^2): central ``-mu r / |r|^3`` plus J2..J``degree``.

    ``r_m``: positions (..., 3) in metres. See :func:`zonal_acceleration`.
    """
    r = _positions(r_m)
    rn = np.sqrt(np.sum(r * r, axis=-1))
    return -mu_m3_s2 * r / rn[..., None] ** 3 + zonal_acceleration(
        r, degree, mu_m3_s2=mu_m3_s2, radius_m=radius_m)


def potential(r_m, degree: int = 4, *, mu_m3_s2: float = MU_EARTH_M3_S2,
              radius_m: float = R_EARTH_EQ_M) -> np.ndarray:
    """Gravitational potential U (J/kg, positive, ``acceleration = grad U``).

    ``U = mu/r [1 - sum_{n=2}^{degree} J_n (R/r)^n P_n(z/r)]`` (Vallado 2013 Eq. 8-19).
    """
    degree = _check_degree(degree)
    r = _positions(r_m)
    rn = np.sqrt(np.sum(r * r, axis=-1))
    s = r[..., 2] / rn
    total = np.ones_like(rn)
    for n in range(2, degree + 1):
        total -= ZONALS[n] * (radius_m / rn) ** n * _legendre(n, s)[0]
    return mu_m3_s2 / rn * total


def potential_energy(r_m, degree: int = 4, **kw) -> np.ndarray:
    """Specific potential energy ``-U`` (J/kg): ``v^2/2 + potential_energy`` is conserved."""
    return -potential(r_m, degree, **kw)


def specific_energy(r_m, v_m_s, degree: int = 4, **kw) -> np.ndarray:
    """Specific mechanical energy ``v^2/2 - U(r)`` (J/kg) in a non-rotating frame.

    >>> import numpy as np
    >>> r = np.array([7000e3, 0, 0]); v = np.array([0, 7546.05, 0])
    >>> round(float(specific_energy(r, v, degree=0)) / 1e6, 3)   # -mu/(2a), MJ/kg
    -28.471
    """
    v = np.asarray(v_m_s, dtype=np.float64)
    return 0.5 * np.sum(v * v, axis=-1) + potential_energy(r_m, degree, **kw)

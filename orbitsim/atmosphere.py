"""Thermospheric mass density: NRLMSISE-00 (default), NRLMSIS 2.1, exponential.

Common interface (every model)::

    density(time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> kg/m^3

Inputs broadcast against each other (numpy rules); ``time_utc`` is a
``datetime64`` array (UTC) or an aware datetime; latitudes and longitudes are
**geodetic degrees** (WGS84), altitude is geodetic height in km. The result is an
array of the broadcast shape.

* :class:`NRLMSISE00` -- Picone, Hedin, Drob & Aikin (2002), "NRLMSISE-00
  empirical model of the atmosphere", JGR 107(A12), 1468, via ``pymsis``
  (``version=0``). ECSS-E-ST-10-04C §7.2.1.1 names NRLMSISE-00 for the neutral
  atmosphere. ``pymsis`` defaults to MSIS 2.1 and *downloads* indices when none
  are passed; we always pass ``version=0`` and all indices (F10.7 observed of the
  previous day, its 81-day centred mean, the 7-element ap history) from
  :mod:`orbitsim.spaceweather`. When the space weather has real 3-hourly ap the
  model runs in storm-time ap mode (switch 9 = -1), otherwise daily-Ap mode.
* :class:`NRLMSIS21` -- Emmert et al. (2022), NRLMSIS 2.1; an option only (see
  its licence note).
* :class:`Exponential` -- rho = rho0 exp(-(h - h0)/H), for analytic tests
  (King-Hele 1987 lifetime formulas assume it).
* :class:`PiecewiseExponential` -- Vallado (2013), *Fundamentals of
  Astrodynamics and Applications*, 4th ed., Table 8-4 (CIRA-72 based, 0-1000 km).

>>> t = np.datetime64("2022-02-01T12:00")
>>> rho = atmosphere("nrlmsise00", "nominal").density(t, 0.0, 0.0, 400.0)
>>> bool(1e-12 < rho < 1e-11)
True
>>> float(PiecewiseExponential().density(t, 0.0, 0.0, 400.0))
3.725e-12
"""

from __future__ import annotations


import numpy as np

from .errors import InputError
from .timeutil import utc_times
from .spaceweather import SpaceWeather
from .spaceweather import space_weather as _space_weather

# pymsis output column of total mass density (kg/m^3)
_MASS_DENSITY = 0


def _broadcast(time_utc, lat_deg, lon_deg, alt_km, f107_scale):
    """Validate and broadcast the density inputs. Returns (t, lat, lon, alt, scale)
    with a common shape; ``scale`` is None when f107_scale is the scalar 1
    (the common case, kept cheap: the checks are a handful of numpy reductions)."""
    t = utc_times(time_utc)
    lat = np.asarray(lat_deg, dtype=float)
    lon = np.asarray(lon_deg, dtype=float)
    alt = np.asarray(alt_km, dtype=float)
    scale = None if (np.ndim(f107_scale) == 0 and f107_scale == 1.0) else \
        np.asarray(f107_scale, dtype=float)
    arrays = (t, lat, lon, alt) if scale is None else (t, lat, lon, alt, scale)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        raise InputError(f"density inputs do not broadcast: {exc}", field="density") from None
    # one sum, one reduction for the finiteness of everything; name the culprit on failure
    total = lat + lon + alt if scale is None else lat + lon + alt + scale
    if not np.isfinite(total).all():
        for name, v in (("lat_deg", lat), ("lon_deg", lon), ("alt_km", alt),
                        ("f107_scale", scale)):
            if v is not None and not np.all(np.isfinite(v)):
                raise InputError(f"{name} has non-finite values", field=name)
    if lat.size and np.abs(lat).max() > 90.0:
        raise InputError("latitude outside [-90, 90] degrees", field="lat_deg")
    if scale is not None and scale.size and scale.min() <= 0:
        raise InputError("f107_scale must be positive", field="f107_scale")
    out = tuple(a if a.shape == shape else np.broadcast_to(a, shape) for a in arrays)
    return out if scale is not None else out + (None,)


class Atmosphere:
    """Base class: a density model with the common interface."""

    name = "atmosphere"
    space_weather: SpaceWeather | None = None

    def density(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover


class NRLMSISE00(Atmosphere):
    """NRLMSISE-00 (Picone et al. 2002) through ``pymsis`` with ``version=0``.

    Parameters
    ----------
    space_weather : SpaceWeather or anything :func:`orbitsim.spaceweather.space_weather`
        accepts ("observed", "low", "nominal", "high", constants).
    storm_time : bool or None
        Use the 3-hourly ap history (NRLMSISE-00 switch 9 = -1). Default: True
        when the space weather has real 3-hourly ap (the observed record).
    """

    name = "nrlmsise00"
    version = 0

    def __init__(self, space_weather="observed", *, storm_time: bool | None = None):
        self.space_weather = _space_weather(space_weather)
        self.storm_time = self.space_weather.storm_time if storm_time is None else bool(storm_time)
        from pymsis.msis import create_options

        # all switches on (1), switch 9 = -1: storm-time ap mode (Picone et al. 2002)
        self._options = create_options(geomagnetic_activity=-1 if self.storm_time else 1)

    def __repr__(self):
        return f"{type(self).__name__}({self.space_weather!r}, storm_time={self.storm_time})"

    def calculate(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> np.ndarray:
        """Full pymsis output, shape ``broadcast + (11,)``: mass density (kg/m^3),
        N2, O2, O, He, H, Ar, N, anomalous O, NO number densities (m^-3),
        temperature (K)."""
        import pymsis

        t, lat, lon, alt, scale = _broadcast(time_utc, lat_deg, lon_deg, alt_km, f107_scale)
        shape = t.shape
        t, lat, lon, alt = (a.ravel() for a in (t, lat, lon, alt))
        if t.size == 0:
            return np.zeros(shape + (11,))
        ix = self.space_weather.at(t, f107_scale=1.0 if scale is None else scale.ravel())
        out = pymsis.calculate(t, lon, lat, alt, ix.f107_prev_day_obs, ix.f107a_81d_obs,
                               ix.ap_3h, version=self.version, options=self._options)
        return np.asarray(out, dtype=float).reshape(shape + (11,))

    def density(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> np.ndarray:
        """Total mass density (kg/m^3) at geodetic lat/lon (deg) and altitude (km)."""
        return self.calculate(time_utc, lat_deg, lon_deg, alt_km,
                              f107_scale=f107_scale)[..., _MASS_DENSITY]


class NRLMSIS21(NRLMSISE00):
    """NRLMSIS 2.1 (Emmert et al. 2022, Earth Space Sci.), an **option only**.

    Licence: the NRLMSIS 2.x code of the U.S. Naval Research Laboratory (compiled
    into the ``pymsis`` wheel) is for academic, research and other
    **non-commercial use only**: "the MSIS2 code is not available for commercial
    use without contacting NRL" (pymsis README; its MSIS2_LICENSE file). orbitsim
    therefore never makes it the default. Same inputs and
    interface as :class:`NRLMSISE00`.
    """

    name = "nrlmsis21"
    version = 2.1


class Exponential(Atmosphere):
    """Single exponential rho = rho0 exp(-(h - h0)/H): analytic tests only.

    rho0_kg_m3 : density at the reference altitude (kg/m^3)
    h0_km      : reference altitude (km)
    scale_height_km : H (km)

    No solar-activity dependence: ``f107_scale`` must be 1 (anything else raises,
    rather than being silently ignored).

    >>> Exponential(3.725e-12, 400.0, 58.515).density(np.datetime64("2022-01-01"), 0, 0, 400.0)
    array(3.725e-12)
    """

    name = "exponential"

    def __init__(self, rho0_kg_m3: float, h0_km: float, scale_height_km: float):
        if not (rho0_kg_m3 > 0 and scale_height_km > 0 and np.isfinite(h0_km)):
            raise InputError("exponential atmosphere needs rho0 > 0 and scale height > 0",
                             field="atmosphere")
        self.rho0_kg_m3 = float(rho0_kg_m3)
        self.h0_km = float(h0_km)
        self.scale_height_km = float(scale_height_km)

    def __repr__(self):
        return (f"Exponential(rho0_kg_m3={self.rho0_kg_m3:g}, h0_km={self.h0_km:g}, "
                f"scale_height_km={self.scale_height_km:g})")

    def density(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> np.ndarray:
        t, lat, lon, alt, scale = _broadcast(time_utc, lat_deg, lon_deg, alt_km, f107_scale)
        if scale is not None and np.any(scale != 1.0):
            raise InputError(f"the {self.name} atmosphere has no solar-activity dependence; "
                             "f107_scale must be 1", field="f107_scale")
        return np.asarray(self.rho0_kg_m3 * np.exp(-(alt - self.h0_km) / self.scale_height_km))


#: Vallado (2013) Table 8-4: base altitude (km), nominal density (kg/m^3),
#: scale height (km).
VALLADO_TABLE_8_4 = np.array([
    (0, 1.225, 7.249), (25, 3.899e-2, 6.349), (30, 1.774e-2, 6.682),
    (40, 3.972e-3, 7.554), (50, 1.057e-3, 8.382), (60, 3.206e-4, 7.714),
    (70, 8.770e-5, 6.549), (80, 1.905e-5, 5.799), (90, 3.396e-6, 5.382),
    (100, 5.297e-7, 5.877), (110, 9.661e-8, 7.263), (120, 2.438e-8, 9.473),
    (130, 8.484e-9, 12.636), (140, 3.845e-9, 16.149), (150, 2.070e-9, 22.523),
    (180, 5.464e-10, 29.740), (200, 2.789e-10, 37.105), (250, 7.248e-11, 45.546),
    (300, 2.418e-11, 53.628), (350, 9.518e-12, 53.298), (400, 3.725e-12, 58.515),
    (450, 1.585e-12, 60.828), (500, 6.967e-13, 63.822), (600, 1.454e-13, 71.835),
    (700, 3.614e-14, 88.667), (800, 1.170e-14, 124.64), (900, 5.245e-15, 181.05),
    (1000, 3.019e-15, 268.00),
])


class PiecewiseExponential(Exponential):
    """Piecewise exponential of Vallado (2013) Table 8-4 (0 km and above; the
    last band extends above 1000 km). Same interface; no solar dependence."""

    name = "exponential"

    def __init__(self, table: np.ndarray = VALLADO_TABLE_8_4):
        table = np.asarray(table, dtype=float)
        if table.ndim != 2 or table.shape[1] != 3 or np.any(np.diff(table[:, 0]) <= 0):
            raise InputError("piecewise exponential table must be rows (h0_km, rho0, H_km) "
                             "with increasing h0", field="atmosphere")
        self.table = table

    def __repr__(self):
        return f"PiecewiseExponential({len(self.table)} bands, Vallado 2013 Table 8-4)"

    def density(self, time_utc, lat_deg, lon_deg, alt_km, *, f107_scale=1.0) -> np.ndarray:
        t, lat, lon, alt, scale = _broadcast(time_utc, lat_deg, lon_deg, alt_km, f107_scale)
        if scale is not None and np.any(scale != 1.0):
            raise InputError("the exponential atmosphere has no solar-activity dependence; "
                             "f107_scale must be 1", field="f107_scale")
        if np.any(alt < 0):
            raise InputError("altitude below 0 km", field="alt_km")
        i = np.clip(np.searchsorted(self.table[:, 0], alt, side="right") - 1, 0, None)
        h0, rho0, H = self.table[i, 0], self.table[i, 1], self.table[i, 2]
        return np.asarray(rho0 * np.exp(-(alt - h0) / H))


def atmosphere(model: str | Atmosphere = "nrlmsise00", solar="observed") -> Atmosphere:
    """Density model by name.

    model : "nrlmsise00" (default), "nrlmsis21" (non-commercial licence, option
            only), "exponential" (Vallado 2013 Table 8-4, ignores ``solar``), or an
            :class:`Atmosphere` instance (returned unchanged).
    solar : see :func:`orbitsim.spaceweather.space_weather`.

    >>> atmosphere("nrlmsise00", "low").version
    0
    """
    if isinstance(model, Atmosphere):
        return model
    key = str(model).strip().lower().replace("-", "").replace("_", "")
    if key in ("nrlmsise00", "msis00", "msise00"):
        return NRLMSISE00(solar)
    if key in ("nrlmsis21", "msis21", "nrlmsis2.1", "msis2.1"):
        return NRLMSIS21(solar)
    if key == "exponential":
        return PiecewiseExponential()
    raise InputError(f"unknown atmosphere model {model!r}: use nrlmsise00, nrlmsis21 or "
                     "exponential", field="atmosphere")

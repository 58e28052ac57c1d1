"""Manoeuvres and configuration changes for the decay engine.

* :class:`Burn` -- impulsive along-track burn (prograde for ``dv_m_s > 0``).
* :class:`DeorbitBurn` -- impulsive retrograde burn of magnitude ``dv_m_s``.
* :class:`ReboostPolicy` -- "reboost back to *target* km whenever the mean
  altitude falls below *trigger* km", as the Progress/Zvezda reboosts of the ISS
  do; each reboost is a Hohmann-like pair of along-track burns (Vallado 2013,
  *Fundamentals of Astrodynamics and Applications*, 4th ed., §6.3.1, Alg. 36),
  whose total for a small raise ``Delta a`` is ``Delta v ~= v Delta a / (2 a)``
  (Gauss's equation ``da/dt = 2 a^2 v f_T / mu`` for a circular orbit).
* :class:`EndReboosts` -- no reboosts after this time.
* :class:`ConfigChange` -- new mass, area and drag coefficient (segment
  separation, undocking): the ballistic coefficient is rescaled by
  ``(Cd A / m)_new / (Cd A / m)_old`` so a fitted value stays calibrated.

Impulsive burns are applied to the mean elements as if they were osculating
(Keplerian state at the current mean anomaly, ``v += dv v_hat``, back to
elements); the J2 short-period terms are not changed by an impulse to first
order.

Propellant from the rocket equation (Tsiolkovsky): ``m_p = m (1 - exp(-dv / (Isp g0)))``.
Default ``Isp`` = :data:`DEFAULT_ISP_S` (300 s): the ISS reboost engines (Zvezda's
two main engines and the Progress thrusters) burn storable N2O4/UDMH
bipropellant, whose pressure-fed engines reach a vacuum Isp of roughly
290-305 s; the figure is a stated assumption, override it per policy or burn.
The station mass is not reduced by the propellant burned (it comes from
Progress tanks that are replaced by resupply).

>>> from orbitsim.timeutil import parse_utc
>>> p = ReboostPolicy(trigger_alt_km=400, target_alt_km=420)
>>> round(float(hohmann_dv_m_s(6778137.0, 6798137.0)), 2)   # 20 km raise at 400 km
11.29
>>> ReboostPolicy(trigger_alt_km=420, target_alt_km=400)
Traceback (most recent call last):
...
orbitsim.errors.InputError: target_alt_km: reboost target 400 km must be above the trigger 420 km
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np

from .constants import G0_M_S2, MU_EARTH_M3_S2, R_EARTH_EQ_M
from .errors import InputError
from .timeutil import iso, parse_utc, to_datetime64

#: Assumed specific impulse of the reboost engines (s); see module docstring.
DEFAULT_ISP_S = 300.0


def _time(value, field: str) -> dt.datetime:
    if value is None:
        raise InputError("a time is required", field=field)
    return parse_utc(value, field=field)


def _opt_time(value, field: str):
    return None if value is None else parse_utc(value, field=field)


def _positive(value, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"must be a number, got {value!r}", field=field) from None
    if not (math.isfinite(v) and v > 0):
        raise InputError(f"must be positive, got {value!r}", field=field)
    return v


@dataclasses.dataclass(frozen=True)
class Burn:
    """Impulsive along-track burn at ``time`` (aware UTC); ``dv_m_s`` (m/s) > 0 prograde."""

    time: dt.datetime
    dv_m_s: float
    isp_s: float = DEFAULT_ISP_S
    label: str = "burn"

    def __post_init__(self):
        object.__setattr__(self, "time", _time(self.time, "time"))
        try:
            dv = float(self.dv_m_s)
        except (TypeError, ValueError):
            raise InputError(f"must be a number, got {self.dv_m_s!r}", field="dv_m_s") from None
        if not math.isfinite(dv) or abs(dv) > 2000.0:
            raise InputError(f"burn dv {self.dv_m_s!r} m/s out of range (|dv| <= 2000)",
                             field="dv_m_s")
        object.__setattr__(self, "dv_m_s", dv)
        object.__setattr__(self, "isp_s", _positive(self.isp_s, "isp_s"))

    @property
    def signed_dv_m_s(self) -> float:
        return self.dv_m_s


@dataclasses.dataclass(frozen=True)
class DeorbitBurn(Burn):
    """Retrograde impulsive burn of magnitude ``dv_m_s`` (m/s, > 0) at ``time``."""

    label: str = "deorbit"

    def __post_init__(self):
        super().__post_init__()
        if self.dv_m_s <= 0:
            raise InputError("deorbit dv is a magnitude and must be positive", field="dv_m_s")

    @property
    def signed_dv_m_s(self) -> float:
        return -self.dv_m_s


@dataclasses.dataclass(frozen=True)
class ReboostPolicy:
    """Reboost to ``target_alt_km`` whenever the mean altitude ``a - R_eq`` falls
    below ``trigger_alt_km``, between ``start`` and ``end`` (aware UTC or None)."""

    trigger_alt_km: float
    target_alt_km: float
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    isp_s: float = DEFAULT_ISP_S

    def __post_init__(self):
        trig = _positive(self.trigger_alt_km, "trigger_alt_km")
        targ = _positive(self.target_alt_km, "target_alt_km")
        if targ <= trig:
            raise InputError(f"reboost target {targ:g} km must be above the trigger {trig:g} km",
                             field="target_alt_km")
        if targ > 2000.0:
            raise InputError(f"reboost target {targ:g} km is not a low Earth orbit",
                             field="target_alt_km")
        object.__setattr__(self, "trigger_alt_km", trig)
        object.__setattr__(self, "target_alt_km", targ)
        object.__setattr__(self, "start", _opt_time(self.start, "start"))
        object.__setattr__(self, "end", _opt_time(self.end, "end"))
        object.__setattr__(self, "isp_s", _positive(self.isp_s, "isp_s"))
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InputError("reboost policy ends before it starts", field="end")

    @classmethod
    def parse(cls, text: str, **kw) -> "ReboostPolicy":
        """``"TRIGGER_KM:TARGET_KM"`` (CLI form), e.g. ``"410:420"``."""
        parts = str(text).split(":")
        if len(parts) != 2:
            raise InputError(f"expected TRIGGER_KM:TARGET_KM, got {text!r}", field="reboost_policy")
        try:
            trig, targ = float(parts[0]), float(parts[1])
        except ValueError:
            raise InputError(f"expected numbers TRIGGER_KM:TARGET_KM, got {text!r}",
                             field="reboost_policy") from None
        return cls(trig, targ, **kw)


@dataclasses.dataclass(frozen=True)
class EndReboosts:
    """No reboost policy applies from ``time`` on."""

    time: dt.datetime

    def __post_init__(self):
        object.__setattr__(self, "time", _time(self.time, "time"))


@dataclasses.dataclass(frozen=True)
class ConfigChange:
    """New configuration from ``time``: ``mass_kg``, ``area_m2`` (drag reference
    area) and drag coefficient ``cd``; ``label`` e.g. "ROS separation"."""

    time: dt.datetime
    mass_kg: float
    area_m2: float
    cd: float
    label: str = "configuration change"

    def __post_init__(self):
        object.__setattr__(self, "time", _time(self.time, "time"))
        object.__setattr__(self, "mass_kg", _positive(self.mass_kg, "mass_kg"))
        object.__setattr__(self, "area_m2", _positive(self.area_m2, "area_m2"))
        object.__setattr__(self, "cd", _positive(self.cd, "cd"))

    @property
    def cda_m_kg(self) -> float:
        return self.cd * self.area_m2 / self.mass_kg


# ------------------------------------------------------------------ mechanics
def hohmann_dv_m_s(a1_m, a2_m, mu=MU_EARTH_M3_S2):
    """Total Delta-v (m/s) of a Hohmann transfer between circular radii a1 -> a2
    (Vallado 2013 Alg. 36); ~= v |a2 - a1| / (2 a) for small changes."""
    a1, a2 = np.asarray(a1_m, float), np.asarray(a2_m, float)
    at = 0.5 * (a1 + a2)
    dv1 = np.abs(np.sqrt(mu / a1) * (np.sqrt(a2 / at) - 1.0))
    dv2 = np.abs(np.sqrt(mu / a2) * (1.0 - np.sqrt(a1 / at)))
    return dv1 + dv2


def propellant_kg(mass_kg, dv_m_s, isp_s):
    """Rocket equation: propellant (kg) for ``dv_m_s`` from initial mass ``mass_kg``."""
    return np.asarray(mass_kg) * (1.0 - np.exp(-np.abs(np.asarray(dv_m_s)) / (isp_s * G0_M_S2)))


def apply_impulse(y: np.ndarray, idx: np.ndarray, dv_m_s: float) -> np.ndarray:
    """Along-track impulse ``dv_m_s`` (m/s, signed) on members ``idx`` of mean-element
    state ``y`` (6, m); returns the new state."""
    from .meanelements import elements_from_state, kepler_E, state_from_elements

    y = y.copy()
    if idx.size == 0:
        return y
    a, e, i, raan, argp, M = y[:, idx]
    E = kepler_E(M, e)
    r, v = state_from_elements(a, e, i, raan, argp, E)
    v = v + dv_m_s * v / np.linalg.norm(v, axis=-1, keepdims=True)
    new = elements_from_state(r, v).to_array()
    if np.any(new[0] <= 0) or np.any(new[1] >= 1):
        raise InputError(f"a burn of {dv_m_s:g} m/s leaves no bound orbit", field="dv_m_s")
    y[:, idx] = new
    return y


# ------------------------------------------------------------------ schedule
class Schedule:
    """Validated, time-ordered events for :func:`orbitsim.meanelements.propagate`.

    ``events``: iterable of :class:`Burn`, :class:`DeorbitBurn`,
    :class:`ReboostPolicy`, :class:`EndReboosts`, :class:`ConfigChange` in time
    order (a policy is ordered by its ``start``). ``start``: the propagation
    start; ``handover_alt_km``: a reboost trigger at or below it could never fire.
    ``mass_kg``, ``cda_m_kg``: the initial configuration (mass for propellant,
    Cd A / m to scale a fitted ballistic coefficient at a configuration change).
    """

    def __init__(self, events=(), *, start, handover_alt_km: float = 200.0,
                 mass_kg: float = 1.0, cda_m_kg: float = 1.0):
        start = parse_utc(start, field="start")
        self.events = list(events or ())
        kinds = (Burn, ReboostPolicy, EndReboosts, ConfigChange)
        last = None
        for k, ev in enumerate(self.events):
            if not isinstance(ev, kinds):
                raise InputError(f"event {k}: unknown event type {type(ev).__name__}",
                                 field=f"events[{k}]")
            when = ev.start if isinstance(ev, ReboostPolicy) else ev.time
            if when is not None:
                if when < start:
                    raise InputError(f"event {k} at {iso(when)} is before the start {iso(start)}",
                                     field=f"events[{k}].time")
                if last is not None and when < last:
                    raise InputError(f"events out of order: event {k} at {iso(when)} is before "
                                     f"the previous one at {iso(last)}", field=f"events[{k}].time")
                last = when
            if isinstance(ev, ReboostPolicy) and ev.trigger_alt_km <= handover_alt_km:
                raise InputError(f"reboost trigger {ev.trigger_alt_km:g} km is at or below the "
                                 f"handover altitude {handover_alt_km:g} km", field="trigger_alt_km")
        self.start = start
        self.mass_kg = float(mass_kg)
        self.cda_m_kg = float(cda_m_kg)
        self.policies = [ev for ev in self.events if isinstance(ev, ReboostPolicy)]
        ends = [ev.time for ev in self.events if isinstance(ev, EndReboosts)]
        self.end_reboosts = min(ends) if ends else None
        self.timed = [ev for ev in self.events if isinstance(ev, (Burn, ConfigChange))]

    @property
    def unbounded_policy(self) -> bool:
        """True when a reboost policy has no end (so no reentry without ``until``)."""
        return any(p.end is None for p in self.policies) and self.end_reboosts is None

    def _s(self, when, t0) -> float:
        return float((to_datetime64(when) - to_datetime64(t0)).astype(np.float64) / 1e6)

    def boundaries_s(self, t0) -> np.ndarray:
        """Sorted times (s from ``t0``) at which steps must end: timed events and the
        limits of reboost policies."""
        out = [self._s(ev.time, t0) for ev in self.timed]
        for p in self.policies:
            out += [self._s(w, t0) for w in (p.start, p.end) if w is not None]
        if self.end_reboosts is not None:
            out.append(self._s(self.end_reboosts, t0))
        return np.unique(np.array(out, dtype=float))

    def policy_arrays(self, t_s: np.ndarray, t0):
        """Per member at times ``t_s`` (s from t0): trigger and target semi-major
        axes (m, NaN where no policy applies) and Isp (s)."""
        t_s = np.asarray(t_s, float)
        trig = np.full(t_s.shape, np.nan)
        targ = np.full(t_s.shape, np.nan)
        isp = np.full(t_s.shape, DEFAULT_ISP_S)
        stop = math.inf if self.end_reboosts is None else self._s(self.end_reboosts, t0)
        for p in self.policies:        # later policies override earlier ones
            lo = -math.inf if p.start is None else self._s(p.start, t0)
            hi = math.inf if p.end is None else self._s(p.end, t0)
            on = (t_s >= lo - 1e-6) & (t_s < min(hi, stop) - 1e-6)
            trig[on] = R_EARTH_EQ_M + p.trigger_alt_km * 1000.0
            targ[on] = R_EARTH_EQ_M + p.target_alt_km * 1000.0
            isp[on] = p.isp_s
        return trig, targ, isp

    def apply_timed(self, t_s: float, t0, y, drag, mass_kg, idx, burns: list):
        """Apply the burns and configuration changes at ``t_s`` to members ``idx``."""
        when = to_datetime64(t0) + np.timedelta64(int(round(t_s * 1e6)), "us")
        for ev in self.timed:
            if abs(self._s(ev.time, t0) - t_s) > 1e-3:
                continue
            if isinstance(ev, ConfigChange):
                old = self.cda_current(idx, mass_kg, drag)
                drag.bc_m2_kg[idx] *= ev.cda_m_kg / old
                mass_kg[idx] = ev.mass_kg
                drag.cda[idx] = ev.cda_m_kg
                burns.append({"time": when, "members": idx.copy(), "kind": "config",
                              "label": ev.label, "dv_m_s": 0.0, "propellant_kg": 0.0,
                              "mass_kg": ev.mass_kg, "area_m2": ev.area_m2, "cd": ev.cd})
            else:
                alt0 = y[0, idx] - R_EARTH_EQ_M
                y = apply_impulse(y, idx, ev.signed_dv_m_s)
                burns.append({"time": when, "members": idx.copy(),
                              "kind": "deorbit" if isinstance(ev, DeorbitBurn) else "burn",
                              "label": ev.label, "dv_m_s": abs(ev.dv_m_s),
                              "alt_before_km": alt0 / 1000.0,
                              "alt_after_km": (y[0, idx] - R_EARTH_EQ_M) / 1000.0,
                              "propellant_kg": propellant_kg(mass_kg[idx], ev.dv_m_s, ev.isp_s)})
        return y

    def cda_current(self, idx, mass_kg, drag):
        return drag.cda[idx]

    def apply_reboost(self, t_s: np.ndarray, t0, y, mass_kg, idx, target_a_m, isp_s, burns: list):
        """Raise members ``idx`` (already at/below their trigger) to ``target_a_m``
        by a Hohmann-like transfer (``e`` unchanged)."""
        y = y.copy()
        a1 = y[0, idx]
        dv = hohmann_dv_m_s(a1, target_a_m)
        y[0, idx] = target_a_m
        for j, k in enumerate(idx):
            when = to_datetime64(t0) + np.timedelta64(int(round(float(t_s[k]) * 1e6)), "us")
            burns.append({"time": when, "members": np.array([k]), "kind": "reboost",
                          "label": "reboost policy", "dv_m_s": float(dv[j]),
                          "alt_before_km": float(a1[j] - R_EARTH_EQ_M) / 1000.0,
                          "alt_after_km": float(target_a_m[j] - R_EARTH_EQ_M) / 1000.0,
                          "propellant_kg": float(propellant_kg(mass_kg[k], dv[j], isp_s[j]))})
        return y

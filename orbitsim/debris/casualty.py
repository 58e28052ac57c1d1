"""Casualty area and casualty expectation (NASA-STD-8719.14 / DAS method).

Each surviving fragment i of cross-section ``A_i`` has the casualty area
``(sqrt(A_h) + sqrt(A_i))^2`` with ``A_h = 0.36 m^2`` the cross-section of a
standing person (NASA-STD-8719.14, §4.7; NASA Debris Assessment Software
user guide). The debris casualty area is the sum over fragments, and the
casualty expectation of a reentry is ``E_c = sum_i D_A,i * rho(x_i)`` with
``rho`` the population density (people/m^2) where fragment i lands. The
requirement is ``E_c < 1:10,000`` (NASA-STD-8719.14 Req. 4.7-1; ISO 24113).
All surviving fragments are counted (the DAS 15 J kinetic-energy cut is not
applied: conservative for the small-fragment class).

ISS defaults (:meth:`Fragments.iss`)
    Mass 419,725 kg (NASA ISS facts and figures). Surviving mass: "10 % to 40 %
    of the mass of a large spacecraft can survive to ground impact" (Klinkrad,
    ESA/ESOC, *Re-entry prediction and on-ground risk assessment*, 6th US/Russian
    Space Surveillance Workshop, 2005); the Aerospace Corporation's rule of thumb
    is 20-40 % of dry mass. Default 25 %, Monte-Carlo range 10-40 %. The split
    of that mass into three fragment classes (large structure, equipment, small
    parts, with representative mass and cross-section) is an *assumption* of this
    module, sized so that the equipment class matches the mean surviving fragment
    of UARS (26 objects, 532 kg: NASA UARS status, Sept. 2011; NASA's casualty
    risk for that reentry was 1 in 3,200). Replace it with a real fragment list
    when one is available. Consistency check: with the bundled population grid a
    57-deg uncontrolled reentry gives E_c = 1.5e-5 per m^2 of casualty area, so
    NASA's 1:3,200 for UARS corresponds to D_A ~ 21 m^2 (0.8 m^2 per object).

>>> round(float(casualty_area_m2(1.0)), 4)     # (0.6 + 1)^2
2.56
>>> f = Fragments(("plate",), (10,), (20.0,), (0.25,))
>>> round(f.casualty_area_m2, 2)         # 10 * (0.6 + 0.5)^2
12.1
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError

#: Cross-section of a standing person, m^2 (NASA-STD-8719.14).
HUMAN_AREA_M2 = 0.36
#: Casualty-expectation requirement for a reentry (NASA-STD-8719.14 Req. 4.7-1).
CASUALTY_THRESHOLD = 1.0e-4
#: ISS mass, kg (NASA, ISS facts and figures, 2022).
ISS_MASS_KG = 419725.0
ISS_SURVIVING_FRACTION = 0.25
ISS_SURVIVING_FRACTION_RANGE = (0.10, 0.40)
#: Largest fragment cross-section we accept, m^2 (a whole ISS module side is ~60 m^2).
MAX_FRAGMENT_AREA_M2 = 200.0

# (label, share of surviving mass, mass per fragment kg, cross-section m^2): assumption.
_ISS_CLASSES = (
    ("large structure (truss segments, module end cones, docking mechanisms)", 0.20, 2000.0, 10.0),
    ("equipment (CMGs, tanks, pumps, batteries, racks)", 0.50, 50.0, 0.5),
    ("small parts (fittings, valves, brackets, fasteners)", 0.30, 5.0, 0.05),
)


def casualty_area_m2(area_m2):
    """Casualty area of one fragment, m^2: (sqrt(0.36) + sqrt(A))^2 (NASA-STD-8719.14)."""
    a = np.asarray(area_m2, dtype=float)
    return (math.sqrt(HUMAN_AREA_M2) + np.sqrt(a)) ** 2


@dataclass(frozen=True)
class Fragments:
    """Surviving fragment classes: label, count, mass per fragment (kg), cross-section (m^2).

    ``total_mass_kg`` (optional) is the spacecraft's mass before reentry, needed only to
    vary the surviving fraction in the Monte Carlo.
    """

    labels: tuple
    count: tuple
    mass_kg: tuple
    area_m2: tuple
    total_mass_kg: float | None = None

    def __post_init__(self):
        n = len(self.labels)
        if not (len(self.count) == len(self.mass_kg) == len(self.area_m2) == n) or n == 0:
            raise InputError("fragment list: labels, count, mass_kg, area_m2 must have the "
                             "same, non-zero length", field="fragments")
        for k in range(n):
            c, m, a = float(self.count[k]), float(self.mass_kg[k]), float(self.area_m2[k])
            where = f"fragments[{k}]"
            if not (math.isfinite(c) and c >= 0):
                raise InputError(f"count {c} must be >= 0", field=f"{where}.count")
            if not (math.isfinite(m) and m > 0):
                raise InputError(f"mass {m} kg must be > 0", field=f"{where}.mass_kg")
            if not (math.isfinite(a) and 0 < a <= MAX_FRAGMENT_AREA_M2):
                raise InputError(f"area {a} m^2 outside (0, {MAX_FRAGMENT_AREA_M2:g}] m^2",
                                 field=f"{where}.area_m2")
        if sum(float(c) for c in self.count) <= 0:
            raise InputError("no surviving fragments", field="fragments")
        if self.total_mass_kg is not None and not (self.total_mass_kg >= self.surviving_mass_kg):
            raise InputError(f"surviving mass {self.surviving_mass_kg:.0f} kg exceeds the "
                             f"spacecraft mass {self.total_mass_kg} kg", field="fragments")

    @property
    def surviving_mass_kg(self) -> float:
        return float(np.dot(np.asarray(self.count, float), np.asarray(self.mass_kg, float)))

    @property
    def surviving_fraction(self) -> float | None:
        return None if self.total_mass_kg is None else self.surviving_mass_kg / self.total_mass_kg

    @property
    def casualty_area_m2(self) -> float:
        """Debris casualty area D_A = sum n_i (sqrt(A_h) + sqrt(A_i))^2, m^2."""
        return float(np.dot(np.asarray(self.count, float), casualty_area_m2(self.area_m2)))

    def scaled(self, factor: float) -> "Fragments":
        """Same classes with every count multiplied by *factor*."""
        return Fragments(self.labels, tuple(float(c) * factor for c in self.count),
                         self.mass_kg, self.area_m2, self.total_mass_kg)

    @classmethod
    def iss(cls, surviving_fraction: float = ISS_SURVIVING_FRACTION,
            mass_kg: float = ISS_MASS_KG) -> "Fragments":
        """ISS default fragment classes (see module docstring: the split is an assumption)."""
        check_fraction(surviving_fraction, "surviving_fraction")
        if not (math.isfinite(mass_kg) and mass_kg > 0):
            raise InputError(f"mass {mass_kg} kg must be > 0", field="mass_kg")
        m = surviving_fraction * mass_kg
        return cls(tuple(c[0] for c in _ISS_CLASSES),
                   tuple(m * c[1] / c[2] for c in _ISS_CLASSES),
                   tuple(c[2] for c in _ISS_CLASSES), tuple(c[3] for c in _ISS_CLASSES),
                   total_mass_kg=mass_kg)

    def to_json(self) -> dict:
        return {"classes": [{"label": l, "count": float(c), "mass_kg": float(m), "area_m2": float(a),
                             "casualty_area_m2": float(c) * float(casualty_area_m2(a))}
                            for l, c, m, a in zip(self.labels, self.count, self.mass_kg, self.area_m2)],
                "surviving_mass_kg": self.surviving_mass_kg,
                "total_mass_kg": self.total_mass_kg,
                "casualty_area_m2": self.casualty_area_m2}


def check_fraction(value: float, field: str) -> float:
    """A surviving-mass fraction must lie in (0, 1]."""
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0.0 < value <= 1.0):
        raise InputError(f"fraction {value} outside (0, 1]", field=field)
    return float(value)


def check_fraction_range(rng, field: str = "surviving_fraction_range"):
    """(lo, hi) with 0 < lo <= hi <= 1, or None."""
    if rng is None:
        return None
    try:
        lo, hi = (float(x) for x in rng)
    except (TypeError, ValueError):
        raise InputError(f"expected (low, high), got {rng!r}", field=field) from None
    check_fraction(lo, field)
    check_fraction(hi, field)
    if lo > hi:
        raise InputError(f"low {lo} > high {hi}", field=field)
    return lo, hi

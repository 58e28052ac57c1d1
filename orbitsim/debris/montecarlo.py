"""Monte Carlo over reentry epoch, ballistic coefficient, solar activity and footprint.

One member is one reentry event:

* **Reentry epoch.** Either bootstrapped from given epochs (a decay ensemble)
  or from the remaining lifetime ``L`` of a nominal prediction, scaled as
  ``L / (f_B f_rho)``: lifetime is inversely proportional to the ballistic
  coefficient and to the density when the density profile is scaled (the
  decay rate da/dt = -B rho sqrt(mu a); King-Hele, *Satellite Orbits in an
  Atmosphere*, 1987, ch. 4). ``f_B`` and ``f_rho`` are log-normal with
  ``sigma_bc_rel`` and ``sigma_solar_rel``. Defaults: 10 % for B (the scatter
  of fitted ISS values, as :mod:`orbitsim.reentry` assumes; a DecayResult's own
  fitted sigma is used when it has one) and 15 % for the density (the ~15 %
  1-sigma uncertainty of NRLMSISE-00, Picone et al. 2002; Vallado & Finkleman
  2014, Acta Astronautica 95), 18 % combined -- close to the customary +-20 %
  of the remaining lifetime (ISO 27852 practice) and wider than the Aerospace
  Corporation's ~10 % rule of thumb for short-term predictions (CORDS). An
  extra Gaussian ``sigma_s`` (s) is added to every epoch.
* **Orbit phase.** The satellite's along-track position at a given time is as
  uncertain as the reentry time (members with the same reentry epoch had
  different drag histories), so each member's argument of latitude gets an
  independent Gaussian shift ``n * dt`` with ``dt`` of the spread of the
  epoch distribution (lifetime or ensemble part, not ``sigma_s``). Without it
  a fixed-period final orbit would put all members on one near-repeating set
  of ground tracks; with a spread much shorter than an orbit it vanishes.
* **Footprint.** Length and width scaled by U(scale_min, 1); debris spread
  uniformly over it, represented by ``points`` impact points per member, each
  carrying 1/points of the debris (casualty area).
* **Surviving mass.** Fraction uniform in a range (casualty area scales with it).

Reproducibility: members are simulated in fixed blocks of :data:`BLOCK`; block
``b`` draws from ``default_rng(SeedSequence(seed, spawn_key=(b,)))`` (the
``b``-th child of ``SeedSequence(seed).spawn``) and always draws a full block,
so member i does not depend on the total number of members, on how blocks are
grouped into tasks, on the number of workers, or on Dask versus local
execution; partial results are combined in block order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..timeutil import to_datetime64
from .footprint import J2000_UTC, Footprint, FinalOrbit, ground_points
from .population import grid

#: Members per random-number block (the unit of reproducibility).
BLOCK = 250
#: Default relative 1-sigma of the ballistic coefficient and of the density (see above).
SIGMA_BC_REL = 0.10
SIGMA_DENSITY_REL = 0.15
#: Seconds to wait for a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT_S = 5.0


def _iso(t) -> str:
    return str(np.datetime_as_string(to_datetime64(t), unit="s")) + "Z"


def _s_since_j2000(t) -> float:
    return float((to_datetime64(t) - J2000_UTC).astype(np.float64) / 1e6)


@dataclass(frozen=True)
class ReentryTimes:
    """Distribution of the reentry epoch (see module docstring).

    ``nominal``/``predicted_at``: aware datetimes or datetime64 (UTC) of the nominal
    reentry and of the prediction (e.g. the start of the decay run); ``samples``:
    explicit epochs to bootstrap from instead (e.g. ``ensemble()`` members).
    """

    nominal: object = None
    predicted_at: object = None
    sigma_bc_rel: float = SIGMA_BC_REL
    sigma_solar_rel: float = SIGMA_DENSITY_REL
    sigma_s: float = 0.0
    samples: tuple | None = None

    def __post_init__(self):
        for name in ("sigma_bc_rel", "sigma_solar_rel", "sigma_s"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"{v} must be a finite number >= 0", field=name)
        if self.sigma_bc_rel > 2 or self.sigma_solar_rel > 2:
            raise InputError("relative sigmas above 2 (200 %) are not physical", field="sigma_rel")
        if self.samples is None:
            if self.nominal is None or self.predicted_at is None:
                raise InputError("a reentry window needs nominal and predicted_at (or samples)",
                                 field="reentry")
            if to_datetime64(self.nominal) < to_datetime64(self.predicted_at):
                raise InputError("nominal reentry is before the prediction epoch", field="reentry")
        elif len(self.samples) == 0:
            raise InputError("no reentry epochs to sample from", field="reentry")

    @classmethod
    def fixed(cls, epoch, sigma_s: float = 60.0) -> "ReentryTimes":
        """A known reentry epoch with Gaussian timing error *sigma_s* (controlled deorbit)."""
        return cls(epoch, epoch, 0.0, 0.0, sigma_s)

    @classmethod
    def from_samples(cls, epochs, sigma_s: float = 0.0) -> "ReentryTimes":
        """Bootstrap from given epochs (e.g. ``ensemble().reentry_epochs``); NaT is refused."""
        arr = np.asarray([to_datetime64(e) if not isinstance(e, np.datetime64) else e
                          for e in np.atleast_1d(epochs)], dtype="datetime64[us]")
        bad = int(np.isnat(arr).sum())
        if bad:
            raise InputError(f"{bad} of {arr.size} ensemble members did not reenter (NaT); "
                             "extend the ensemble's 'until'", field="reentry")
        return cls(samples=tuple(arr), sigma_s=sigma_s)

    @classmethod
    def uniform(cls, start, end, n: int = 4096) -> "ReentryTimes":
        """Epochs evenly spread over [start, end] (a flat window)."""
        a, b = _s_since_j2000(start), _s_since_j2000(end)
        if b <= a:
            raise InputError("window end is not after its start", field="reentry")
        s = a + (b - a) * (np.arange(n) + 0.5) / n
        return cls(samples=tuple(J2000_UTC + (s * 1e6).astype("timedelta64[us]")))

    @property
    def spread_s(self) -> float:
        """Standard deviation of the epoch distribution without ``sigma_s``, s."""
        if self.samples is not None:
            pool = (np.asarray(self.samples, dtype="datetime64[us]") - J2000_UTC).astype(np.float64) / 1e6
            return float(np.std(pool))
        life = _s_since_j2000(self.nominal) - _s_since_j2000(self.predicted_at)
        return life * math.hypot(self.sigma_bc_rel, self.sigma_solar_rel)

    def sample_s(self, rng, n: int):
        """n epochs (s since J2000 UTC), the drawn (f_B, f_rho) factors and phase shifts (s)."""
        if self.samples is not None:
            pool = (np.asarray(self.samples, dtype="datetime64[us]") - J2000_UTC).astype(np.float64) / 1e6
            t = pool[rng.integers(0, pool.size, n)]
            fb = np.ones(n)
            fr = np.ones(n)
        else:
            t0 = _s_since_j2000(self.predicted_at)
            life = _s_since_j2000(self.nominal) - t0
            fb = np.exp(self.sigma_bc_rel * rng.standard_normal(n))
            fr = np.exp(self.sigma_solar_rel * rng.standard_normal(n))
            t = t0 + life / (fb * fr)
        t = t + self.sigma_s * rng.standard_normal(n)
        phase_s = self.spread_s * rng.standard_normal(n)
        return t, fb, fr, phase_s

    def to_json(self) -> dict:
        if self.samples is not None:
            s = np.sort(np.asarray(self.samples, dtype="datetime64[us]"))
            return {"kind": "samples", "n": int(s.size), "first": _iso(s[0]),
                    "last": _iso(s[-1]), "sigma_s": self.sigma_s}
        return {"kind": "lifetime", "nominal": _iso(self.nominal),
                "predicted_at": _iso(self.predicted_at),
                "sigma_bc_rel": self.sigma_bc_rel, "sigma_solar_rel": self.sigma_solar_rel,
                "sigma_s": self.sigma_s}


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to simulate blocks (small, picklable)."""

    orbit: FinalOrbit
    times: ReentryTimes
    footprint: Footprint
    casualty_area_m2: float           # at the reference surviving mass
    area_scale_range: tuple           # (lo, hi) multiplier of the casualty area, per member
    members: int
    points: int
    seed: int

    @property
    def n_blocks(self) -> int:
        return -(-self.members // BLOCK)


@dataclass
class BlockResult:
    """Per-member results of one block; columns 0..C-1 countries, C = ocean."""

    block: int
    t_s: np.ndarray
    f_bc: np.ndarray
    f_rho: np.ndarray
    centre_lat_deg: np.ndarray
    centre_lon_deg: np.ndarray
    casualty_area_m2: np.ndarray
    counts: np.ndarray                # (B, C+1) int32 impact points per column
    casualties: np.ndarray            # (B, C+1) expected casualties per column
    cells: np.ndarray                 # unique flat cell indices hit
    cell_counts: np.ndarray           # points per cell
    lat_gc_deg: np.ndarray = field(default=None)  # only with keep_points


def simulate_block(plan: Plan, block: int, keep_points: bool = False) -> BlockResult:
    """Simulate members ``[block*BLOCK, min((block+1)*BLOCK, members))``; vectorised."""
    g = grid()
    nb = min(BLOCK, plan.members - block * BLOCK)
    rng = np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(block,)))
    # Always draw a full block, then keep the first nb members: member i's numbers do
    # not depend on the total number of members.
    t, fb, fr, phase_s = (x[:nb] for x in plan.times.sample_s(rng, BLOCK))
    dphase = (2 * math.pi / plan.orbit.period_s) * phase_s
    fp = plan.footprint
    lo = fp.scale_min
    scale_len = rng.uniform(lo, 1.0, BLOCK)[:nb]
    scale_wid = rng.uniform(lo, 1.0, BLOCK)[:nb]
    a_lo, a_hi = plan.area_scale_range
    area = plan.casualty_area_m2 * rng.uniform(a_lo, a_hi, BLOCK)[:nb]
    k = plan.points
    # Stratified along-track positions, uniform cross-track, centred on the impact point.
    u_along = (np.arange(k)[None, :] + rng.random((BLOCK, k))[:nb]) / k - 0.5
    u_cross = rng.random((BLOCK, k))[:nb] - 0.5
    along = u_along * (fp.length_km * 1e3 * scale_len)[:, None]
    cross = u_cross * (fp.width_km * 1e3 * scale_wid)[:, None]
    lat_gc, lat, lon = ground_points(plan.orbit, t[:, None], along, cross, dphase[:, None])
    _, clat, clon = ground_points(plan.orbit, t, phase_rad=dphase)
    cell = g.cell_index(lat, lon)
    ncol = g.n_countries + 1
    col = g.country.ravel()[cell].astype(np.int64)
    col = np.where(col < 0, ncol - 1, col)
    flat = (np.arange(nb)[:, None] * ncol + col).ravel()
    counts = np.bincount(flat, minlength=nb * ncol).reshape(nb, ncol).astype(np.int32)
    ec_pt = (area / k)[:, None] * g.density_m2.ravel()[cell]
    cas = np.bincount(flat, weights=ec_pt.ravel(), minlength=nb * ncol).reshape(nb, ncol)
    cells, cell_counts = np.unique(cell.ravel(), return_counts=True)
    return BlockResult(block, t, fb, fr, clat, clon, area, counts, cas,
                       cells.astype(np.int64), cell_counts.astype(np.int64),
                       lat_gc if keep_points else None)


def _blocks_local(plan: Plan, progress=None):
    out = []
    for b in range(plan.n_blocks):
        out.append(simulate_block(plan, b))
        if progress is not None:
            progress(min((b + 1) * BLOCK, plan.members), plan.members)
    return out


_ADDRESS_RE = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+(:\d+)?/?$")


def connect(address: str, timeout_s: float = DASK_CONNECT_TIMEOUT_S):
    """A :class:`distributed.Client` for *address*; InputError if malformed or unreachable."""
    if not isinstance(address, str) or not _ADDRESS_RE.match(address.strip()):
        raise InputError(f"not a Dask scheduler address: {address!r} (e.g. tcp://host:8786)",
                         field="scheduler")
    import distributed

    try:
        return distributed.Client(address.strip(), timeout=f"{timeout_s}s",
                                  set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach Dask scheduler {address} within {timeout_s:g} s "
                         f"({type(exc).__name__})", field="scheduler") from None


def _blocks_dask(plan: Plan, scheduler, progress=None):
    import distributed

    own = isinstance(scheduler, str)
    client = connect(scheduler) if own else scheduler
    try:
        futures = client.map(simulate_block, [plan] * plan.n_blocks, range(plan.n_blocks),
                             pure=False)
        done = 0
        for _ in distributed.as_completed(futures):
            done += 1
            if progress is not None:
                progress(min(done * BLOCK, plan.members), plan.members)
        return client.gather(futures)
    finally:
        if own:
            client.close()


def run(plan: Plan, scheduler=None, progress=None) -> list[BlockResult]:
    """Simulate all blocks, locally or on Dask (*scheduler*: address or Client); block order."""
    if plan.members <= 0:
        raise InputError(f"members must be >= 1, got {plan.members}", field="members")
    blocks = _blocks_local(plan, progress) if scheduler is None else _blocks_dask(plan, scheduler, progress)
    return sorted(blocks, key=lambda b: b.block)


def wilson(k, n, z: float = 1.959963984540054):
    """Wilson score interval for k successes in n trials (95 % by default); vectorised."""
    k = np.asarray(k, float)
    p = k / n
    d = 1 + z**2 / n
    c = (p + z**2 / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / d
    return np.clip(c - h, 0, 1), np.clip(c + h, 0, 1)


def bootstrap_mean_ci(x: np.ndarray, seed: int, n_boot: int = 400, level: float = 0.95):
    """Percentile-bootstrap CI of the column means of x (members x columns), resampling members."""
    x = np.asarray(x, float)
    m = x.shape[0]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31 - 1,)))
    w = rng.multinomial(m, np.full(m, 1.0 / m), size=n_boot).astype(np.float64)
    means = w @ x / m
    a = (1 - level) / 2
    return np.quantile(means, a, axis=0), np.quantile(means, 1 - a, axis=0)

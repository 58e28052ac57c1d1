"""Reentry-risk Monte Carlo benchmark: 10,000 members of the ISS uncontrolled reentry.

Each member: reentry epoch (lifetime scaled by ballistic-coefficient and solar-activity
factors), orbit phase, footprint size (5370 x 300 km scaled), surviving-mass fraction,
64 impact points on the debris footprint, country lookup and casualty sums on the
0.25-deg population grid; then the per-country summary with bootstrap and Wilson CIs.

1. local, one process (target: < 60 s on 2 cores; prints members/s);
2. a local two-worker Dask cluster (processes), same seed: checks the result is
   identical and prints the speed ratio to the local run.

Run: ``.venv/bin/python bench/bench_risk.py``
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from orbitsim.elements import bundled_iss
from orbitsim.debris import FinalOrbit, ReentryTimes, risk
from orbitsim.debris.population import grid

MEMBERS = 10_000


def main() -> None:
    es = bundled_iss()[-1]
    start = es.epoch
    times = ReentryTimes(start + dt.timedelta(days=365), start)
    orbit = FinalOrbit.from_elements(es)
    grid()  # load the population grid once (not part of the per-member cost)

    t0 = time.perf_counter()
    local = risk(es, orbit=orbit, reentry=times, members=MEMBERS, seed=1)
    t_local = time.perf_counter() - t0
    print(f"local:  {MEMBERS} members in {t_local:.2f} s = {MEMBERS / t_local:,.0f} members/s "
          f"(target < 60 s) -> {'OK' if t_local < 60 else 'SLOW'}")
    ce = local.casualty_expectation
    print(f"        E_c = {ce['mean']:.3g} ({ce['ci'][0]:.3g}-{ce['ci'][1]:.3g}); ocean "
          f"{100 * local.ocean['probability']:.1f} %; Russia "
          f"{100 * local.comparison['Russia']['probability']:.2f} %, US "
          f"{100 * local.comparison['United States']['probability']:.2f} %")

    try:
        import distributed
    except ImportError:
        print("dask:   distributed not importable, skipped")
        return
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(grid)  # warm the workers' grid cache
        t0 = time.perf_counter()
        remote = risk(es, orbit=orbit, reentry=times, members=MEMBERS, seed=1, scheduler=client)
        t_dask = time.perf_counter() - t0
    same = (remote.to_json() == local.to_json()
            and np.array_equal(remote.probability_grid, local.probability_grid))
    print(f"dask:   {MEMBERS} members in {t_dask:.2f} s = {MEMBERS / t_dask:,.0f} members/s on 2 "
          f"workers; speed ratio local/dask = {t_local / t_dask:.2f}; identical result: {same}")
    if not same:
        raise SystemExit("Dask and local results differ")


if __name__ == "__main__":
    main()

"""Atmosphere throughput: orbitsim NRLMSISE-00 vs raw pymsis in the same run.

Jobs
* 10^5 points along a day of ISS-like positions: ``atmosphere("nrlmsise00",
  "observed").density(t, lat, lon, alt)`` (space-weather lookup + pymsis) vs
  ``pymsis.calculate(..., version=0)`` with precomputed indices (the floor).
* per-call overhead: 2000 single-point calls, orbitsim vs raw pymsis.
* Cd*A/m fit to the bundled ISS history (85 days of sets; NRLMSISE-00 sampled
  every 120 s along the orbit), for information.

Targets: for 10^5 points orbitsim within 1.3x of raw pymsis; per-call overhead
within 8x of raw pymsis' own (~20 us) -- the propagators batch their calls.

Run: ``python bench/bench_atmosphere.py [N]``.
"""

from __future__ import annotations

import sys

import numpy as np

from _common import best_of


def main(n: int = 100_000) -> int:
    import pymsis

    from orbitsim.atmosphere import atmosphere
    from orbitsim.ballistic import fit_ballistic_coefficient
    from orbitsim.elements import bundled_iss

    atm = atmosphere("nrlmsise00", "observed")
    t = np.datetime64("2022-02-01T00:00", "us") + (np.arange(n) * (86400e6 / n)).astype(
        "timedelta64[us]")
    phase = np.linspace(0.0, 2 * np.pi * 15.5, n)
    lat = 51.6 * np.sin(phase)
    lon = np.mod(np.degrees(phase) * 1.07, 360.0) - 180.0
    alt = 415.0 + 10.0 * np.sin(2 * phase)
    ix = atm.space_weather.at(t)

    def raw():
        return pymsis.calculate(t, lon, lat, alt, ix.f107_prev_day_obs, ix.f107a_81d_obs,
                                ix.ap_3h, version=0, geomagnetic_activity=-1)[:, 0]

    def ours():
        return atm.density(t, lat, lon, alt)

    t_raw, r_raw = best_of(raw)
    t_ours, r_ours = best_of(ours)
    assert np.allclose(r_raw, r_ours, rtol=1e-12)
    print(f"{n} points: orbitsim {t_ours * 1e3:.1f} ms ({t_ours / n * 1e6:.2f} us/pt), "
          f"raw pymsis {t_raw * 1e3:.1f} ms; ratio {t_ours / t_raw:.2f} (target <= 1.3)")

    one_t = t[:1]
    calls = 2000
    t_raw1, _ = best_of(lambda: [pymsis.calculate(one_t, lon[:1], lat[:1], alt[:1],
                                                  ix.f107_prev_day_obs[:1],
                                                  ix.f107a_81d_obs[:1], ix.ap_3h[:1],
                                                  version=0, geomagnetic_activity=-1)
                                 for _ in range(calls)])
    t_ours1, _ = best_of(lambda: [atm.density(one_t, lat[0], lon[0], alt[0])
                                  for _ in range(calls)])
    print(f"single-point call: orbitsim {t_ours1 / calls * 1e6:.0f} us, raw pymsis "
          f"{t_raw1 / calls * 1e6:.0f} us; ratio {t_ours1 / t_raw1:.1f} (target <= 8)")

    sets = bundled_iss()
    t_fit, fit = best_of(lambda: fit_ballistic_coefficient(sets, atm), repeat=2)
    print(f"Cd*A/m fit to {len(sets)} ISS sets: {t_fit:.2f} s -> "
          f"{fit.value_m2_kg:.5f} +- {fit.sigma_m2_kg:.5f} m^2/kg ({fit.n_used} intervals)")
    ok = t_ours / t_raw <= 1.3 and t_ours1 / t_raw1 <= 8
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))

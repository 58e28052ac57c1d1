"""Ground-track throughput: orbitsim.propagate.track vs skyfield vs raw sgp4, same run.

Job: 10^6 time points (one day of ISS orbit at 86.4 ms steps) -> geodetic WGS 84
latitude, longitude and height (SGP4 -> TEME -> ITRS incl. polar motion -> WGS 84).

* orbitsim: ``track(es, start, hours=24, step_s=0.0864, sunlit=False)``
  (also timed with sunlit=True for information).
* skyfield: ``EarthSatellite(...).at(t)`` then ``wgs84.latlon_of`` and ``wgs84.height_of``
  on the same element set and times (Time built from the same datetime64 grid), in chunks
  of 50 000 points (a single 10^6-point call needs > 20 GB and is far slower); timed
  with skyfield's default IAU 2000A nutation and with its IAU 2000B shortcut, the ratio
  taken against the faster.
* raw sgp4: ``Satrec.sgp4_array`` on precomputed Julian dates: TEME only, no frames,
  no geodesy -- the practical upper limit.

Targets (issue 2): >= 3x skyfield's throughput, within 2x of raw sgp4 (ratio raw/ours <= 2),
peak memory < 500 MB for 10^6 points (tracemalloc peak of the orbitsim call).

Run: ``python bench/bench_track.py [N]``.
"""

from __future__ import annotations

import gc
import resource
import sys
import tracemalloc

import numpy as np

from _common import best_of

SKY_CHUNK = 50_000


def main(n: int = 1_000_000) -> int:
    from skyfield.api import EarthSatellite, wgs84
    from skyfield.nutationlib import iau2000b_radians

    from orbitsim.elements import bundled_iss
    from orbitsim.propagate import julian_date_utc, times, track
    from orbitsim.timeutil import skyfield_times, timescale

    es = bundled_iss()[200]
    step_s = 86400.0 / n
    hours = (n - 1) * step_s / 3600.0
    t = times(es.epoch, hours, step_s)
    assert len(t) == n, len(t)
    ts = timescale()
    track(es, es.epoch, hours=0.1, step_s=60, sunlit=True)      # warm caches (EOP, DE421)

    ours_s, tr = best_of(lambda: track(es, es.epoch, hours, step_s, sunlit=False))
    ours_sun_s, _ = best_of(lambda: track(es, es.epoch, hours, step_s, sunlit=True), repeat=1)

    jd, fr = julian_date_utc(t)
    raw_s, _ = best_of(lambda: es.satrec.sgp4_array(jd, fr))

    sat = EarthSatellite(es.line1, es.line2, ts=ts)

    def sky(fast_nutation=False, upto=n):
        # In chunks: one 10^6-element skyfield call needs > 20 GB (3x3xN
        # rotation matrices) and thrashes; chunks are skyfield's best case.
        parts = []
        for i in range(0, upto, SKY_CHUNK):
            st = skyfield_times(t[i:i + SKY_CHUNK])
            if fast_nutation:
                # skyfield's own shortcut (used inside EarthSatellite.find_events):
                # 77-term IAU 2000B nutation; it cancels in TEME -> ITRS anyway.
                st._nutation_angles_radians = iau2000b_radians(st)
            g = sat.at(st)
            lat, lon = wgs84.latlon_of(g)
            parts.append((lat.degrees, lon.degrees, wgs84.height_of(g).km))
        return tuple(np.concatenate(c) for c in zip(*parts))

    # The default (IAU 2000A) path runs ~10^4 points/s: time the first fifth of
    # the chunks and scale (chunks are independent, so time is linear in N).
    part = max(SKY_CHUNK, n // 5)
    sky_a_s, _ = best_of(lambda: sky(False, part), repeat=1)
    sky_a_s *= n / min(part, n)
    sky_b_s, (lat, lon, h) = best_of(lambda: sky(True), repeat=1)
    sky_s = min(sky_a_s, sky_b_s)                 # compare with skyfield's faster variant
    dlat_m = np.radians(np.abs(lat - tr.lat_deg)).max() * 6.8e6
    dh_m = np.abs(h - tr.alt_km).max() * 1e3

    gc.collect()
    tracemalloc.start()
    track(es, es.epoch, hours, step_s, sunlit=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rate = lambda s: n / s  # noqa: E731
    print(f"ground track, {n:,} points (ISS, 1 day), geodetic WGS 84 incl. polar motion")
    print(f"  orbitsim track (no sun) : {ours_s:7.3f} s  {rate(ours_s):12,.0f} points/s")
    print(f"  orbitsim track (+ sun)  : {ours_sun_s:7.3f} s  {rate(ours_sun_s):12,.0f} points/s")
    print(f"  skyfield EarthSatellite : {sky_a_s:7.3f} s  {rate(sky_a_s):12,.0f} points/s"
          "  (default IAU 2000A nutation; timed on N/5, scaled)")
    print(f"  skyfield EarthSatellite : {sky_b_s:7.3f} s  {rate(sky_b_s):12,.0f} points/s"
          "  (IAU 2000B nutation shortcut)")
    print(f"  raw sgp4_array (TEME)   : {raw_s:7.3f} s  {rate(raw_s):12,.0f} points/s")
    speedup = sky_s / ours_s
    vs_raw = ours_s / raw_s
    print(f"  speed-up vs skyfield    : {speedup:6.2f}x   (target >= 3x; vs its faster variant)   "
          f"{'OK' if speedup >= 3 else 'MISSED'}")
    print(f"  slow-down vs raw sgp4   : {vs_raw:6.2f}x   (target <= 2x)   "
          f"{'OK' if vs_raw <= 2 else 'MISSED'}")
    print(f"  peak memory (tracemalloc, orbitsim call): {peak / 2**20:7.1f} MB (target < 500 MB) "
          f"{'OK' if peak < 500 * 2**20 else 'MISSED'}; process max RSS {maxrss_mb:.0f} MB "
          f"(includes skyfield's run)")
    print(f"  agreement with skyfield: latitude {dlat_m:.3f} m, height {dh_m:.3f} m (max)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))

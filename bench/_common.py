"""Helpers shared by the benchmarks (run as scripts: ``python bench/bench_x.py``)."""

from __future__ import annotations

import gc
import os
import time
import warnings


def best_of(fn, repeat=3):
    """(best wall time in s over *repeat* runs, last result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def load_satkit():
    """The satkit module ready to run offline, or None (with a message) when absent.

    satkit is the high-fidelity peer of the decay benchmarks (``pip install
    '.[bench]'``, never a test dependency). Its data files come from the
    satkit-data package, Earth orientation (finals2000A.all) from skyfield-data,
    the same table orbitsim uses; SATKIT_OFFLINE stops it downloading anything.
    """
    os.environ.setdefault("SATKIT_OFFLINE", "1")
    try:
        import satkit as sk
    except ImportError:
        print("satkit is not installed (pip install '.[bench]'): peer comparison skipped")
        return None
    try:
        import satkit_data
        sk.utils.add_search_dir(os.path.join(os.path.dirname(satkit_data.__file__), "data"))
    except ImportError:
        pass
    from skyfield_data import get_skyfield_data_path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # its EOP file is past its expiry date
        sk.utils.add_search_dir(get_skyfield_data_path())
    if not sk.utils.datafiles_exist():
        print("satkit is installed but its data files are not (pip install satkit-data): "
              "peer comparison skipped")
        return None
    return sk


def satkit_zonal_settings(sk, rel_error=1e-10, **extra):
    """satkit propagation settings matching orbitsim's force model: zonal J2-J4 only
    (degree 4, order 0), no Sun/Moon gravity, relativity or tides."""
    settings = sk.propsettings(gravity_degree=4, gravity_order=0, use_sun_gravity=False,
                               use_moon_gravity=False, use_relativistic_correction=False,
                               abs_error=1e-6, rel_error=rel_error, **extra)
    settings.tide_model = sk.tidemodel.none
    return settings

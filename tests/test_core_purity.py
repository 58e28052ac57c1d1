"""The numeric core (orbit data, propagation, atmosphere, decay) stays free of
plotting, geography and CLI imports, so it can run anywhere (e.g. Dask workers)."""

import subprocess
import sys

import pytest

CORE = [
    "orbitsim.errors", "orbitsim.io", "orbitsim.timeutil", "orbitsim.constants",
    "orbitsim.elements", "orbitsim.propagate", "orbitsim.sun",
    "orbitsim.spaceweather", "orbitsim.atmosphere", "orbitsim.ballistic",
    "orbitsim.gravity", "orbitsim.cowell", "orbitsim.meanelements",
    "orbitsim.events", "orbitsim.reentry",
]
FORBIDDEN = ["matplotlib", "shapely", "shapefile", "typer", "rich", "click",
             "orbitsim.geography", "orbitsim.overflights", "orbitsim.plots", "orbitsim.cli",
             "orbitsim.debris"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_plotting_geography_or_cli(module):
    code = (f"import sys, {module}\n"
            f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"


def test_top_level_api_names_stay_functions_after_submodule_imports():
    """A submodule named like a top-level function would replace it on import."""
    code = ("import importlib, pkgutil, orbitsim\n"
            "for m in pkgutil.walk_packages(orbitsim.__path__, 'orbitsim.'):\n"
            "    if '.data.' not in m.name and not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "bad = [n for n in orbitsim.__all__ if not callable(getattr(orbitsim, n))]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"not callable after imports: {out.stdout.strip()}"

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
    "orbitsim.events", "orbitsim.decay",
]
FORBIDDEN = ["matplotlib", "shapely", "shapefile", "typer", "rich", "click",
             "orbitsim.geography", "orbitsim.overflight", "orbitsim.plots", "orbitsim.cli",
             "orbitsim.risk"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_plotting_geography_or_cli(module):
    code = (f"import sys, {module}\n"
            f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"

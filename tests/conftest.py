"""Shared fixtures and tolerances named in physical units."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

one_meter = 1.0            # m
one_km = 1000.0            # m
one_second = 1.0           # s
one_minute = 60.0          # s
one_day = 86400.0          # s


def run_cli(*args, cwd=None):
    """Run ``python -m orbitsim ARGS`` as a user would; return CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "orbitsim", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT, timeout=600)


@pytest.fixture
def cli():
    return run_cli

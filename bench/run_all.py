"""Run every benchmark in bench/ (``make bench``) and print their reports.

Benchmarks measure speed as ratios against a peer measured in the same run
(skyfield, raw sgp4, satkit); tests never time anything.
"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name}", flush=True)
    rc = subprocess.call([sys.executable, str(script)], cwd=here.parent)
    if rc:
        failed.append(script.name)
if failed:
    print(f"\nfailed: {', '.join(failed)}")
    sys.exit(1)

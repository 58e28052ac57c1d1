"""``orbitsim risk`` end to end: table, JSON and map files; bad input -> one line, exit 2."""

import json

import pytest
from conftest import run_cli

BASE = ("risk", "--start", "2022-03-01T00:00Z", "--reentry", "2022-09-01T00:00Z")


def test_risk_writes_json_and_map(tmp_path):
    js, png = tmp_path / "risk.json", tmp_path / "risk.png"
    p = run_cli(*BASE, "--members", 400, "--seed", 3, "--json", js, "--plot", png)
    assert p.returncode == 0, p.stderr
    assert "Casualty expectation" in p.stdout and "Russia" in p.stdout
    d = json.loads(js.read_text())
    assert d["members"] == 400 and d["seed"] == 3
    total = sum(c["probability"] for c in d["countries"]) + d["ocean"]["probability"]
    assert total == pytest.approx(1.0, abs=1e-9)
    assert d["casualty_expectation"]["threshold"] == 1e-4
    assert 0.9 < d["band"]["world_population_share"] <= 1.0
    assert {"Russia", "United States", "India", "China"} <= set(d["comparison"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the same seed gives the same JSON
    js2 = tmp_path / "again.json"
    assert run_cli(*BASE, "--members", 400, "--seed", 3, "--json", js2).returncode == 0
    assert js2.read_text() == js.read_text()


def test_controlled_deorbit_cli(tmp_path):
    js = tmp_path / "c.json"
    p = run_cli("risk", "--start", "2022-03-01T00:00Z", "--reentry", "2022-03-10T12:00Z",
                "--controlled", "spoua", "--members", 300, "--json", js)
    assert p.returncode == 0, p.stderr
    d = json.loads(js.read_text())
    assert d["ocean"]["probability"] > 0.99


def _frag_csv(tmp_path, rows):
    f = tmp_path / "frags.csv"
    f.write_text("label,count,mass_kg,area_m2\n" + "".join(r + "\n" for r in rows))
    return f


@pytest.mark.parametrize("args,needle", [
    (("--members", 0), "--members"),
    (("--footprint-width-km", -5), "footprint_width_km"),
    (("--footprint-length-km", 1e6), "footprint_length_km"),
    (("--surviving-fraction", "0.1,1.5"), "surviving-fraction"),
    (("--scheduler", "tcp://127.0.0.1:1"), "scheduler"),
    (("--scheduler", "nonsense"), "scheduler"),
])
def test_bad_input_one_line_exit_2(args, needle):
    p = run_cli(*BASE, *args)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orbitsim: error:") and needle in lines[0]
    assert "Traceback" not in p.stderr


def test_bad_fragment_file_names_file_and_line(tmp_path):
    f = _frag_csv(tmp_path, ["truss,10,500,4", "panel,5,20,0"])
    p = run_cli(*BASE, "--fragments", f)
    assert p.returncode == 2
    assert f"{f}:3: area_m2:" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_custom_fragment_file_is_used(tmp_path):
    f = _frag_csv(tmp_path, ["tank,4,100,1.0"])
    js = tmp_path / "r.json"
    p = run_cli(*BASE, "--fragments", f, "--members", 200, "--json", js)
    assert p.returncode == 0, p.stderr
    d = json.loads(js.read_text())
    assert d["fragments"]["casualty_area_m2"] == pytest.approx(4 * (0.6 + 1.0) ** 2)


def test_default_runs_the_decay_engine(tmp_path):
    """Without --reentry the decay engine predicts the reentry from the newest bundled set;
    the footprint centre propagated analytically from its final orbit (one revolution
    before reentry) lies within 300 km of the engine's own reentry point (Cowell, drag)."""
    js = tmp_path / "d.json"
    p = run_cli("risk", "--members", 300, "--json", js)
    assert p.returncode == 0, p.stderr
    d = json.loads(js.read_text())
    assert d["reentry"]["kind"] == "lifetime" and d["reentry"]["nominal"] > "2022-03-01"
    assert d["nominal"]["distance_to_decay_point_km"] < 300
    assert d["casualty_expectation"]["exceeds_threshold"] is True

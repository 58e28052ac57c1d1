"""``orbitsim decay`` run as a user would: files written, one-line errors, exit codes."""

import json

import pytest

from conftest import run_cli


def test_decay_json_and_plot(tmp_path):
    out, png = tmp_path / "d.json", tmp_path / "d.png"
    res = run_cli("decay", "--solar", "nominal", "--bc", "0.05", "--json", out, "--plot", png)
    assert res.returncode == 0, res.stderr
    assert "reentry" in res.stdout and "Cd·A/m" in res.stdout
    doc = json.loads(out.read_text())
    for key in ("reentry_epoch_utc", "reentry_lat_deg", "reentry_lon_deg", "lifetime_days",
                "ballistic_coefficient", "window_utc", "window_20pct_utc"):
        assert doc[key] is not None, key
    assert doc["ballistic_coefficient"]["value_m2_kg"] == 0.05
    assert doc["inputs"]["mass_kg"] == 419725.0
    series = doc["series"]
    assert len(series["time_utc"]) == len(series["mean_alt_km"]) > 10
    assert series["mean_alt_km"][0] > 400 and series["mean_alt_km"][-1] < 150
    assert doc["window_utc"][0] <= doc["reentry_epoch_utc"] <= doc["window_utc"][1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_decay_reboost_policy_until(tmp_path):
    out = tmp_path / "r.json"
    res = run_cli("decay", "--solar", "nominal", "--bc", "0.02", "--reboost-policy", "410:418",
                  "--until", "2022-09-01", "--no-window", "--json", out)
    assert res.returncode == 0, res.stderr
    doc = json.loads(out.read_text())
    assert doc["reentry_epoch_utc"] is None and doc["stop_reason"] == "until"
    boosts = [b for b in doc["burns"] if b["kind"] == "reboost"]
    assert boosts and all(b["alt_after_km"] == pytest.approx(418.0) for b in boosts)
    assert doc["reboost_dv_per_year_m_s"] > 0 and doc["reboost_propellant_per_year_kg"] > 0
    assert min(doc["series"]["mean_alt_km"]) > 409.9


@pytest.mark.parametrize("args,needle", [
    (("--mass-kg", "-5"), "--mass-kg"),
    (("--cd", "0"), "--cd"),
    (("--reboost-policy", "420:410"), "target"),
    (("--reboost-policy", "410:420"), "until"),
    (("--bc", "fast"), "--bc"),
    (("--solar", "medium"), "solar"),
    (("--start", "2100-01-01", "--force"), "solar"),
    (("--plot", "x.jpg"), "--plot"),
])
def test_decay_bad_input_one_line(tmp_path, args, needle):
    out = tmp_path / "never.json"
    res = run_cli("decay", *args, "--json", out)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.strip().splitlines()
             if not ln.startswith("orbitsim: warning:")]
    assert len(lines) == 1 and lines[0].startswith("orbitsim: error:"), res.stderr
    assert needle in lines[0]
    assert "Traceback" not in res.stderr
    assert not out.exists()

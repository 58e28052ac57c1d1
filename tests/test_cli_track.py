"""``orbitsim track`` and ``orbitsim fetch`` as a user runs them (real command, exit codes,
one-line errors, files), and the fetch module on canned responses (no network)."""

import importlib.util
import json

import numpy as np
import pytest
from conftest import run_cli

from orbitsim import fetch as fetch_mod
from orbitsim.elements import bundled_iss, nearest, tle_checksum
from orbitsim.errors import InputError
from orbitsim.propagate import track

L0 = "ISS (ZARYA)"
L1 = "1 25544U 98067A   22001.05265755  .00006291  00000-0  11882-3 0  9991"
L2 = "2 25544  51.6446  84.2599 0004899 348.0043  73.2132 15.49825481319263"


def one_line_error(res, *needles):
    assert res.returncode == 2, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("orbitsim: error:")]
    assert len(errors) == 1 and "Traceback" not in res.stderr, res.stderr
    for n in needles:
        assert n in errors[0], errors[0]
    return errors[0]


def test_track_json_matches_the_api(tmp_path):
    out = tmp_path / "t.json"
    res = run_cli("track", "--start", "2022-02-24T03:00Z", "--hours", "2", "--step", "120",
                  "--json", out)
    assert res.returncode == 0, res.stderr
    assert "orbital sunrises" in res.stdout and "iss-2022.tle" in res.stdout
    doc = json.loads(out.read_text())
    n = 61
    for key in ("time_utc", "lat_deg", "lon_deg", "alt_km", "sunlit"):
        assert len(doc[key]) == n
    assert doc["time_utc"][0] == "2022-02-24T03:00:00Z"
    assert doc["time_utc"][-1] == "2022-02-24T05:00:00Z"
    # Same numbers as the Python API on the bundled set nearest the start.
    es = nearest(bundled_iss(), "2022-02-24T03:00Z")
    tr = track(es, "2022-02-24T03:00Z", hours=2, step_s=120)
    assert np.allclose(doc["lat_deg"], tr.lat_deg, atol=1e-6)
    assert np.allclose(doc["alt_km"], tr.alt_km, atol=1e-3)
    assert doc["sunlit"] == tr.sunlit.tolist()
    s = doc["summary"]
    assert s["element_set"]["source"].endswith(f"iss-2022.tle:{es.lineno}")
    assert s["lat_max_deg"] == pytest.approx(tr.lat_deg.max())
    assert s["orbital_sunrises"] == len(doc["orbital_sunrise_utc"])


def test_track_user_tle_three_line(tmp_path):
    p = tmp_path / "iss.tle"
    p.write_text(f"{L0}\n{L1}\n{L2}\n")
    res = run_cli("track", "--tle", p, "--hours", "1", "--step", "600")
    assert res.returncode == 0, res.stderr
    assert "2022-01-01 01:15:49 UTC" in res.stdout      # default start: the epoch


def test_start_40_days_from_epoch_refused_then_forced(tmp_path):
    p = tmp_path / "iss.tle"
    p.write_text(f"{L0}\n{L1}\n{L2}\n")
    out = tmp_path / "t.json"
    res = run_cli("track", "--tle", p, "--start", "2022-02-10", "--json", out)
    one_line_error(res, str(p), "start", "--force")
    assert not out.exists()
    res = run_cli("track", "--tle", p, "--start", "2022-02-10", "--hours", "1", "--force",
                  "--json", out)
    assert res.returncode == 0, res.stderr
    assert "orbitsim: warning:" in res.stderr and "days from the element epoch" in res.stderr
    assert out.exists()


def test_start_4_days_from_epoch_warns(tmp_path):
    p = tmp_path / "iss.tle"
    p.write_text(f"{L0}\n{L1}\n{L2}\n")
    res = run_cli("track", "--tle", p, "--start", "2022-01-05T06:00Z", "--hours", "1")
    assert res.returncode == 0
    assert "warning" in res.stderr and "4.2 days" in res.stderr


@pytest.mark.parametrize("case, text, where", [
    ("bad checksum", f"{L0}\n{L1[:68]}0\n{L2}\n", (":2:", "checksum")),
    ("wrong length", f"{L1}\n{L2[:-3]}\n", (":2:", "length")),
    ("swapped lines", f"{L0}\n{L2}\n{L1}\n", (":2:", "line_number", "swapped")),
    ("catalog mismatch", f"{L1}\n{L2[:2]}25545{L2[7:68]}"
     f"{tle_checksum(L2[:2] + '25545' + L2[7:])}\n", (":2:", "catalog_number")),
    ("garbage", "<html>Too many requests</html>\n", ("xml",)),
    ("garbage text", "lorem ipsum\ndolor sit amet\n", (":1:", "line_number")),
    ("bad OMM field", json.dumps([{
        "OBJECT_NAME": "ISS (ZARYA)", "NORAD_CAT_ID": 25544, "EPOCH": "2022-01-01T01:15:49.6",
        "MEAN_MOTION": 15.49825481, "ECCENTRICITY": 0.0004899, "INCLINATION": "fifty",
        "RA_OF_ASC_NODE": 84.2599, "ARG_OF_PERICENTER": 348.0043, "MEAN_ANOMALY": 73.2132,
        "BSTAR": 0.00011882}]), ("INCLINATION", "not a number")),
])
def test_bad_tle_files_give_one_line_errors(tmp_path, case, text, where):
    p = tmp_path / "bad.tle"
    p.write_text(text)
    out = tmp_path / "t.json"
    res = run_cli("track", "--tle", p, "--json", out)
    one_line_error(res, str(p), *where)
    assert not out.exists()


def test_decayed_element_set_cli(tmp_path):
    l1 = L1[:53] + " 50000-2" + L1[61:]
    l2 = L2[:52] + "16.00000000" + L2[63:]
    p = tmp_path / "decay.tle"
    p.write_text(f"X\n{l1[:68]}{tle_checksum(l1)}\n{l2[:68]}{tle_checksum(l2)}\n")
    res = run_cli("track", "--tle", p, "--hours", "240", "--step", "600", "--force")
    one_line_error(res, f"{p}:2", "elements", "decayed")


def test_bad_options():
    one_line_error(run_cli("track", "--start", "yesterday"), "--start")
    one_line_error(run_cli("track", "--hours", "-3"), "hours")
    one_line_error(run_cli("track", "--plot", "map.jpg"), "--plot")


def test_plot_option(tmp_path):
    out = tmp_path / "gt.png"
    res = run_cli("track", "--start", "2022-03-01T12:00Z", "--hours", "3", "--plot", out)
    if importlib.util.find_spec("orbitsim.plots.groundtrack") is None:
        one_line_error(res, "--plot", "not available")
        assert not out.exists()
    else:
        assert res.returncode == 0, res.stderr
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------ fetch (no network)

def test_fetch_offline_cli_error(tmp_path, monkeypatch):
    # Port 9 on localhost: connection refused at once, like being offline.
    monkeypatch.setenv("ORBITSIM_CELESTRAK_URL", "http://127.0.0.1:9/gp.php?CATNR={catnr}")
    out = tmp_path / "iss.tle"
    res = run_cli("fetch", "25544", "--out", out, "--timeout", "5")
    one_line_error(res, "cannot reach CelesTrak (offline?)")
    assert not out.exists()


CANNED = (f"{L0:<24}\r\n{L1}\r\n{L2}\r\n").encode()     # CelesTrak pads names, uses CRLF


def test_fetch_writes_validated_text(tmp_path, monkeypatch):
    seen = {}

    def fake(url, timeout_s):
        seen["url"] = url
        return CANNED
    monkeypatch.delenv("ORBITSIM_CELESTRAK_URL", raising=False)
    monkeypatch.setattr(fetch_mod, "_urlopen", fake)
    path, sets = fetch_mod.fetch_to_file(25544, tmp_path / "iss.tle")
    assert seen["url"] == "https://celestrak.org/NORAD/elements/gp.php?CATNR=25544&FORMAT=TLE"
    assert sets[0].catalog == 25544 and sets[0].name == L0
    assert L1 in path.read_text()


@pytest.mark.parametrize("body, field", [
    (b"No GP data found", "catalog"),
    (f"{L0}\n{L1}\n{L2[:40]}\n".encode(), "length"),
])
def test_fetch_rejects_bad_answers_and_writes_nothing(tmp_path, monkeypatch, body, field):
    monkeypatch.setattr(fetch_mod, "_urlopen", lambda url, timeout_s: body)
    out = tmp_path / "x.tle"
    with pytest.raises(InputError) as ei:
        fetch_mod.fetch_to_file(25544, out)
    assert ei.value.field == field
    assert not out.exists()


def test_fetch_wrong_object_and_bad_catalog(monkeypatch):
    monkeypatch.setattr(fetch_mod, "_urlopen", lambda url, timeout_s: CANNED)
    with pytest.raises(InputError, match="not 20580"):
        fetch_mod.fetch_gp(20580)
    with pytest.raises(InputError) as ei:
        fetch_mod.fetch_gp(0)
    assert ei.value.field == "catalog"

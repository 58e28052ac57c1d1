"""Scenario schema and validation: each broken field gives its precise file:line: field: message."""

from pathlib import Path

import pytest

from orbitsim import scenario as S
from orbitsim.errors import InputError
from tests.conftest import ROOT, run_cli

SCEN = ROOT / "scenarios"
DETACH = SCEN / "russian-segment-detachment.toml"
LOSS = SCEN / "progress-reboost-loss.toml"


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line number of the nth line containing *needle* (the independent reference)."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth]


def _broken(tmp_path, src: Path, old: str, new: str, count=1) -> tuple[Path, str]:
    text = src.read_text()
    assert old in text, old
    text = text.replace(old, new, count)
    p = tmp_path / src.name
    p.write_text(text)
    return p, text


def _err(path) -> InputError:
    with pytest.raises(InputError) as ei:
        S.load(path)
    return ei.value


def test_every_scenario_file_validates():
    files = S.discover(SCEN)
    assert len(files) >= 5
    names = {S.load(f).name for f in files}
    assert {"nominal-2022", "progress-reboost-loss", "russian-segment-detachment",
            "uncontrolled-deorbit-500t", "controlled-deorbit"} <= names


def test_every_physical_parameter_has_a_source():
    for f in S.discover(SCEN):
        sc = S.load(f)
        s = sc.spacecraft
        assert s.mass_kg_source.strip() and s.area_m2_source.strip() and s.cd_source.strip()
        for sep in sc.events_of(S.SeparationEvent):
            for p in sep.parts:
                assert p.mass_kg_source.strip() and p.area_m2_source.strip() and p.cd_source
        for e in sc.events:
            if hasattr(e, "isp_s_source"):
                assert e.isp_s_source.strip()


def test_quotes_are_verbatim_in_their_seed():
    for f in S.discover(SCEN):
        sc = S.load(f)
        seed_text = (ROOT / "seeds" / sc.source.seed).read_text()
        assert " ".join(sc.source.quote.split()) in " ".join(seed_text.split())


def test_separation_masses_add_up_to_the_station():
    sc = S.load(DETACH)
    sep = sc.events_of(S.SeparationEvent)[0]
    total = sum(p.mass_kg for p in sep.parts)
    assert abs(total - sc.spacecraft.mass_kg) <= sep.mass_tolerance_kg
    # The Russian segment: sum of the module masses stated in its source string
    ros = sep.part("russian-segment")
    assert ros.mass_kg == 19051 + 19323 + 20357 + 3670 + 5075 + 3890 + 7080 + 2 * 7290


def test_unknown_key_did_you_mean_with_line(tmp_path):
    p, text = _broken(tmp_path, LOSS, "cd = 2.2", "cdd = 2.2")
    e = _err(p)
    assert e.field == "spacecraft.cdd"
    assert e.line == _line_of(text, "cdd = 2.2")
    assert "did you mean 'cd'" in e.message
    assert str(e).startswith(f"{p}:{e.line}: spacecraft.cdd: ")


def test_wrong_unit_key_gets_suggestion(tmp_path):
    p, text = _broken(tmp_path, LOSS, "mass_kg = 419725", "mass_t = 419.725")
    e = _err(p)
    assert e.field == "spacecraft.mass_t" and "did you mean 'mass_kg'" in e.message
    assert e.line == _line_of(text, "mass_t = 419.725")


def test_string_for_number(tmp_path):
    p, text = _broken(tmp_path, LOSS, "mass_kg = 419725", 'mass_kg = "500 t"')
    e = _err(p)
    assert e.field == "spacecraft.mass_kg"
    assert e.line == _line_of(text, 'mass_kg = "500 t"')
    assert "expected a number in kg" in e.message and "string" in e.message


def test_negative_mass(tmp_path):
    p, text = _broken(tmp_path, LOSS, "mass_kg = 419725", "mass_kg = -5")
    e = _err(p)
    assert e.field == "spacecraft.mass_kg" and "positive" in e.message
    assert e.line == _line_of(text, "mass_kg = -5")


def test_missing_required_source(tmp_path):
    text = LOSS.read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("cd_source")]
    p = tmp_path / "x.toml"
    p.write_text("\n".join(lines) + "\n")
    e = _err(p)
    assert e.field == "spacecraft" and "'cd_source'" in e.message
    assert e.line == _line_of(p.read_text(), "[spacecraft]")


def test_event_before_start(tmp_path):
    p, text = _broken(tmp_path, LOSS, "time = 2022-03-01T00:00:00Z", "time = 2022-02-01T00:00:00Z")
    e = _err(p)
    assert e.field == "events[0].time" and "before the scenario start" in e.message
    assert e.line == _line_of(text, "time = 2022-02-01T00:00:00Z")


def test_events_out_of_order(tmp_path):
    # The separation (31 March) moved before the reboost policy's start.
    p, text = _broken(tmp_path, DETACH, "trigger_alt_km = 416.5",
                      "start = 2022-04-10T00:00:00Z\ntrigger_alt_km = 416.5")
    text2 = text.replace("[[events]]\ntype = \"separation\"", "[[events]]\ntype = \"separation\"")
    p.write_text(text2)
    e = _err(p)
    assert e.field == "events[1].time" and "out of order" in e.message
    assert e.line == _line_of(text2, "time = 2022-03-31T00:00:00Z")


def test_separation_masses_do_not_add_up(tmp_path):
    p, text = _broken(tmp_path, DETACH, "mass_kg = 326699", "mass_kg = 336699")
    e = _err(p)
    assert e.field == "events[1].parts[1].mass_kg"
    assert e.line == _line_of(text, "mass_kg = 336699")
    assert "add up to 429,725 kg" in e.message and "419,725 kg" in e.message


def test_unknown_part_to_follow(tmp_path):
    p, text = _broken(tmp_path, DETACH, 'follow = "us-segment"', 'follow = "us-segmnt"')
    e = _err(p)
    assert e.field == "events[1].follow" and "did you mean 'us-segment'" in e.message
    assert e.line == _line_of(text, 'follow = "us-segmnt"')


def test_reboost_target_below_trigger(tmp_path):
    p, text = _broken(tmp_path, DETACH, "target_alt_km = 418.0", "target_alt_km = 400")
    e = _err(p)
    assert e.field == "events[0].target_alt_km" and "above the trigger" in e.message
    assert e.line == _line_of(text, "target_alt_km = 400")


def test_quote_not_in_seed(tmp_path):
    p, text = _broken(tmp_path, LOSS, 'quote = "If you block cooperation with us, who will save',
                      'quote = "If you block cooperation with us, who will rescue')
    e = _err(p)
    assert e.field == "source.quote" and "verbatim" in e.message
    assert e.line == _line_of(text, "who will rescue")


def test_unknown_event_type(tmp_path):
    p, text = _broken(tmp_path, LOSS, 'type = "end_reboosts"', 'type = "end_reboost"')
    e = _err(p)
    assert e.field == "events[0].type" and "did you mean 'end_reboosts'" in e.message


def test_unknown_solar_profile(tmp_path):
    p, text = _broken(tmp_path, LOSS, 'profile = "observed"', 'profile = "medium"')
    e = _err(p)
    assert e.field == "solar.profile" and "observed, low, nominal, high" in e.message


def test_bad_toml_reports_line(tmp_path):
    p, text = _broken(tmp_path, LOSS, "mass_kg = 419725", "mass_kg = = 419725")
    e = _err(p)
    assert e.line == _line_of(text, "mass_kg = = 419725") and "not valid TOML" in e.message


def test_line_index_arrays_of_tables():
    text = DETACH.read_text()
    ix = S.LineIndex(text)
    assert ix.line("events[1].parts[1].mass_kg") == _line_of(text, "mass_kg = 326699")
    assert ix.line("events[1].parts[0].label") == _line_of(text, 'label = "russian-segment"')
    assert ix.line("events[0].isp_s") == _line_of(text, "isp_s = 302", 0)
    assert ix.line("events[1]") == _line_of(text, "[[events]]", 1)


def test_cli_broken_field_exit_2_one_line_nothing_written(tmp_path):
    p, text = _broken(tmp_path, DETACH, "mass_kg = 326699", "mass_kg = 336699")
    out = tmp_path / "out"
    r = run_cli("run", p, "--out", out)
    assert r.returncode == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in r.stderr
    assert f"{p}:{_line_of(text, 'mass_kg = 336699')}: events[1].parts[1].mass_kg:" in err[0]
    assert not out.exists()


def test_cli_directory_validates_all_before_running(tmp_path):
    good = (SCEN / "nominal-2022.toml").read_text()
    (tmp_path / "a.toml").write_text(good)
    (tmp_path / "b.toml").write_text(good.replace("horizon_days = 59", "horizon_days = -1"))
    out = tmp_path / "out"
    r = run_cli("run", tmp_path, "--out", out)
    assert r.returncode == 2
    assert "b.toml:" in r.stderr and "horizon_days: must be positive" in r.stderr
    assert not out.exists()


def test_to_dict_echoes_inputs():
    sc = S.load(DETACH)
    d = sc.to_dict()
    assert d["spacecraft"]["mass_kg"] == 419725
    assert d["events"][1]["parts"][0]["label"] == "russian-segment"
    assert d["source"]["quote"].startswith("a strange")
    assert d["start"].isoformat().startswith("2022-03-01")

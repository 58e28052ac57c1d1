"""Checkers: verdict rules, unit mix-ups named, facts, every claim of seeds/claims.toml."""

import datetime as dt
import math

import pytest

from conftest import one_km
from orbitsim.checkers import (VERDICTS, CannotCheck, Context, check, check_all, facts, grade)
from orbitsim.claims import Article, Claim, load_claims
from orbitsim.constants import MU_EARTH_M3_S2

MODEL_CHECKS = {"reentry", "debris_fall", "risk_share"}       # need scenario results
ORBIT_CHECKS = {"altitude", "speed", "max_latitude"}          # need elements + propagation


def claim(check, date="2022-03-08", **params):
    when = dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc)
    art = Article("<test>", None, when, outlet="test")
    return Claim("t", "<test>", "test", "test", check, params, art)


@pytest.fixture(scope="module")
def ctx():
    return Context()


@pytest.fixture(scope="module")
def all_verdicts():
    cs = load_claims()
    return cs, check_all(cs.claims, Context())


# --- grading rules --------------------------------------------------------------------------

def test_grade_thresholds():
    assert grade(99, 101, 100, 100) == ("true", 0.0)
    assert grade(105, 105, 100, 100)[0] == "mostly true"       # 5 % off
    assert grade(120, 120, 100, 100)[0] == "misleading"        # 20 % off
    assert grade(150, 150, 100, 100)[0] == "false"             # 50 % off
    assert grade(80, 80, 100, 100)[1] == pytest.approx(-0.2)


# --- numbers against independent references -----------------------------------------------

def test_speed_matches_vis_viva(ctx):
    v = check(claim("speed", value=17500.0, unit="mph"), ctx)
    el = ctx.track(dt.datetime(2022, 3, 8, tzinfo=dt.timezone.utc)).elements
    a = el.semi_major_axis_km * one_km
    v_circ = math.sqrt(MU_EARTH_M3_S2 / a)        # vis-viva, r = a
    assert v.data["computed_min_m_s"] <= v_circ * 1.003
    assert v.data["computed_max_m_s"] >= v_circ * 0.997
    # 17,500 mph = 7,823 m/s is ~2 % above the ISS's ~7.66 km/s: mostly true, not true
    assert v.verdict == "mostly true"
    assert "km/s" in v.computed and v.evidence


def test_altitude_bounds_the_mean_altitude(ctx):
    v = check(claim("altitude", value=420.0, unit="km"), ctx)
    el = ctx.track(dt.datetime(2022, 3, 8, tzinfo=dt.timezone.utc)).elements
    assert v.data["computed_min_km"] < el.mean_altitude_km + 25
    assert v.data["computed_max_km"] > el.mean_altitude_km - 25
    assert v.verdict == "true"


def test_227_miles_is_a_nautical_statute_mixup(ctx):
    v = check(claim("altitude", value=227.0, unit="mi"), ctx)
    assert v.verdict == "misleading"
    assert "UNIT MIX-UP" in v.why and "nautical miles" in v.why and "statute" in v.why


def test_unit_given_nowhere(ctx):
    v = check(claim("altitude", value=224.0, unit="unspecified"), ctx)
    assert v.verdict == "misleading" and "No unit given" in v.why and "nautical" in v.why


def test_mph_kmh_mixup(ctx):
    v = check(claim("speed", value=27600.0, unit="mph"), ctx)
    assert v.verdict == "misleading" and "km/h" in v.why and "MIX-UP" in v.why


def test_mass_500_tonnes_vs_nasa():
    iss_kg = facts()["iss_mass"]["value"]
    assert iss_kg == pytest.approx(925_335 * 0.45359237, abs=1)   # NASA's 925,335 lb
    v = check(claim("mass", value=500.0, unit="t"), Context())
    assert v.verdict == "misleading"
    assert f"{(500_000 / iss_kg - 1):.1%}" in v.why                 # 19.1 % too high
    assert "short tons" in v.why and "462.7" in v.why


def test_metric_vs_short_tons_named():
    # 420 "short tons" is the ISS's mass in metric tonnes: the mix-up is named
    v = check(claim("mass", value=420.0, unit="short_ton"), Context())
    assert v.verdict == "misleading" and "MIX-UP" in v.why and "tonnes" in v.why


# --- durations, dates, facts --------------------------------------------------------------

def test_durations_from_the_facts_table():
    soyuz_years = (dt.date(2020, 5, 30) - dt.date(2011, 7, 21)).days / 365.25
    v = check(claim("duration", fact="soyuz_only_period", value=9.0, unit="year",
                    qualifier="about"), Context())
    assert v.verdict == "true" and f"{soyuz_years:.2f}" in v.computed
    v = check(claim("duration", fact="soyuz_only_period", value=1.0, unit="decade",
                    qualifier="nearly"), Context())
    assert v.verdict == "true"
    v = check(claim("duration", fact="soyuz_only_period", value=5.0, unit="year",
                    qualifier="about"), Context())
    assert v.verdict == "false"
    v = check(claim("duration", fact="kelly_year_in_space", value=1.0, unit="year",
                    qualifier="about"), Context())
    assert v.verdict == "mostly true"                              # 340 d vs 365.25 d


def test_dates_and_counts():
    assert check(claim("date", fact="zarya_launch", relation="in", claimed=1998)).verdict == "true"
    assert check(claim("date", fact="zarya_launch", relation="in", claimed=1999)).verdict == "false"
    assert check(claim("date", fact="soyuz_only_period", relation="within",
                       claimed=2014)).verdict == "true"
    assert check(claim("date", fact="soyuz_only_period", relation="within",
                       claimed=2021)).verdict == "false"
    v = check(claim("fact", facts=["crew_feb_mar_2022_nasa"], values=[3]))
    assert v.verdict == "false" and "WRONG" in v.why
    v = check(claim("fact", facts=["no_such_fact"], values=[3]))
    assert v.verdict == "cannot check" and "no fact 'no_such_fact'" in v.why


def test_facts_table_is_cited():
    for name, f in facts().items():
        assert f.get("source"), name
        assert f["kind"] in ("quantity", "date", "count", "text", "period"), name


# --- model-based checks ---------------------------------------------------------------------

class FakeScenarios(Context):
    """Scenario results supplied by the test (verdict logic only; no numbers asserted)."""

    def __init__(self, results):
        super().__init__()
        self.results = results

    def scenario(self, name):
        if name not in self.results:
            raise CannotCheck(f"no {name}")
        return self.results[name]


def _risk(russia):
    row = lambda p: {"probability": p, "p_any": min(1.0, 5 * p), "share_of_risk": p}  # noqa: E731
    comp = {"Russia": row(russia), "United States": row(0.05), "Europe": row(0.02),
            "India": row(0.06), "China": row(0.08)}
    return {"risk": {"comparison": comp, "regions": {}, "countries": [], "members": 10,
                     "ocean_probability": 0.7}}


def test_risk_share_and_debris_fall_logic():
    with_russia = FakeScenarios({"uncontrolled-deorbit-500t": _risk(0.04)})
    assert check(claim("risk_share", places=["Russia"], share=0.0, relation="eq"),
                 with_russia).verdict == "false"
    v = check(claim("debris_fall", places=["United States", "Europe"]), with_russia)
    assert v.verdict == "true" and "Russia" in v.why
    tiny = FakeScenarios({"uncontrolled-deorbit-500t": _risk(0.001)})
    v = check(claim("risk_share", places=["Russia"], share=0.0, relation="eq"), tiny)
    assert v.verdict == "mostly true" and "not zero" in v.why
    no_russia = FakeScenarios({"uncontrolled-deorbit-500t": _risk(0.0)})
    assert check(claim("risk_share", places=["Russia"], share=0.0, relation="eq"),
                 no_russia).verdict == "true"
    assert check(claim("debris_fall", places=["India", "China"]), no_russia).verdict == "true"


def test_skipped_risk_result_cannot_check():
    """A risk section skipped by a shortened horizon is no evidence of zero risk."""
    skipped = FakeScenarios({"uncontrolled-deorbit-500t": {"risk": {
        "status": "skipped", "reason": "no reentry within the horizon"}}})
    v = check(claim("risk_share", places=["Russia"], share=0.0, relation="eq"), skipped)
    assert v.verdict == "cannot check" and "no reentry within the horizon" in v.why


def test_missing_scenarios_cannot_check_with_reason():
    v = check(claim("debris_fall", places=["India"]), Context())
    assert v.verdict == "cannot check" and "scenario" in v.why
    v = check(claim("reentry"), FakeScenarios({}))
    assert v.verdict == "cannot check" and "progress-reboost-loss" in v.why


def test_overflight_russia_and_cities(ctx):
    v = check(claim("overflight", place="Russia", flies=False), ctx)
    assert v.verdict == "false" and v.data["passes"] >= 1
    assert check(claim("overflight", place="Russian Federation", flies=False), ctx).verdict == "false"
    # Moscow (55.8 N) lies north of the highest latitude the ISS reaches (~51.8 N)
    assert check(claim("overflight", place="Moscow", flies=False), ctx).verdict == "true"
    v = check(claim("overflight", place="Atlantis", flies=True), ctx)
    assert v.verdict == "cannot check" and "unknown place" in v.why


# --- the whole claims file ------------------------------------------------------------------

def test_every_claim_gets_a_verdict_with_evidence(all_verdicts):
    cs, verdicts = all_verdicts
    assert [v.claim_id for v in verdicts] == [c.id for c in cs.claims]
    for c, v in zip(cs.claims, verdicts):
        assert v.verdict in VERDICTS
        assert v.sources, c.id
        if c.check == "none":
            assert v.verdict == "cannot check" and v.why == c.reason
            continue
        if v.verdict == "cannot check":
            # only for capabilities that need scenario results (none given here)
            assert c.check in MODEL_CHECKS, (c.id, v.why)
            assert v.why.startswith("cannot check:")
            continue
        assert v.evidence, c.id
        assert v.computed and v.claimed and v.tolerance and v.why, c.id


def test_headline_verdicts(all_verdicts):
    cs, verdicts = all_verdicts
    by = {v.claim_id: v for v in verdicts}
    assert by["a003-500-ton"].verdict == "misleading"
    assert by["a004-227-miles"].verdict == "misleading"
    assert by["a004-420-km"].verdict == "true"
    assert by["a001-coleman-after-shuttle"].verdict == "false"
    assert by["a003-not-over-russia"].verdict == "false"


def test_verdicts_are_deterministic(all_verdicts):
    cs, first = all_verdicts
    again = check_all(cs.claims, Context())
    assert [v.to_json() for v in again] == [v.to_json() for v in first]


def test_highest_latitude_is_geodetic(ctx):
    """The geodetic turning latitude exceeds the inclination (WGS 84): analytic reference."""
    tr = ctx.track(dt.datetime(2022, 3, 8, tzinfo=dt.timezone.utc))
    i = math.radians(tr.elements.inclination_deg)
    e2 = 6.69437999014e-3                   # WGS 84 first eccentricity^2
    # geocentric latitude of the vertex = i; geodetic = atan(tan(i) / (1 - e2)) at the surface,
    # slightly less at 420 km altitude: bracket it
    geodetic_surface = math.degrees(math.atan(math.tan(i) / (1 - e2)))
    v = check(claim("max_latitude", value=51.8), ctx)
    assert tr.elements.inclination_deg < v.data["max_lat_deg"] < geodetic_surface + 0.01
    assert v.verdict == "true"
    assert check(claim("max_latitude", value=60.0), ctx).verdict in ("misleading", "false")


def test_reentry_logic():
    def res(epoch, life):
        return {"progress-reboost-loss": {
            "inputs": {"start": "2022-03-01T00:00:00Z"},
            "main": {"reentry_epoch_utc": epoch, "lifetime_days": life,
                     "end_utc": "2028-01-01T00:00:00Z" if epoch is None else epoch}}}
    came_down = FakeScenarios(res("2023-07-22T23:43:25Z", 508.0))
    assert check(claim("reentry"), came_down).verdict == "true"
    assert check(claim("reentry", within_value=2.0, within_unit="year"), came_down).verdict == "true"
    v = check(claim("reentry", within_value=3.0, within_unit="month"), came_down)
    assert v.verdict in ("false", "misleading") and "508 days" in v.why
    never = FakeScenarios(res(None, None))
    assert check(claim("reentry"), never).verdict == "cannot check"
    assert check(claim("reentry", within_value=1.0, within_unit="year"), never).verdict == "false"

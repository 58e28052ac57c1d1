"""Monte Carlo: probabilities sum to 1, seeded reproducibility independent of chunking,
Dask (local two-worker cluster) identical to local, confidence intervals vs published
Wilson values and the normal standard error, decay-result inputs, bad input."""

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np
import pytest

from orbitsim.errors import InputError
from orbitsim.debris import FinalOrbit, ReentryTimes, risk
from orbitsim.debris.montecarlo import (BLOCK, Plan, bootstrap_mean_ci, connect, run,
                                      simulate_block, wilson)
from orbitsim.debris import Footprint

UTC = dt.timezone.utc
T0 = dt.datetime(2022, 3, 1, tzinfo=UTC)
ORBIT = FinalOrbit(51.64, 30.0, 0.0, T0, 5300.0)
TIMES = ReentryTimes(T0 + dt.timedelta(days=120), T0)


def _plan(members, seed=1):
    return Plan(ORBIT, TIMES, Footprint(), 5000.0, (0.4, 1.6), members, 32, seed)


def test_probabilities_sum_to_one_and_regions_are_consistent():
    r = risk(orbit=ORBIT, reentry=TIMES, members=800, seed=2)
    total = sum(c["probability"] for c in r.countries) + r.ocean["probability"]
    assert total == pytest.approx(1.0, abs=1e-12)
    assert r.probability_grid.sum() == pytest.approx(1.0, abs=1e-12)
    assert 0.6 < r.ocean["probability"] < 0.85       # ~71 % of the Earth is ocean
    eu = r.regions["EU"]["probability"]
    assert eu == pytest.approx(sum(r.country(c)["probability"] for c in
                                   ("FRA", "DEU", "ITA", "ESP", "POL", "ROU", "NLD", "BEL", "CZE",
                                    "GRC", "PRT", "SWE", "HUN", "AUT", "BGR", "DNK", "FIN", "SVK",
                                    "IRL", "HRV", "LTU", "SVN", "LVA", "EST", "CYP", "LUX", "MLT")),
                               abs=1e-12)
    ex = r.regions["Europe without Russia"]["probability"]
    assert ex == pytest.approx(r.regions["Europe"]["probability"] - r.country("RUS")["probability"],
                               abs=1e-12)
    assert set(r.comparison) >= {"Russia", "United States", "Europe without Russia", "India",
                                 "China"}
    shares = sum(c["share_of_risk"] for c in r.countries) + r.ocean["share_of_risk"]
    assert shares == pytest.approx(1.0, abs=1e-9)


def test_same_seed_same_result_different_seed_different():
    a = run(_plan(600, seed=4))
    b = run(_plan(600, seed=4))
    c = run(_plan(600, seed=5))
    ca = np.concatenate([x.counts for x in a])
    assert np.array_equal(ca, np.concatenate([x.counts for x in b]))
    assert not np.array_equal(ca, np.concatenate([x.counts for x in c]))


def test_members_do_not_depend_on_the_total_or_the_chunking():
    """Member i is the same whether 600 or 1100 members are run, and whether the blocks
    run in order or reversed (each block has its own spawned seed)."""
    small = run(_plan(600))
    big = run(_plan(1100))
    cs = np.concatenate([x.casualties for x in small])
    cb = np.concatenate([x.casualties for x in big])
    assert np.array_equal(cs, cb[:600])
    plan = _plan(1100)
    rev = [simulate_block(plan, b) for b in reversed(range(plan.n_blocks))][::-1]
    assert np.array_equal(np.concatenate([x.casualties for x in rev]), cb)
    assert plan.n_blocks == math.ceil(1100 / BLOCK)


def test_dask_two_worker_cluster_gives_identical_results():
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = risk(orbit=ORBIT, reentry=TIMES, members=900, seed=8, scheduler=client)
        remote_addr = risk(orbit=ORBIT, reentry=TIMES, members=300, seed=8,
                           scheduler=cluster.scheduler_address)
        workers = len(client.scheduler_info()["workers"])
    assert workers == 2
    local = risk(orbit=ORBIT, reentry=TIMES, members=900, seed=8)
    assert remote.to_json() == local.to_json()
    assert np.array_equal(remote.probability_grid, local.probability_grid)
    assert np.array_equal(remote.casualties_per_member, local.casualties_per_member)
    local300 = risk(orbit=ORBIT, reentry=TIMES, members=300, seed=8)
    assert remote_addr.to_json() == local300.to_json()


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not-an-address", "http://x:1"])
def test_unreachable_or_malformed_scheduler_is_an_input_error(address):
    with pytest.raises(InputError) as e:
        connect(address, timeout_s=2.0)
    assert e.value.field == "scheduler"


def test_wilson_interval_matches_published_values():
    """Newcombe (1998, Stat. Med. 17:857), Table I, Wilson score method: 81/263 ->
    0.2553-0.3662; 0/10 -> 0.0000-0.2775; 15/148 -> 0.0624-0.1605."""
    lo, hi = wilson(np.array([81, 0, 15]), np.array([263, 10, 148]))
    assert np.allclose(lo, [0.2553, 0.0, 0.0624], atol=1e-4)
    assert np.allclose(hi, [0.3662, 0.2775, 0.1605], atol=1e-4)


def test_bootstrap_ci_width_matches_the_standard_error():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(4000, 1))
    lo, hi = bootstrap_mean_ci(x, seed=1, n_boot=1000)
    width = 2 * 1.959964 * 2.0 / math.sqrt(4000)
    assert (hi - lo)[0] == pytest.approx(width, rel=0.15)
    assert lo[0] < x.mean() < hi[0]


def test_lifetime_model_spreads_epochs_by_about_eighteen_percent():
    rng = np.random.default_rng(0)
    t, fb, fr, phase = TIMES.sample_s(rng, 20000)
    life = 120 * 86400.0
    t0 = (np.datetime64("2022-03-01T00:00", "us") - np.datetime64("2000-01-01T12:00", "us")
          ).astype(float) / 1e6
    rel = (t - t0) / life
    # L / (f_B f_rho) with log-normal factors: log(rel) ~ N(0, sqrt(0.10^2 + 0.15^2))
    assert np.std(np.log(rel)) == pytest.approx(math.hypot(0.10, 0.15), rel=0.03)
    assert np.median(rel) == pytest.approx(1.0, abs=0.01)
    assert np.std(phase) == pytest.approx(TIMES.spread_s, rel=0.03)


def test_decay_result_and_ensemble_inputs():
    """A DecayResult-like object: final orbit + reentry epoch; the uncertainty starts at
    the last burn (a deorbit burn); an ensemble's epochs are bootstrapped."""
    end = dt.datetime(2022, 6, 1, tzinfo=UTC)
    burn = SimpleNamespace(time=end - dt.timedelta(hours=2), dv_m_s=-60.0)
    res = SimpleNamespace(final_orbit=dict(inclination_deg=51.6, raan_deg=10.0, arg_lat_deg=0.0,
                                           epoch=end, period_s=5300.0),
                          reentry_epoch=end, time_utc=np.array([np.datetime64("2022-03-01")]),
                          burns=[burn])
    r = risk(res, members=300, seed=1)
    assert r.reentry.predicted_at == np.datetime64("2022-06-01T00:00") - np.timedelta64(2, "h")
    # the lifetime spread applies to the 2 h after the burn, not to the 92 days of the run
    rel = (r.reentry_epochs - r.reentry.predicted_at).astype(float) / 1e6 / 7200.0
    assert np.std(np.log(rel)) == pytest.approx(math.hypot(0.10, 0.15), rel=0.15)
    # a deorbit burn makes it a targeted reentry: only a 60 s timing error
    res.burns = [{"time": np.datetime64("2022-05-31T23:00"), "kind": "deorbit", "dv_m_s": 60.0}]
    r = risk(res, members=300, seed=1)
    assert r.reentry.sigma_s == 60.0 and r.reentry.sigma_bc_rel == 0.0
    assert np.abs((r.reentry_epochs - np.datetime64("2022-06-01T00:00")).astype(float)).max() \
        < 5 * 60 * 1e6
    ens = SimpleNamespace(reentry_epochs=[end, end + dt.timedelta(days=1)])
    r2 = risk(ens, orbit=FinalOrbit(51.6, 10.0, 0.0, end, 5300.0), members=300, seed=1)
    days = set(np.unique(r2.reentry_epochs.astype("datetime64[D]")))
    assert days <= {np.datetime64("2022-06-01"), np.datetime64("2022-06-02")}
    with pytest.raises(InputError, match="did not reenter"):
        ReentryTimes.from_samples([end, np.datetime64("NaT")])


@pytest.mark.parametrize("kw", [{"members": 0}, {"members": -5}, {"members": 2.5},
                                {"seed": -1}, {"points_per_member": 0}])
def test_bad_monte_carlo_settings(kw):
    args = dict(orbit=ORBIT, reentry=TIMES, members=10)
    args.update(kw)
    with pytest.raises(InputError):
        risk(**args)


def test_missing_reentry_window_is_an_input_error():
    with pytest.raises(InputError, match="reentry"):
        risk(orbit=ORBIT, members=10)
    with pytest.raises(InputError):
        ReentryTimes(T0, T0 + dt.timedelta(days=1))         # reentry before prediction
    with pytest.raises(InputError):
        ReentryTimes(T0 + dt.timedelta(days=9), T0, sigma_bc_rel=-0.1)

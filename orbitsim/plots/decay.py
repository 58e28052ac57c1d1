"""Decay figures: altitude and decay rate against time.

:func:`plot_decay` draws, from a :class:`orbitsim.reentry.DecayResult`:

* top: mean, perigee and apogee altitude (km) against time, reboosts and other
  burns marked, the reentry epoch, the ensemble window (solar profiles x
  Cd*A/m) shaded and the +-20 %-of-remaining-lifetime bound outlined;
* bottom: decay rate -da/dt (m/day, log scale) with the F10.7 used (observed
  F10.7 of the previous day, sfu) on a twin axis.

Written atomically through :func:`orbitsim.io.save_figure` (PNG or SVG).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .. import io  # noqa: E402
from ..errors import InputError  # noqa: E402
from ..timeutil import to_datetime64  # noqa: E402

__all__ = ["plot_decay"]


def _dt64(x):
    return np.datetime64(to_datetime64(x), "ms").astype("datetime64[ms]").astype(object)


def plot_decay(result, path, *, title: str | None = None) -> None:
    """Altitude and decay-rate figure of ``result`` written to ``path`` (.png/.svg)."""
    suffix = str(path).lower().rsplit(".", 1)[-1]
    if suffix not in ("png", "svg"):
        raise InputError(f"plot must be .png or .svg, got {path!s}", field="plot")
    t = np.asarray(result.time_utc, dtype="datetime64[ms]").astype(object)
    if len(t) == 0:
        raise InputError("nothing to plot: empty time series", field="plot")
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True,
                                   gridspec_kw={"height_ratios": [3, 2]})
    ax1.plot(t, result.apogee_alt_km, color="#95a5a6", lw=0.8, label="apogee")
    ax1.plot(t, result.perigee_alt_km, color="#7f8c8d", lw=0.8, label="perigee")
    ax1.plot(t, result.mean_alt_km, color="#1f4e79", lw=1.6, label="mean (a - R_eq)")
    if result.window_20pct_utc is not None:
        w0, w1 = (_dt64(x) for x in result.window_20pct_utc)
        ax1.axvspan(w0, w1, facecolor="none", edgecolor="#c0392b", hatch="//", lw=0.0,
                    alpha=0.35, label="±20 % of remaining lifetime")
    if result.window_utc is not None:
        w0, w1 = (_dt64(x) for x in result.window_utc)
        ax1.axvspan(w0, w1, color="#f39c12", alpha=0.18,
                    label="window: solar low/nominal/high × Cd·A/m ±1σ")
    if result.reentry_epoch is not None:
        re = _dt64(result.reentry_epoch)
        for ax in (ax1, ax2):
            ax.axvline(re, color="#c0392b", lw=1.2)
        ax1.annotate(f"reentry {result.reentry_epoch:%Y-%m-%d %H:%M} UTC\n"
                     f"({result.reentry_lat_deg:.1f}°, {result.reentry_lon_deg:.1f}°)",
                     xy=(re, result.reentry_alt_km), xytext=(-8, 30),
                     textcoords="offset points", ha="right", fontsize=8, color="#c0392b")
    kinds = {"reboost": ("^", "#27ae60"), "burn": ("^", "#8e44ad"), "deorbit": ("v", "#c0392b"),
             "config": ("s", "#2c3e50")}
    seen = set()
    for b in result.burns:
        marker, color = kinds.get(b["kind"], ("o", "k"))
        y = b.get("alt_after_km", None)
        if y is None:
            y = float(np.interp(np.datetime64(b["time"], "ms").astype(np.int64),
                                np.asarray(result.time_utc, "datetime64[ms]").astype(np.int64),
                                result.mean_alt_km))
        lab = None if b["kind"] in seen else b["kind"]
        seen.add(b["kind"])
        ax1.plot([np.datetime64(b["time"], "ms").astype(object)], [float(np.ravel(y)[0])],
                 marker=marker, color=color, ms=5, ls="none", label=lab)
    ax1.set_ylabel("altitude above R_eq [km]")
    ax1.grid(alpha=0.3)
    ax1.legend(loc="lower left", fontsize=8, ncol=2)
    ttl = title or (f"Orbital decay: Cd·A/m = {result.ballistic_coefficient_m2_kg:.5f} ± "
                    f"{result.ballistic_coefficient_sigma_m2_kg:.5f} m²/kg ({result.bc_method}), "
                    f"solar {result.solar}")
    ax1.set_title(ttl, fontsize=10)

    rate = np.asarray(result.decay_rate_m_day, float)
    pos = rate > 0
    ax2.semilogy(np.asarray(t)[pos], rate[pos], color="#1f4e79", lw=1.2,
                 label="decay rate -da/dt")
    ax2.set_ylabel("decay rate [m/day]", color="#1f4e79")
    ax2.grid(alpha=0.3, which="both")
    f107 = np.asarray(result.f107, float)
    if np.any(np.isfinite(f107)):
        ax3 = ax2.twinx()
        ax3.plot(t, f107, color="#e67e22", lw=0.8, alpha=0.9, label="F10.7 (prev. day)")
        ax3.set_ylabel("F10.7 [sfu]", color="#e67e22")
        lines = [ln for ln in ax2.get_lines() + ax3.get_lines()
                 if not ln.get_label().startswith("_")]
        ax2.legend(lines, [ln.get_label() for ln in lines], loc="upper left", fontsize=8)
    # show the decay itself: from the start to a little past the +-20 % bound; a
    # window reaching further (e.g. 11 years of ECSS low activity) is written out
    t0, t1 = t[0], t[-1]
    if result.window_20pct_utc is not None:
        t1 = max(t1, _dt64(result.window_20pct_utc[1]))
    pad = (t1 - t0) * 0.03
    ax2.set_xlim(t0 - pad, t1 + pad)
    if result.window_utc is not None:
        w0, w1 = result.window_utc
        if _dt64(w1) > t1 + pad or _dt64(w0) < t0 - pad:
            ax1.text(0.99, 0.97, f"window {w0:%Y-%m-%d} .. {w1:%Y-%m-%d}", ha="right", va="top",
                     transform=ax1.transAxes, fontsize=8, color="#b9770e")
    if np.any(pos):
        ph = np.asarray(result.phase)
        ref = rate[pos & (ph == "averaged")] if np.any(pos & (ph == "averaged")) else rate[pos]
        ax2.set_ylim(max(ref.min() * 0.5, 1e-3), ref.max() * 50.0)
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax2.xaxis.get_major_locator()))
    ax2.set_xlabel("UTC")
    fig.tight_layout()
    try:
        io.save_figure(fig, path)
    finally:
        plt.close(fig)

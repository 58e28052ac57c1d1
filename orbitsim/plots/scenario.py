"""Figures for scenario runs: several decay curves on one plot, decay rate, two ground tracks.

Agg backend, PNG written through :func:`orbitsim.io.save_figure` (atomic).
PNG output carries no date, so the same run gives the same bytes.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .. import io  # noqa: E402
from ..constants import OMEGA_EARTH_RAD_S  # noqa: E402
from .groundtrack import SEA_COLOR, draw_countries  # noqa: E402

_COLORS = ["#1f4e79", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#7f8c8d", "#16a085"]


def _dt(t):
    return np.asarray(t, dtype="datetime64[us]").astype("datetime64[ms]").astype(object)


def _save(fig, path):
    # Fixed metadata: no software/version string that could change between otherwise equal runs.
    path = str(path)
    with io.atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight",
                    metadata={"Software": None})
    plt.close(fig)


def plot_altitudes(curves, path, *, title=None, reentry_alt_km=80.0, markers=()):
    """Mean altitude (km) versus time for several decay results ``[(label, DecayResult), ...]``.

    Reentry epochs (at ``reentry_alt_km``) are marked with a cross; ``markers`` are
    ``(ISO time, label)`` pairs drawn as dashed vertical lines.
    """
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for i, (label, res) in enumerate(curves):
        c = _COLORS[i % len(_COLORS)]
        t = _dt(res.time_utc)
        ax.plot(t, np.asarray(res.mean_alt_km, float), color=c, lw=1.4, label=label)
        re = getattr(res, "reentry_epoch", None)
        if re is not None:
            ax.plot([np.datetime64(re.replace(tzinfo=None), "ms").astype(object)
                     if hasattr(re, "tzinfo") else _dt(re)], [reentry_alt_km], marker="x",
                    color=c, ms=9, mew=2)
    for k, (when, label) in enumerate(markers):
        x = np.datetime64(str(when).rstrip("Z"), "ms").astype(object)
        ax.axvline(x, color="#555555", ls="--", lw=1.0)
        ax.annotate(label, (x, 0.97 - 0.07 * k), xycoords=("data", "axes fraction"),
                    fontsize=8, ha="right", va="top", rotation=0, color="#333333",
                    xytext=(-4, 0), textcoords="offset points")
    ax.set_ylabel("mean altitude (km, a - R_eq)")
    ax.set_xlabel("UTC")
    ax.grid(alpha=0.3)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=9)
    _save(fig, path)


def plot_decay_rate(res, path, *, title=None):
    """Decay rate (m/day) of one run with F10.7 (sfu) on a twin axis."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    t = _dt(res.time_utc)
    rate = getattr(res, "decay_rate_m_day", None)
    if rate is not None:
        ax.plot(t, np.asarray(rate, float), color=_COLORS[0], lw=1.2, label="decay rate")
    ax.set_ylabel("decay rate (m/day)", color=_COLORS[0])
    ax.grid(alpha=0.3)
    f107 = getattr(res, "f107", None)
    if f107 is not None and np.size(f107) == np.size(t):
        ax2 = ax.twinx()
        ax2.plot(t, np.asarray(f107, float), color=_COLORS[4], lw=0.9, alpha=0.8)
        ax2.set_ylabel("F10.7 (sfu)", color=_COLORS[4])
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    if title:
        ax.set_title(title)
    _save(fig, path)


def _break_antimeridian(lon, lat):
    lon = np.asarray(lon, float).copy()
    lat = np.asarray(lat, float).copy()
    jumps = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0]
    return np.insert(lon, jumps + 1, np.nan), np.insert(lat, jumps + 1, np.nan)


def plot_two_tracks(track, lag_s, path, *, labels=("leader", "follower"), start=None,
                    hours=3.0, title=None):
    """Ground tracks of two objects on the same orbit, the second ``lag_s`` seconds behind.

    The follower's Earth-fixed position at t is the leader's at t - lag_s, with the longitude
    moved west by omega_E * lag_s (the Earth turned meanwhile). *track* must start at least
    ``|lag_s|`` before *start* (an orbitsim.propagate.Track).
    """
    t = np.asarray(track.time_utc, dtype="datetime64[us]")
    lat = np.asarray(track.lat_deg, float)
    lon = np.asarray(track.lon_deg, float)
    t0 = np.datetime64(start.replace(tzinfo=None), "us") if start is not None else t[0]
    t1 = t0 + np.timedelta64(int(hours * 3600e6), "us")
    sel = (t >= t0) & (t <= t1)
    secs = (t - t[0]).astype(np.int64) / 1e6
    want = secs[sel] - lag_s
    lat_b = np.interp(want, secs, lat)
    lon_unw = np.degrees(np.unwrap(np.radians(lon)))
    lon_b = np.interp(want, secs, lon_unw) - np.degrees(OMEGA_EARTH_RAD_S * lag_s)
    lon_b = (lon_b + 180.0) % 360.0 - 180.0

    fig, ax = plt.subplots(figsize=(10, 5.2))
    ax.set_facecolor(SEA_COLOR)
    draw_countries(ax)
    for (lo, la), lab, c, ls in (((lon[sel], lat[sel]), labels[0], _COLORS[0], "-"),
                                 ((lon_b, lat_b), labels[1], _COLORS[1], "--")):
        x, y = _break_antimeridian(lo, la)
        ax.plot(x, y, color=c, lw=1.6, ls=ls, zorder=3,
                label=f"{lab} (dot: position at the start)")
        ax.plot(lo[:1], la[:1], "o", color=c, ms=7, zorder=4)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=9)
    if title:
        ax.set_title(title, fontsize=10)
    _save(fig, path)

"""Ground-track map: plate carrée world map with Natural Earth country outlines.

:func:`plot_ground_track` draws the sub-satellite track coloured by
sunlit/eclipse (lines broken at the antimeridian, where the crossing
latitude is interpolated so the track meets both map edges), shades the
latitude band the orbit can reach, fills a highlighted country or region,
and marks cities. Output format follows the file suffix (PNG or SVG),
written atomically through :func:`orbitsim.io.save_figure`.

Country outlines come from the same Natural Earth 10 m data as
:mod:`orbitsim.geography`, simplified for drawing (Douglas-Peucker,
0.03 deg, ~3 km: a PNG pixel is ~0.25 deg).
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402

from .. import geography, io  # noqa: E402
from ..errors import InputError  # noqa: E402

__all__ = ["plot_ground_track", "draw_countries", "track_segments"]

SUNLIT_COLOR = "#e67e22"
ECLIPSE_COLOR = "#1b2a49"
TRACK_COLOR = "#c0392b"
HIGHLIGHT_COLOR = "#f5b7b1"
BAND_COLOR = "#f7d774"
LAND_COLOR = "#e9e7df"
SEA_COLOR = "#e6eff7"
SIMPLIFY_DEG = 0.03


def _split(coords, index, n):
    """Coordinates with ring indices -> list of (k, 2) arrays, one per ring."""
    cuts = np.searchsorted(index, np.arange(1, n))
    return np.split(coords, cuts)


@functools.cache
def _country_paths(tolerance_deg: float = SIMPLIFY_DEG):
    """Simplified outlines for drawing: (exteriors, owner country index of
    each exterior, all rings), rings as (k, 2) lon/lat arrays."""
    geoms = np.array([c.geometry for c in geography.countries()], dtype=object)
    simple = shapely.simplify(geoms, tolerance_deg, preserve_topology=False)
    parts, owner = shapely.get_parts(simple, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    parts, owner = parts[keep], owner[keep]
    ext = shapely.get_exterior_ring(parts)
    co, ix = shapely.get_coordinates(ext, return_index=True)
    exteriors = _split(co, ix, len(ext))
    rings = shapely.get_rings(parts)
    co, ix = shapely.get_coordinates(rings, return_index=True)
    return exteriors, owner, _split(co, ix, len(rings))


def draw_countries(ax, *, highlight=None, land_color=LAND_COLOR, edge_color="#8a8a8a",
                   highlight_color=HIGHLIGHT_COLOR, lw=0.35):
    """Draw Natural Earth countries (lon/lat degrees) on *ax*: land filled,
    outlines, and the countries of *highlight* (a name, code, Country or
    Region) filled in *highlight_color*. Returns the highlighted place or None."""
    exteriors, owner, rings = _country_paths()
    hl = None if highlight is None else geography.place(highlight)
    is_hl = np.isin(owner, np.asarray(hl.indices if hl is not None else [], dtype=np.int64))
    land = [e for e, h in zip(exteriors, is_hl) if not h]
    ax.add_collection(PolyCollection(land, facecolors=land_color, edgecolors="none", zorder=1))
    if is_hl.any():
        hp = [e for e, h in zip(exteriors, is_hl) if h]
        ax.add_collection(PolyCollection(hp, facecolors=highlight_color, edgecolors="none",
                                         zorder=1.5, label=hl.name))
    ax.add_collection(LineCollection(rings, colors=edge_color, linewidths=lw, zorder=2))
    return hl


def track_segments(lon_deg, lat_deg):
    """Split a track into polylines that never jump across the map: where
    consecutive longitudes differ by more than 180 deg the track crosses the
    antimeridian; the crossing latitude is interpolated (on the unwrapped
    longitude) and each side ends on its map edge. Returns a list of
    (x, y) arrays and, for each, the index range ``(i0, i1)`` of the input
    points it covers.

    >>> segs = track_segments(np.array([170.0, 179.0, -179.0, -170.0]), np.array([0., 1., 2., 3.]))
    >>> [(x.tolist(), y.tolist()) for (x, y), _ in segs]
    [([170.0, 179.0, 180.0], [0.0, 1.0, 1.5]), ([-180.0, -179.0, -170.0], [1.5, 2.0, 3.0])]
    """
    lon = np.asarray(lon_deg, dtype=np.float64)
    lat = np.asarray(lat_deg, dtype=np.float64)
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    out = []
    start = 0
    prev_tail = None
    for j in list(jumps) + [len(lon) - 1]:
        x = lon[start:j + 1]
        y = lat[start:j + 1]
        if prev_tail is not None:
            x = np.concatenate(([prev_tail[0]], x))
            y = np.concatenate(([prev_tail[1]], y))
        if j < len(lon) - 1:
            x0, x1 = lon[j], lon[j + 1]
            edge = 180.0 if x0 > 0 else -180.0
            x1u = x1 + 360.0 if x0 > 0 else x1 - 360.0
            f = (edge - x0) / (x1u - x0)
            yc = lat[j] + f * (lat[j + 1] - lat[j])
            x = np.append(x, edge)
            y = np.append(y, yc)
            prev_tail = (-edge, yc)
        out.append(((x, y), (start, j)))
        start = j + 1
    return out


def _band_lat_deg(track) -> float:
    lat = np.asarray(track.lat_deg, dtype=np.float64)
    band = float(np.max(np.abs(lat)))
    r, v = getattr(track, "r_teme_km", None), getattr(track, "v_teme_km_s", None)
    if r is not None and v is not None and len(r) == len(lat):
        from ..overflights import orbit_max_lat_deg
        sec = (np.asarray(track.time_utc, "datetime64[us]")[-1]
               - np.asarray(track.time_utc, "datetime64[us]")[0]) / np.timedelta64(1, "s")
        r0, v0 = np.asarray(r[0], float), np.asarray(v[0], float)
        period_s = 2.0 * math.pi * np.dot(r0, r0) / np.linalg.norm(np.cross(r0, v0))
        if sec < period_s:
            band = max(band, float(orbit_max_lat_deg(r, v).max()))
    return band


def _colored_track(ax, lon, lat, sunlit, lw=1.4):
    """Track as line collections: sunlit / eclipse colours (or one colour)."""
    segs = track_segments(lon, lat)
    if sunlit is None:
        lines = [np.column_stack(xy) for xy, _ in segs]
        ax.add_collection(LineCollection(lines, colors=TRACK_COLOR, linewidths=lw, zorder=4,
                                         label="ground track"))
        return
    lit = np.asarray(sunlit, dtype=bool)
    lit_lines, dark_lines = [], []
    for (x, y), (i0, i1) in segs:
        # map the points of this polyline back to the input flags (edge points inherit
        # the neighbour's flag); split where the flag changes, sharing the boundary point
        flags = lit[i0:i1 + 1]
        if len(x) > len(flags):               # leading edge point from the previous piece
            flags = np.concatenate((lit[i0 - 1:i0] if i0 > 0 else flags[:1], flags))
        if len(x) > len(flags):               # trailing edge point
            flags = np.append(flags, flags[-1])
        change = np.flatnonzero(np.diff(flags.astype(np.int8)) != 0)
        bounds = [0, *(change + 1), len(x)]
        for a, b in zip(bounds[:-1], bounds[1:]):
            lo, hi = max(a - 1, 0), b          # overlap one point: no gaps at switches
            piece = np.column_stack((x[lo:hi], y[lo:hi]))
            if len(piece) >= 2:
                (lit_lines if flags[a] else dark_lines).append(piece)
    ax.add_collection(LineCollection(lit_lines, colors=SUNLIT_COLOR, linewidths=lw, zorder=4,
                                     label="track, sunlit"))
    ax.add_collection(LineCollection(dark_lines, colors=ECLIPSE_COLOR, linewidths=lw,
                                     zorder=4, label="track, in Earth's shadow"))


def plot_ground_track(track, path, *, highlight=None, title=None, band_lat_deg=None,
                      cities=None) -> Path:
    """Write a world map of *track* (:class:`orbitsim.propagate.Track`) to *path*.

    The format follows the suffix (``.png`` or ``.svg``). The track is
    coloured by ``track.sunlit`` (sunlit / Earth's shadow; one colour if
    ``None``) and broken at the antimeridian; the band ``|lat| <=
    band_lat_deg`` (default: the highest |latitude| of the track, or of the
    osculating orbit for windows shorter than one orbit) is shaded;
    *highlight* (country or region name/code, or a Country/Region) is
    filled; *cities* (objects with ``name``, ``lat_deg``, ``lon_deg``, e.g.
    :class:`orbitsim.cities.City` or overflight ``CityPass``, most important
    first) are marked, and labelled where the label does not overlap an
    earlier one. Returns the path written.
    """
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"plot must be .png or .svg, got {path.name!r}", field="plot")
    lat = np.asarray(track.lat_deg, dtype=np.float64)
    lon = np.asarray(track.lon_deg, dtype=np.float64)
    if lat.size < 2:
        raise InputError("the track needs at least two points to plot", field="track")
    band = _band_lat_deg(track) if band_lat_deg is None else float(band_lat_deg)

    fig, ax = plt.subplots(figsize=(12, 6.6))
    ax.set_facecolor(SEA_COLOR)
    hl = draw_countries(ax, highlight=highlight)
    ax.axhspan(-band, band, color=BAND_COLOR, alpha=0.5, lw=0, zorder=0.5,
               label=f"reachable band |lat| ≤ {band:.1f}°")
    for s in (-1, 1):
        ax.axhline(s * band, color="#b9770e", ls="--", lw=0.9, zorder=3)
    t = np.asarray(track.time_utc, dtype="datetime64[s]")
    hours = (t[-1] - t[0]) / np.timedelta64(1, "h")
    _colored_track(ax, lon, lat, getattr(track, "sunlit", None),
                   lw=1.6 if hours <= 6 else 1.0 if hours > 30 else 1.2)
    ax.plot(lon[:1], lat[:1], "o", color="k", ms=5, zorder=5, label="start")
    if cities:
        labelled = []
        for k, c in enumerate(cities):
            ax.plot(c.lon_deg, c.lat_deg, marker="*", color="#7b241c", ms=9, zorder=6,
                    mec="white", mew=0.5, ls="none", label="cities" if k == 0 else None)
            # label unless it would overlap an earlier (more important) label
            # (label box in degrees: ~1.8 deg of longitude per character at this size)
            box = (c.lon_deg, c.lon_deg + 2.0 + 1.8 * len(c.name), c.lat_deg, c.lat_deg + 5.0)
            if any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3]
                   for b in labelled):
                continue
            labelled.append(box)
            ax.annotate(c.name, (c.lon_deg, c.lat_deg), xytext=(4, 3),
                        textcoords="offset points", fontsize=8, zorder=6,
                        bbox=dict(fc="white", ec="none", alpha=0.7, pad=0.5))
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-90, 91, 30))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}°")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}°")
    ax.set_xlabel("longitude")
    ax.set_ylabel("geodetic latitude (WGS 84)")
    ax.grid(color="white", lw=0.5, alpha=0.8, zorder=0.6)
    if title is None:
        es = getattr(track, "elements", None)
        name = getattr(es, "name", None) or "satellite"
        title = (f"{name} ground track, {str(t[0]).replace('T', ' ')[:16]} UTC + {hours:g} h"
                 + (f" — {hl.name} highlighted" if hl is not None else ""))
    ax.set_title(title, fontsize=11)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    try:
        io.save_figure(fig, path)
    finally:
        plt.close(fig)
    return path

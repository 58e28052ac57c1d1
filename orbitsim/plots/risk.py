"""World heat map of debris impact probability with the reachable latitude band.

Agg backend; PNG through :func:`orbitsim.io.save_figure`-style atomic writing.
The map is equirectangular; land outlines are the 0.25-deg country raster of
the bundled population grid (no extra map data); probabilities are summed
into 1-deg cells and shown on a logarithmic colour scale.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .. import io  # noqa: E402
from ..debris.population import grid  # noqa: E402


def _ratio(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"


def _coarsen(a: np.ndarray, f: int) -> np.ndarray:
    n0, n1 = a.shape
    return a.reshape(n0 // f, f, n1 // f, f).sum(axis=(1, 3))


def plot_risk_map(result, path, *, title: str | None = None, cell_deg: float = 1.0) -> None:
    """Write the impact-probability map of a :class:`orbitsim.debris.RiskResult` to *path* (PNG).

    Colour: share of the debris per ``cell_deg`` x ``cell_deg`` cell (log scale);
    dashed lines: the reachable band |lat| <= ``result.band['max_abs_lat_deg']``;
    the text box lists the comparison countries and the ocean share.
    """
    g = grid()
    f = max(1, int(round(cell_deg / g.step_deg)))
    p = _coarsen(np.asarray(result.probability_grid, float), f)
    land = (g.country >= 0).astype(float)

    fig, ax = plt.subplots(figsize=(12, 6.2))
    extent = (-180, 180, -90, 90)
    pos = p[p > 0]
    if pos.size:
        vmin = max(pos.min(), pos.max() * 1e-4)
        masked = np.ma.masked_where(p <= 0, p)
        im = ax.imshow(masked, origin="lower", extent=extent, cmap="YlOrRd", alpha=0.9,
                       norm=mcolors.LogNorm(vmin=vmin, vmax=pos.max()), interpolation="nearest",
                       aspect="auto")
        cb = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
        cb.set_label(f"share of debris per {f * g.step_deg:g}° cell")
    ax.contour(g.lon_centres_deg, g.lat_centres_deg, land, levels=[0.5], colors="k",
               linewidths=0.45, zorder=3)
    band = result.band["max_abs_lat_deg"]
    for s in (-1, 1):
        ax.axhline(s * band, color="tab:blue", ls="--", lw=1.0)
    ax.axhspan(band, 90, color="0.85", alpha=0.5, lw=0)
    ax.axhspan(-90, -band, color="0.85", alpha=0.5, lw=0)
    ax.text(-178, band + 1.5, f"reachable band |lat| ≤ {band:.1f}° "
            f"({100 * result.band['world_population_share']:.1f} % of world population)",
            color="tab:blue", fontsize=8, bbox=dict(fc="white", ec="none", alpha=0.7, pad=1))
    lines = [f"{k}: {100 * v['probability']:.2f} % of debris, "
             f"{100 * v['share_of_risk']:.1f} % of risk" for k, v in result.comparison.items()]
    lines.append(f"open ocean: {100 * result.ocean['probability']:.1f} % of debris")
    ce = result.casualty_expectation
    lines.append(f"casualty expectation E_c = {ce['mean']:.2g} "
                 f"({_ratio(ce['ratio_to_threshold'])}× the 1:10,000 limit)")
    half = (len(lines) + 1) // 2
    for col, chunk in enumerate((lines[:half], lines[half:])):
        ax.text(0.0 + 0.5 * col, -0.09, "\n".join(chunk), transform=ax.transAxes, fontsize=8.5,
                va="top", ha="left")
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-90, 91, 30))
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.grid(alpha=0.2)
    ax.set_title(title or f"Debris impact probability, {result.members} Monte-Carlo members "
                          f"(seed {result.seed})")
    with io.atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


plot_risk = plot_risk_map

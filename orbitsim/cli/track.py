"""``orbitsim track`` (ground track + summary) and ``orbitsim fetch`` (CelesTrak)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from .app import app
from .common import elements_and_start, plot_path


def _nothing():
    return contextlib.nullcontext()


def _fmt_age(days: float) -> str:
    sign = "+" if days >= 0 else "-"
    d = abs(days)
    return f"{sign}{d * 24:.1f} h" if d < 2 else f"{sign}{d:.1f} d"


@app.command()
def track(
    tle: Path = typer.Option(None, "--tle", help="TLE / OMM (JSON, KVN, XML) file; default: the "
                             "bundled ISS element sets of Jan-Mar 2022."),
    start: str = typer.Option(None, "--start", help="Start, ISO 8601 UTC (e.g. 2022-03-01T12:00Z); "
                              "default: the epoch of the newest element set."),
    hours: float = typer.Option(24.0, "--hours", help="Duration, hours."),
    step: float = typer.Option(60.0, "--step", help="Time step, seconds."),
    plot: Path = typer.Option(None, "--plot", help="Ground-track map (PNG or SVG)."),
    json_out: Path = typer.Option(None, "--json", help="Write time_utc, lat_deg, lon_deg, alt_km, "
                                  "sunlit arrays (and the summary) as JSON."),
    force: bool = typer.Option(False, "--force", help="Propagate even > 30 days from the "
                               "element epoch."),
) -> None:
    """Ground track (geodetic WGS 84) with sunlit/eclipse; a summary table; optional JSON/plot."""
    from ..io import write_json
    from ..propagate import times, track_at
    from ..sun import sun_events
    from ..timeutil import iso

    err = Console(stderr=True, highlight=False)
    plot_path(plot)
    es, start_dt = elements_and_start(tle, start, force)
    t = times(start_dt, hours, step)
    big = len(t) > 100_000 and err.is_terminal
    with err.status(f"propagating {len(t):,} points ...") if big else _nothing():
        tr = track_at(es, t)
        sunrises, sunsets = sun_events(tr)

    age = es.age_days(start_dt)
    summary = {
        "element_set": {"name": es.name, "catalog": es.catalog, "source": es.where,
                        "epoch_utc": es.epoch, "start_minus_epoch_days": round(age, 6)},
        "start_utc": iso(t[0]), "end_utc": iso(t[-1]), "points": len(t), "step_s": step,
        "period_min": es.period_min, "inclination_deg": es.inclination_deg,
        "lat_min_deg": float(tr.lat_deg.min()), "lat_max_deg": float(tr.lat_deg.max()),
        "alt_min_km": float(tr.alt_km.min()), "alt_max_km": float(tr.alt_km.max()),
        "sunlit_fraction": float(tr.sunlit.mean()),
        "orbital_sunrises": int(len(sunrises)), "orbital_sunsets": int(len(sunsets)),
    }

    table = Table(title="orbitsim track", show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value")
    table.add_row("element set", f"{es.name} (NORAD {es.catalog}), {es.where}")
    table.add_row("element epoch", f"{es.epoch:%Y-%m-%d %H:%M:%S} UTC "
                  f"(start is {_fmt_age(age)} from it)")
    table.add_row("interval", f"{iso(t[0])} .. {iso(t[-1])}, {len(t):,} points every {step:g} s")
    table.add_row("period", f"{es.period_min:.2f} min")
    table.add_row("inclination", f"{es.inclination_deg:.4f} deg")
    table.add_row("latitude (geodetic)", f"{summary['lat_min_deg']:.3f} .. "
                  f"{summary['lat_max_deg']:.3f} deg")
    table.add_row("altitude (WGS 84)", f"{summary['alt_min_km']:.1f} .. "
                  f"{summary['alt_max_km']:.1f} km")
    table.add_row("sunlit", f"{100 * summary['sunlit_fraction']:.1f} % of the time")
    table.add_row("orbital sunrises", f"{len(sunrises)} (sunsets {len(sunsets)})")

    if plot is not None:
        from ..plots.groundtrack import plot_ground_track
        plot_ground_track(tr, plot, highlight=None)
        table.add_row("plot", str(plot))
    if json_out is not None:
        doc = tr.to_json()
        doc["summary"] = summary
        doc["orbital_sunrise_utc"] = [iso(x) for x in sunrises]
        doc["orbital_sunset_utc"] = [iso(x) for x in sunsets]
        with err.status(f"writing {json_out} ...") if big else _nothing():
            write_json(json_out, doc)
        table.add_row("json", str(json_out))
    Console().print(table)


@app.command()
def fetch(
    catalog: int = typer.Argument(..., help="NORAD catalog number (ISS: 25544)."),
    out: Path = typer.Option(None, "--out", help="Output TLE file (default <catalog>.tle)."),
    timeout: float = typer.Option(20.0, "--timeout", help="Network timeout, seconds."),
) -> None:
    """Download the current element set from CelesTrak (optional; needs the network)."""
    from ..fetch import fetch_to_file

    if not timeout > 0:
        raise InputError(f"must be positive, got {timeout:g}", field="--timeout")
    path, sets = fetch_to_file(catalog, out, timeout_s=timeout)
    es = sets[-1]
    now = dt.datetime.now(dt.timezone.utc)
    age_d = (now - es.epoch).total_seconds() / 86400
    table = Table(title="orbitsim fetch", show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value")
    table.add_row("object", f"{es.name} (NORAD {es.catalog})")
    table.add_row("epoch", f"{es.epoch:%Y-%m-%d %H:%M:%S} UTC ({age_d:.1f} days ago)")
    table.add_row("mean altitude", f"{es.mean_altitude_km:.1f} km, period {es.period_min:.2f} min, "
                  f"i = {es.inclination_deg:.4f} deg")
    table.add_row("written", f"{path} ({len(sets)} element set{'s' if len(sets) != 1 else ''})")
    Console().print(table)

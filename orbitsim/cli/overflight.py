"""``orbitsim overflight COUNTRY``: countries and cities under the ground track."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from .app import app
from .common import elements_and_start, plot_path


def _hm(t) -> str:
    return "—" if t is None else f"{t:%d %H:%M:%S}"


@app.command()
def overflight(
    country: str = typer.Argument(..., help="Country or region: name, ISO code or alias "
                                  "(Russia, RUS, US, UK, ...), a continent (Europe) or EU."),
    tle: Path = typer.Option(None, "--tle", help="TLE / OMM file; default: the bundled ISS "
                             "element sets of Jan-Mar 2022."),
    start: str = typer.Option(None, "--start", help="Start, ISO 8601 UTC (e.g. "
                              "2022-02-24T00:00Z); default: the newest element set's epoch."),
    hours: float = typer.Option(24.0, "--hours", help="Window length, hours."),
    step: float = typer.Option(60.0, "--step", help="Propagation step, seconds (<= 120; "
                               "the analysis resamples to 1 s)."),
    min_elevation: float = typer.Option(10.0, "--min-elevation", help="Minimum elevation, "
                                        "degrees, for a city to see the station."),
    json_out: Path = typer.Option(None, "--json", help="Write the result as JSON."),
    plot: Path = typer.Option(None, "--plot", help="Ground-track map with the country "
                              "highlighted (PNG or SVG)."),
    force: bool = typer.Option(False, "--force", help="Propagate even > 30 days from the "
                               "element epoch."),
) -> None:
    """Which countries the sub-satellite point crosses, how often it passes over COUNTRY,
    which part of COUNTRY (area, people) the orbit can reach, and which of its cities
    are under the track or see the station above --min-elevation."""
    from .. import geography
    from ..io import write_json
    from ..overflights import overflight as analyse
    from ..propagate import track

    plot_path(plot)
    if not (-90.0 <= min_elevation <= 90.0):
        raise InputError(f"must be within [-90, 90] deg, got {min_elevation:g}",
                         field="--min-elevation")
    if not (0 < step <= 120.0):
        raise InputError(f"must be in (0, 120] s for overflight analysis, got {step:g}",
                         field="--step")
    where = geography.place(country)          # unknown names fail before any propagation
    es, start_dt = elements_and_start(tle, start, force)
    err = Console(stderr=True, highlight=False)
    with err.status("propagating and locating the ground track ..."):
        tr = track(es, start_dt, hours=hours, step_s=step, sunlit=plot is not None)
        res = analyse(where, tr, min_elevation_deg=min_elevation)

    out = Console(highlight=False)
    if not out.is_terminal:                 # pipes and files: wide enough for the tables
        out = Console(highlight=False, width=max(out.width, 110))
    t = Table(title=f"Countries under the {res.satellite} ground track, "
                    f"{res.start_utc:%Y-%m-%d %H:%M} UTC + {res.hours:g} h "
                    f"({len(res.countries)} crossed)")
    for col, just in (("country", "left"), ("code", "left"), ("passes", "right"),
                      ("entries", "right"), ("first (UTC)", "left"), ("last (UTC)", "left"),
                      ("min over", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    hl = set(where.indices)
    for c in res.countries:
        style = "bold magenta" if c.index in hl else None
        t.add_row(c.name[:22], c.code, str(c.passes), str(c.entries), _hm(c.first_utc),
                  _hm(c.last_utc), f"{c.seconds_over / 60:.1f}", style=style)
    out.print(t)

    s = Table(title=f"{where.name}", show_header=False)
    s.add_column("quantity", style="bold")
    s.add_column("value")
    s.add_row("element set", f"{es.name} (NORAD {es.catalog}), epoch {es.epoch:%Y-%m-%d %H:%M} "
              f"UTC, {es.where}")
    s.add_row("passes over it", f"{res.over.passes} ({res.over.entries} entries), "
              f"{res.over.seconds_over / 60:.1f} min in total")
    s.add_row("first / last over it", f"{_hm(res.over.first_utc)} / {_hm(res.over.last_utc)}")
    s.add_row("track latitude (geodetic)", f"{res.min_lat_deg:.2f} .. {res.max_lat_deg:.2f} deg")
    s.add_row("reachable band", f"|lat| <= {res.band_lat_deg:.2f} deg")
    s.add_row("area inside the band", f"{100 * res.reachable_area_fraction:.1f} %")
    pf = res.reachable_population_fraction
    s.add_row("people inside the band", "no cities >= 100 000 in the table" if pf is None else
              f"{100 * pf:.1f} % (from {res.cities_summary['cities']} cities >= 100 000, "
              f"{res.city_population_total / 1e6:.1f} M people)")
    s.add_row("visibility radius", f"{res.visibility_radius_km:.0f} km for elevation >= "
              f"{res.min_elevation_deg:g} deg at {res.mean_alt_km:.0f} km altitude")
    cs = res.cities_summary
    s.add_row("cities >= 100 000", f"{cs['cities']}: {cs['overhead']} directly under the track "
              f"(<= {res.overhead_km:g} km), {cs['visible']} see it >= "
              f"{res.min_elevation_deg:g} deg")
    out.print(s)

    if res.cities:
        ct = Table(title=f"Cities of {where.name} with >= {res.large_city_population:,} people")
        for col, just in (("city", "left"), ("population", "right"), ("lat", "right"),
                          ("closest km", "right"), ("max elev", "right"),
                          ("under", "center"), ("sees it", "center")):
            ct.add_column(col, justify=just, no_wrap=True)
        for c in res.cities[:25]:
            ct.add_row(c.name[:20], f"{c.population:,}", f"{c.lat_deg:.2f}",
                       f"{c.min_distance_km:.0f}", f"{c.max_elevation_deg:.1f}",
                       "yes" if c.overhead else "no", "yes" if c.visible else "no")
        if len(res.cities) > 25:
            ct.caption = f"... and {len(res.cities) - 25} more (see --json)"
        out.print(ct)

    out.print(res.statement(), soft_wrap=True)
    for n in res.notes():
        out.print(f"[dim]note: {n}[/dim]")
    if plot is not None:
        from ..plots.groundtrack import plot_ground_track
        plot_ground_track(tr, plot, highlight=where, band_lat_deg=res.band_lat_deg,
                          cities=res.cities[:5])
        out.print(f"plot: {plot}")
    if json_out is not None:
        doc = res.to_json()
        doc["elements"] = {"name": es.name, "catalog": es.catalog, "epoch_utc": es.epoch,
                           "source": es.where}
        write_json(json_out, doc)
        out.print(f"json: {json_out}")

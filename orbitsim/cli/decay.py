"""``orbitsim decay``: when does the orbit decay and reenter, with or without reboosts.

ISS defaults (override with the options):

* mass 419,725 kg -- NASA, "International Space Station Facts and Figures"
  (925,335 lb);
* drag reference area 1,500 m^2 and Cd 2.2 -- NASA JSC TOPO ISS ephemeris (OEM)
  headers give DRAG_AREA 1,505-1,525 m^2 (2023-2024); Cd = 2.2 is the customary
  free-molecular value for satellites (Vallado 2013, *Fundamentals of
  Astrodynamics and Applications*, 4th ed., §8.6.2). With the default
  ``--bc auto`` the ballistic coefficient Cd*A/m is *fitted* to the element
  sets' decay; mass, area and Cd then only scale it at configuration changes
  and give the propellant of reboosts.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import InputError
from .app import app
from .common import elements_and_start, plot_path

ISS_MASS_KG = 419725.0
ISS_AREA_M2 = 1500.0
ISS_CD = 2.2


def _bc_option(text: str):
    key = text.strip().lower()
    if key in ("auto", "fit", "bstar", "config"):
        return key
    try:
        v = float(text)
    except ValueError:
        raise InputError(f"--bc must be auto, fit, bstar, config or Cd*A/m in m^2/kg, not {text!r}",
                         field="--bc") from None
    if not v > 0:
        raise InputError(f"--bc must be positive, got {text!r}", field="--bc")
    return v


@app.command()
def decay(
    tle: Path = typer.Option(None, "--tle", help="TLE / OMM file (the sets before the start are "
                             "the fit history); default: the bundled ISS sets of Jan-Mar 2022."),
    start: str = typer.Option(None, "--start", help="Start, ISO 8601 UTC; default: the epoch of "
                              "the newest element set."),
    mass_kg: float = typer.Option(ISS_MASS_KG, "--mass-kg", help="Mass in kg (ISS: 419,725 kg, NASA ISS Facts and Figures)."),
    area_m2: float = typer.Option(ISS_AREA_M2, "--area-m2", help="Drag reference area in m^2 (ISS: "
                                  "~1,500 m^2, NASA JSC ephemeris headers)."),
    cd: float = typer.Option(ISS_CD, "--cd", help="Drag coefficient (customary 2.2)."),
    solar: str = typer.Option("observed", "--solar", help="observed (CelesTrak record and "
                              "predictions) | low | nominal | high (ECSS-E-ST-10-04C) | cycle "
                              "(mean solar cycle)."),
    atmosphere: str = typer.Option("nrlmsise00", "--atmosphere", help="nrlmsise00 | nrlmsis21 "
                                   "(non-commercial licence) | exponential."),
    bc: str = typer.Option("auto", "--bc", help="Cd*A/m: auto (fit if >= 2 sets, else B*) | fit "
                           "| bstar | config (Cd*area/mass) | a number in m^2/kg."),
    reboost_policy: str = typer.Option(None, "--reboost-policy", help="TRIGGER_KM:TARGET_KM, "
                                       "e.g. 410:420 (needs --until)."),
    until: str = typer.Option(None, "--until", help="Stop at this ISO UTC time if not reentered."),
    plot: Path = typer.Option(None, "--plot", help="Altitude / decay-rate figure (PNG or SVG)."),
    json_out: Path = typer.Option(None, "--json", help="Write the result as JSON."),
    no_window: bool = typer.Option(False, "--no-window", help="Skip the solar-profile x Cd*A/m "
                                   "window ensemble."),
    force: bool = typer.Option(False, "--force", help="Start even > 30 days from the element "
                               "epoch."),
) -> None:
    """Orbital decay and reentry: orbit-averaged NRLMSISE-00 drag, then Cowell below 200 km."""
    from ..reentry import decay as run_decay
    from ..elements import read_elements
    from ..events import ReboostPolicy
    from ..io import write_json
    from ..timeutil import iso, parse_utc

    plot_path(plot)
    for name, v in (("--mass-kg", mass_kg), ("--area-m2", area_m2), ("--cd", cd)):
        if not v > 0:
            raise InputError(f"must be positive, got {v:g}", field=name)
    bc_value = _bc_option(bc)
    until_dt = None if until is None else parse_utc(until, field="--until")
    es, start_dt = elements_and_start(tle, start, force)
    history = None
    if tle is not None:
        history = [s for s in read_elements(tle) if s.catalog == es.catalog
                   and s.epoch <= start_dt]
    if bc_value == "config":
        bc_value = cd * area_m2 / mass_kg
        bc_label = "config"
    else:
        bc_label = None
    events = []
    if reboost_policy is not None:
        try:
            events.append(ReboostPolicy.parse(reboost_policy))
        except InputError as exc:
            raise InputError(exc.message, field="--reboost-policy") from None

    err = Console(stderr=True)
    t_begin = time.perf_counter()
    with Progress(TextColumn("[bold]decay[/]"), BarColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("starting", total=1.0)

        def progress(frac, msg):
            bar.update(task, completed=frac, description=msg)

        res = run_decay(es, mass_kg=mass_kg, area_m2=area_m2, cd=cd, start=start_dt,
                        solar=solar, atmosphere_model=atmosphere, bc=bc_value, history=history,
                        events=events, until=until_dt, window=not no_window, progress=progress)
    elapsed = time.perf_counter() - t_begin
    if bc_label:
        res.bc_method = bc_label

    table = Table(title="orbitsim decay", show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value")
    table.add_row("element set", f"{es.name} (NORAD {es.catalog}), {es.where}, epoch "
                  f"{es.epoch:%Y-%m-%d %H:%M} UTC")
    table.add_row("start", f"{iso(res.start)}, mean altitude {res.mean_alt_km[0]:.1f} km"
                  if len(res.mean_alt_km) else iso(res.start))
    table.add_row("model", f"{atmosphere}, solar {res.solar}; averaged to "
                  f"{res.handover_alt_km:g} km, Cowell to {res.reentry_alt_km:g} km")
    table.add_row("Cd·A/m", f"{res.ballistic_coefficient_m2_kg:.5f} ± "
                  f"{res.ballistic_coefficient_sigma_m2_kg:.5f} m²/kg ({res.bc_method})")
    if res.reboosts:
        table.add_row("reboosts", f"{len(res.reboosts)}: {res.dv_per_year_m_s:.1f} m/s per year, "
                      f"{res.propellant_per_year_kg:,.0f} kg propellant per year")
    if res.handover_epoch is not None and res.reentry_epoch is not None:
        table.add_row("handover", iso(res.handover_epoch))
    if res.reentry_epoch is not None:
        table.add_row("reentry", f"{iso(res.reentry_epoch)} at {res.reentry_lat_deg:.2f}°, "
                      f"{res.reentry_lon_deg:.2f}° ({res.reentry_alt_km:g} km)")
        table.add_row("lifetime", f"{res.lifetime_days:.1f} days")
        if res.window_utc is not None:
            table.add_row("window (solar × Cd·A/m)",
                          f"{iso(res.window_utc[0])} .. {iso(res.window_utc[1])}")
        table.add_row("±20 % of lifetime", f"{iso(res.window_20pct_utc[0])} .. "
                      f"{iso(res.window_20pct_utc[1])}")
    else:
        table.add_row("reentry", f"none before {iso(res.time_utc[-1])} ({res.stop_reason})")
    for note in res.notes:
        table.add_row("note", note)
    if plot is not None:
        from ..plots.decay import plot_decay

        plot_decay(res, plot)
        table.add_row("plot", str(plot))
    if json_out is not None:
        doc = res.to_json()
        doc["element_set"] = {"name": es.name, "catalog": es.catalog, "source": es.where,
                              "epoch_utc": iso(es.epoch)}
        doc["inputs"] = {"mass_kg": mass_kg, "area_m2": area_m2, "cd": cd, "solar": solar,
                         "atmosphere": atmosphere, "bc": bc, "reboost_policy": reboost_policy,
                         "until_utc": None if until_dt is None else iso(until_dt)}
        write_json(json_out, doc)
        table.add_row("json", str(json_out))
    table.add_row("run time", f"{elapsed:.1f} s")
    Console().print(table)

"""``orbitsim risk``: where the ISS debris can fall, per country, and the casualty expectation."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from .app import app
from .common import elements_and_start, plot_path


def _pair(text: str, field: str) -> tuple[float, float]:
    try:
        a, b = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"expected two numbers 'A,B', got {text!r}", field=field) from None
    return a, b


def read_fragments(path: Path, total_mass_kg: float | None = None):
    """Fragment list from CSV with header ``label,count,mass_kg,area_m2`` (one class a line)."""
    from ..debris import Fragments

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read fragment list ({exc.strerror})", file=path) from None
    rows = list(csv.reader(text.splitlines()))
    want = ["label", "count", "mass_kg", "area_m2"]
    if not rows or [c.strip() for c in rows[0]] != want:
        raise InputError(f"first line must be the header {','.join(want)}", file=path, line=1)
    labels, count, mass, area = [], [], [], []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) != 4:
            raise InputError(f"expected 4 columns, got {len(row)}", file=path, line=n)
        vals = []
        for name, v in zip(want[1:], row[1:]):
            try:
                vals.append(float(v))
            except ValueError:
                raise InputError(f"not a number: {v!r}", file=path, line=n, field=name) from None
        try:
            Fragments((row[0],), (vals[0],), (vals[1],), (vals[2],))
        except InputError as exc:
            field = exc.field.split(".")[-1] if exc.field else None
            raise InputError(exc.message, file=path, line=n, field=field) from None
        labels.append(row[0].strip())
        count.append(vals[0])
        mass.append(vals[1])
        area.append(vals[2])
    if not labels:
        raise InputError("no fragment classes", file=path)
    return Fragments(tuple(labels), tuple(count), tuple(mass), tuple(area), total_mass_kg)


@app.command()
def risk(
    tle: Path = typer.Option(None, "--tle", help="TLE / OMM file; default: bundled ISS sets."),
    start: str = typer.Option(None, "--start", help="Prediction epoch, ISO 8601 UTC; default: "
                              "the epoch of the newest element set."),
    reentry: str = typer.Option(None, "--reentry", help="Nominal reentry epoch, ISO 8601 UTC "
                                "(uncertainty: B 10 %%, density 15 %% of the time from --start). "
                                "Without it the decay engine predicts it from the elements."),
    controlled: str = typer.Option(None, "--controlled", help="Controlled deorbit aimed at "
                                   "'spoua' (Point Nemo) or 'LAT,LON' at the --reentry epoch "
                                   "(timing error 60 s)."),
    members: int = typer.Option(2000, "--members", help="Monte-Carlo members."),
    seed: int = typer.Option(0, "--seed", help="Random seed (results are reproducible)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler, tcp://host:port; "
                                  "default: run locally."),
    length_km: float = typer.Option(None, "--footprint-length-km", help="Debris footprint "
                                    "length along track, km (default 5370, NASA via NRC 2000)."),
    width_km: float = typer.Option(None, "--footprint-width-km", help="Footprint width, km "
                                   "(default 300)."),
    surviving: str = typer.Option(None, "--surviving-fraction", help="Range 'LO,HI' of the "
                                  "surviving mass fraction (default 0.10,0.40)."),
    fragments: Path = typer.Option(None, "--fragments", help="CSV fragment list "
                                   "(label,count,mass_kg,area_m2) instead of the ISS default."),
    json_out: Path = typer.Option(None, "--json", help="Write the full result as JSON."),
    plot: Path = typer.Option(None, "--plot", help="World heat map (PNG)."),
    top: int = typer.Option(12, "--top", help="Countries shown in the table."),
    force: bool = typer.Option(False, "--force", help="Use elements > 30 days from --start."),
    mass_kg: float = typer.Option(419725.0, "--mass-kg", help="Mass for the decay engine [kg] "
                                  "(NASA ISS facts and figures)."),
    area_m2: float = typer.Option(2000.0, "--area-m2", help="Drag area for the decay engine "
                                  "[m^2] (estimate as in scenarios/nominal-2022.toml; the "
                                  "fitted Cd*A/m governs)."),
    cd: float = typer.Option(2.2, "--cd", help="Drag coefficient for the decay engine."),
) -> None:
    """Debris impact probability per country/region/ocean and casualty expectation (Monte Carlo)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..io import write_json
    from ..debris import (SPOUA_CENTRE_DEG, FinalOrbit, Footprint, ReentryTimes, aim_orbit,
                        risk as run_risk)
    from ..debris.casualty import ISS_MASS_KG
    from ..timeutil import iso, parse_utc

    if members < 1:
        raise InputError(f"must be >= 1, got {members}", field="--members")
    plot_path(plot, (".png",))
    fp_kw = {}
    if length_km is not None:
        fp_kw["length_km"] = length_km
    if width_km is not None:
        fp_kw["width_km"] = width_km
    footprint = Footprint(**fp_kw)
    frac_range = None if surviving is None else _pair(surviving, "--surviving-fraction")
    frags = None
    if fragments is not None:
        frags = read_fragments(fragments, ISS_MASS_KG if frac_range else None)
    elif frac_range is not None:
        from ..debris.casualty import check_fraction_range
        check_fraction_range(frac_range, "--surviving-fraction")
    if scheduler is not None:
        from ..debris.montecarlo import connect
        client = connect(scheduler)   # fail fast (exit 2) before any work
    else:
        client = None

    es, start_dt = elements_and_start(tle, start, force)

    source, orbit, times = None, None, None
    if controlled is not None:
        if reentry is None:
            raise InputError("a controlled deorbit needs --reentry (the impact epoch)",
                             field="--controlled")
        when = parse_utc(reentry, field="--reentry")
        lat, lon = (SPOUA_CENTRE_DEG if controlled.strip().lower() == "spoua"
                    else _pair(controlled, "--controlled"))
        if not (-90 <= lat <= 90 and -180 <= lon <= 360):
            raise InputError(f"target {lat}, {lon} outside the globe", field="--controlled")
        orbit = aim_orbit(lat, lon, when, inclination_deg=es.inclination_deg)
        times = ReentryTimes.fixed(when)
    elif reentry is not None:
        when = parse_utc(reentry, field="--reentry")
        if when <= start_dt:
            raise InputError(f"reentry {iso(when)} is not after the prediction epoch "
                             f"{iso(start_dt)}", field="--reentry")
        orbit = FinalOrbit.from_elements(es)
        times = ReentryTimes(when, start_dt)
    else:
        from ..reentry import decay
        with Console(stderr=True).status("decay engine: predicting the reentry ...") as st:
            source = decay(es, mass_kg=mass_kg, area_m2=area_m2, cd=cd, start=start_dt,
                           progress=lambda f, msg: st.update(f"decay engine: {msg} "
                                                             f"({100 * f:.0f} %)"))
        if source.reentry_epoch is None:
            raise InputError(f"no reentry predicted ({source.stop_reason}); give --reentry",
                             field="--reentry")

    try:
        with Progress(TextColumn("Monte Carlo"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True) as bar:
            task = bar.add_task("members", total=members)
            res = run_risk(source, orbit=orbit, reentry=times, start=start_dt, members=members,
                           seed=seed, footprint=footprint, fragments=frags,
                           surviving_fraction_range=frac_range, scheduler=client,
                           progress=lambda done, total: bar.update(task, completed=done))
    finally:
        if client is not None:
            client.close()

    _print(res, top)
    if plot is not None:
        from ..plots.risk import plot_risk_map
        plot_risk_map(res, plot)
    if json_out is not None:
        write_json(json_out, res.to_json())


def _ratio(x):
    return f"{x:,.0f}" if x >= 10 else f"{x:.3g}"


def _pct(x):
    return f"{100 * x:.2f}"


def _ci(c):
    return f"{100 * c[0]:.2f}–{100 * c[1]:.2f}"


def _print(res, top: int) -> None:
    out = Console()
    t = Table(title=f"Debris impact per country ({res.members} members, seed {res.seed}). "
                    "debris %: share of the surviving debris; P(any): chance of at least one "
                    "impact; risk %: share of the casualty expectation E_c")
    for col, just in (("country", "left"), ("debris %", "right"), ("95% CI", "right"),
                      ("P(any) %", "right"), ("E_c", "right"), ("risk %", "right")):
        t.add_column(col, justify=just, overflow="fold")

    def add(label, r, style=None):
        t.add_row(label, _pct(r["probability"]), _ci(r["probability_ci"]), _pct(r["p_any"]),
                  f"{r['expected_casualties']:.2e}", f"{100 * r['share_of_risk']:.1f}", style=style)

    for r in res.countries[:max(top, 0)]:
        add(f"{r['name']} ({r['iso_a3']})", r)
    add("open ocean", res.ocean, "cyan")
    for name, r in res.regions.items():
        add(name, r, "magenta")
    out.print(t)
    c = Table(title='"All the risks are yours"? Russia / US / Europe / India / China')
    for col in ("", "debris %", "95% CI", "P(any) %", "E_c", "risk %"):
        c.add_column(col, justify="right" if col else "left")
    for k, r in res.comparison.items():
        c.add_row(k, _pct(r["probability"]), _ci(r["probability_ci"]), _pct(r["p_any"]),
                  f"{r['expected_casualties']:.2e}", f"{100 * r['share_of_risk']:.1f}")
    out.print(c)
    ce = res.casualty_expectation
    verdict = "exceeds" if ce["exceeds_threshold"] else "meets"
    out.print(f"Casualty expectation E_c = {ce['mean']:.3g} (95 % CI {ce['ci'][0]:.3g}–"
              f"{ce['ci'][1]:.3g}), {_ratio(ce['ratio_to_threshold'])} x the 1:10,000 limit: "
              f"{verdict} NASA-STD-8719.14.")
    out.print(f"Reachable band |lat| <= {res.band['max_abs_lat_deg']:.1f} deg holds "
              f"{100 * res.band['world_population_share']:.1f} % of the world population.")
    for n in res.notes:
        out.print(f"note: {n}", style="dim")

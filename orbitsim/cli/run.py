"""``orbitsim run``: run one scenario file or every scenario in a directory."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import InputError
from .app import app


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario TOML file, or a directory of them."),
    out: Path = typer.Option(None, "--out", help="Output directory (default out/scenarios/<name>/; "
                             "for a directory of scenarios, one sub-directory per scenario)."),
    horizon_days: float = typer.Option(None, "--horizon-days", help="Override the scenario's "
                                       "horizon (days from its start)."),
    members: int = typer.Option(None, "--members", help="Override the Monte-Carlo ensemble size."),
) -> None:
    """Run scenario(s): result.json, figures and summary.md per scenario."""
    from .. import runner
    from ..scenario import discover, load

    err = Console(stderr=True)
    con = Console()
    if horizon_days is not None and horizon_days <= 0:
        raise InputError(f"must be a positive number of days, got {horizon_days:g}",
                         field="--horizon-days")
    if members is not None and members < 1:
        raise InputError(f"must be at least 1, got {members}", field="--members")
    if scenario.is_dir():
        files = discover(scenario)
        scenarios = [load(f) for f in files]      # validate every file before running any
    else:
        scenarios = [load(scenario)]
    many = len(scenarios) > 1 or scenario.is_dir()

    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=err,
                  disable=not err.is_terminal) as bar:
        overall = bar.add_task("scenarios", total=len(scenarios)) if many else None
        for sc in scenarios:
            task = bar.add_task(sc.name, total=None)

            def progress(step, total, msg, _task=task):
                bar.update(_task, completed=step, total=total, description=f"{sc.name}: {msg}")

            out_dir = (out / sc.name if many else out) if out is not None else None
            res = runner.run(sc, out_dir, horizon_days=horizon_days, members=members,
                             progress=progress)
            results.append(res)
            bar.update(task, visible=False)
            if overall is not None:
                bar.advance(overall)

    table = Table(title="orbitsim run")
    for col in ("scenario", "reentry (UTC)", "lifetime (d)", "output"):
        table.add_column(col)
    for res in results:
        m = res.result["main"]
        aimed = (res.result.get("deorbit") or {}).get("aimed") or {}
        if aimed.get("reentry_epoch_utc"):
            when = f"{aimed['reentry_epoch_utc']} (deorbit burn)"
            life = "—"
        else:
            when = m["reentry_epoch_utc"] or "none in horizon"
            life = "—" if m["lifetime_days"] is None else f"{m['lifetime_days']:.0f}"
        table.add_row(res.scenario.name, when, life, str(res.out_dir))
    con.print(table)

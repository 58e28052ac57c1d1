"""``orbitsim check`` (a sentence or a claims file) and ``orbitsim report``."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from .app import app

_STYLE = {"true": "bold green", "mostly true": "green", "misleading": "bold dark_orange",
          "false": "bold red", "cannot check": "dim"}


def _table(rows, title):
    t = Table(title=title, show_lines=False, expand=False)
    t.add_column("claim", no_wrap=True)
    t.add_column("verdict", no_wrap=True)
    for col in ("claimed", "computed"):
        t.add_column(col, overflow="fold", ratio=1)
    for cid, v in rows:
        t.add_row(cid, f"[{_STYLE[v.verdict]}]{v.verdict}[/]", v.claimed or "", v.computed or "")
    return t


@app.command()
def check(
    claim: str = typer.Argument(..., help='A sentence ("The ISS does not fly over Russia") or a '
                                          "claims file (seeds/claims.toml)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the verdicts as JSON."),
    date: Optional[str] = typer.Option(None, "--date", help="Date (ISO, UTC) a sentence refers "
                                       "to; default: the newest bundled element set's epoch."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Check only this claim id "
                                             "(repeatable)."),
    evidence: Optional[Path] = typer.Option(None, "--evidence", help="Directory for evidence "
                                            "figures (default: beside --json)."),
    scenarios: Path = typer.Option(Path("out/scenarios"), "--scenarios",
                                   help="Scenario results directory (DIR/<name>/result.json)."),
    run_scenarios: bool = typer.Option(True, "--run-scenarios/--no-run-scenarios",
                                       help="Run scenarios whose results are missing or outdated."),
    horizon_days: Optional[float] = typer.Option(None, "--horizon-days",
                                                 help="Shorten scenario runs (days)."),
    members: Optional[int] = typer.Option(None, "--members", help="Monte-Carlo members."),
) -> None:
    """Check a sentence about the ISS, or every claim in a claims file."""
    from ..checkers import Context, check_all
    from ..claims import load_claims
    from ..io import write_json
    from ..report import verdicts_json

    console = Console()
    if evidence is None and json_out is not None:
        evidence = json_out.parent / f"{json_out.stem}-evidence"
    err = Console(stderr=True)
    ctx = Context(evidence_dir=evidence, scenarios_dir=scenarios, run_scenarios=run_scenarios,
                  horizon_days=horizon_days, members=members,
                  notify=lambda msg: err.print(f"[dim]{msg}[/]"))
    if evidence is not None:
        evidence.mkdir(parents=True, exist_ok=True)
    is_file = claim.strip().lower().endswith(".toml") or Path(claim).is_file()
    if is_file:
        cs = load_claims(claim)
        if only:
            cs = cs.subset(only)
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), console=Console(stderr=True),
                      transient=True) as prog:
            task = prog.add_task("checking claims", total=len(cs.claims))
            verdicts = check_all(cs.claims, ctx,
                                 progress=lambda i, n, cid: prog.update(
                                     task, completed=i, description=f"checked {cid}"))
        console.print(_table([(v.claim_id, v) for v in verdicts], f"Claims in {claim}"))
        counts = {}
        for v in verdicts:
            counts[v.verdict] = counts.get(v.verdict, 0) + 1
        console.print(", ".join(f"{k}: {n}" for k, n in counts.items()))
        if json_out is not None:
            write_json(json_out, verdicts_json(cs, verdicts))
            console.print(f"wrote {json_out}")
        return

    from ..checkers import check as check_claim, sentence_claim
    c = sentence_claim(claim, date)
    when = c.article.date
    v = check_claim(c, ctx)
    console.print(f"[bold]Claim:[/] {c.quote}")
    console.print(f"[bold]Check:[/] {c.check} "
                  + ", ".join(f"{k}={val}" for k, val in c.params.items())
                  + f" (orbit of {when:%Y-%m-%d})")
    console.print(f"[bold]Verdict:[/] [{_STYLE[v.verdict]}]{v.verdict}[/]")
    for label, val in (("Claimed", v.claimed), ("Computed", v.computed),
                       ("Tolerance", v.tolerance), ("Why", v.why)):
        if val:
            console.print(f"[bold]{label}:[/] {val}")
    if v.evidence:
        console.print("[bold]Evidence:[/] " + "; ".join(map(str, v.evidence)))
    if json_out is not None:
        d = v.to_json()
        d.update(id=c.id, quote=c.quote, source="command line", check=c.check)
        write_json(json_out, [d])


@app.command()
def report(
    out: Path = typer.Option(Path("out"), "--out", help="Output directory."),
    claims: Path = typer.Option(None, "--claims", help="Claims file (default seeds/claims.toml)."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Only this claim id (repeatable)."),
    scenario: Optional[List[str]] = typer.Option(None, "--scenario",
                                                 help="Only this scenario (repeatable)."),
    with_scenarios: bool = typer.Option(True, "--scenarios/--no-scenarios",
                                        help="Run (or reuse) the scenarios."),
    horizon_days: Optional[float] = typer.Option(None, "--horizon-days",
                                                 help="Shorten scenario runs (days), e.g. for tests."),
    members: Optional[int] = typer.Option(None, "--members", help="Monte-Carlo members."),
) -> None:
    """Check every claim, run the scenarios, write OUT/report.md and OUT/report.html."""
    from ..claims import DEFAULT_CLAIMS
    from ..report import make_report

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), console=console,
                  transient=True) as prog:
        tasks = {}

        def progress(stage, i, n, label):
            if stage not in tasks:
                tasks[stage] = prog.add_task(stage, total=n)
            prog.update(tasks[stage], completed=i, description=f"{stage}: {label}")

        summary = make_report(out, claims_path=claims or DEFAULT_CLAIMS, only=only,
                              scenarios=scenario, with_scenarios=with_scenarios,
                              horizon_days=horizon_days, members=members, progress=progress)
    t = Table(title=f"Report in {out}/")
    t.add_column("verdict")
    t.add_column("claims", justify="right")
    for k, n in summary["verdicts"].items():
        t.add_row(f"[{_STYLE[k]}]{k}[/]", str(n))
    Console().print(t)
    for name, state in summary["scenarios"].items():
        Console().print(f"scenario {name}: {state}")
    Console().print(f"wrote {out}/report.md and {out}/report.html")

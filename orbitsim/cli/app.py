"""The typer application every command module registers on."""

import typer

app = typer.Typer(
    name="orbitsim",
    help="Simulate the ISS orbit, decay and reentry, and fact-check claims about it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """orbitsim: ISS orbit, decay, reentry risk and claim checking (offline, real data)."""

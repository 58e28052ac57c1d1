"""The fact-check report: Markdown and a self-contained HTML page.

:func:`make_report` checks the claims (:mod:`orbitsim.checkers`), runs or reuses the scenarios
(:func:`orbitsim.runner.run`) and writes, through :func:`orbitsim.io.staged_dir` (nothing
half-written)::

    DIR/report.md          summary table per article, one section per claim, scenario results
    DIR/report.html        the same, self-contained: CSS inline, figures as base64 PNG data URIs,
                           no external URL; viewport meta, max-width, scrolling tables, print CSS
    DIR/evidence/*.png     the claims' figures
    DIR/scenarios/<name>/  each scenario's result.json, summary.md and figures

Each claim section has the anchor ``id="claim-<id>"``; the summary table links to it.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import io
from .checkers import (SCENARIOS_DIR, VERDICTS, CannotCheck, Context, Verdict, check_all,
                       load_scenario_result)
from .claims import ClaimSet, load_claims, DEFAULT_CLAIMS
from .errors import InputError

METHOD = [
    "Numbers: the claimed number is read with its rounding (\"17,500\" means 17,450-17,550) "
    "and compared with the range the real value takes (e.g. the ISS altitude over the day of "
    "the article, from SGP4 on the element set nearest that day). Overlap: true; off by up to "
    "10 %: mostly true; up to 25 %: misleading; more: false.",
    "Units: when the number is right in a unit easily confused with the one printed (statute "
    "vs nautical miles, km vs miles, mph vs km/h, metric vs short tons), the mix-up is named "
    "and the verdict is at most misleading.",
    "Durations and dates: from the cited ISS facts table (orbitsim/data/iss_facts.toml); "
    "'nearly N' means 85-100 % of N, 'about N' within 5 %, 'more than N' at least N.",
    "Overflight: the ground track over the 24 h from the article date against Natural Earth "
    "borders. Reentry and debris: the scenario runs (NRLMSISE-00 decay, Monte-Carlo reentry "
    "risk after NASA-STD-8719.14) listed at the end.",
    "cannot check: either the claim is not a matter of fact orbitsim can compute (the reason "
    "is given) or a capability or result was not available (the reason says which).",
]

VERDICT_COLOURS = {"true": "#1e8449", "mostly true": "#7dcea0", "misleading": "#e67e22",
                   "false": "#c0392b", "cannot check": "#7f8c8d"}


@dataclass
class ScenarioOutcome:
    """One scenario in the report: its result (or why there is none) and its directory."""
    name: str
    result: dict | None
    rel_dir: str
    reused: bool = False
    reason: str = ""
    summary_md: str = ""


def scenario_names(only=None) -> list[str]:
    names = sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml"))
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise InputError(f"unknown scenario {unknown[0]!r}; known: {', '.join(names)}",
                             field="scenario")
        names = [n for n in names if n in only]
    return names


def run_scenarios(names, stage: Path, previous: Path | None, *, horizon_days=None, members=None,
                  progress=None) -> list[ScenarioOutcome]:
    """Run each scenario into ``stage/scenarios/<name>``, reusing an up-to-date previous result."""
    out = []
    for i, name in enumerate(names, 1):
        src = SCENARIOS_DIR / f"{name}.toml"
        dst = stage / "scenarios" / name
        prev = previous / "scenarios" / name if previous is not None else None
        old = load_scenario_result(src, prev, horizon_days, members) if prev else None
        if old is not None:
            shutil.copytree(prev, dst)
            out.append(ScenarioOutcome(name, old, f"scenarios/{name}", True,
                                       summary_md=_read(dst / "summary.md")))
        else:
            from .runner import run
            try:
                rr = run(src, dst, horizon_days=horizon_days, members=members)
                out.append(ScenarioOutcome(name, rr.result, f"scenarios/{name}",
                                           summary_md=rr.summary))
            except InputError as exc:
                out.append(ScenarioOutcome(name, None, f"scenarios/{name}",
                                           reason=f"failed: {exc}"))
            except Exception as exc:  # another module's failure: say so, keep the report
                out.append(ScenarioOutcome(name, None, f"scenarios/{name}",
                                           reason=f"the run failed ({type(exc).__name__}: {exc})"))
        if progress:
            progress(i, len(names), name)
    return out


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


class _PreloadedContext(Context):
    """A checker context whose scenario results are the report's own runs."""

    def __init__(self, outcomes: dict, **kw):
        super().__init__(**kw)
        self._outcomes = outcomes

    def scenario(self, name):
        oc = self._outcomes.get(name)
        if oc is None:
            raise CannotCheck(f"scenario {name!r} was not run for this report")
        if oc.result is None:
            raise CannotCheck(f"scenario {name!r}: {oc.reason}")
        return oc.result


def make_report(out, *, claims_path=DEFAULT_CLAIMS, only=None, scenarios=None,
                with_scenarios=True, horizon_days=None, members=None, progress=None) -> dict:
    """Check the claims, run the scenarios, write ``out/report.md`` and ``out/report.html``.

    ``only``: claim ids to include (default all); ``scenarios``: scenario names (default all
    of ``scenarios/*.toml``); ``with_scenarios=False`` skips them (the model-based claims
    are then ``cannot check`` with that reason); ``horizon_days``/``members`` shorten the
    scenario runs explicitly (tests). ``progress(stage, i, n, label)``. Returns a summary.
    """
    out = Path(out)
    cs = load_claims(claims_path)
    if only:
        cs = cs.subset(only)
    names = scenario_names(scenarios) if with_scenarios else []
    previous = out if out.is_dir() else None
    with io.staged_dir(out) as stage:
        outcomes = run_scenarios(names, stage, previous, horizon_days=horizon_days,
                                 members=members,
                                 progress=(lambda i, n, l: progress("scenarios", i, n, l))
                                 if progress else None)
        by_name = {o.name: o for o in outcomes}
        ctx = _PreloadedContext(by_name, evidence_dir=stage / "evidence",
                                scenarios_dir=stage / "scenarios")
        ctx.evidence_rel = stage
        (stage / "evidence").mkdir(exist_ok=True)
        if not with_scenarios:
            for n in scenario_names():
                by_name[n] = ScenarioOutcome(n, None, "", reason="scenarios were not run "
                                             "for this report (--no-scenarios)")
        verdicts = check_all(cs.claims, ctx,
                             progress=(lambda i, n, l: progress("claims", i, n, l))
                             if progress else None)
        md = render_markdown(cs, verdicts, outcomes, with_scenarios)
        page = render_html(cs, verdicts, outcomes, with_scenarios, stage)
        io.write_text(stage / "report.md", md)
        io.write_text(stage / "report.html", page)
        io.write_json(stage / "verdicts.json", verdicts_json(cs, verdicts))
    counts = {v: sum(x.verdict == v for x in verdicts) for v in VERDICTS}
    return {"out": str(out), "claims": len(verdicts), "verdicts": counts,
            "scenarios": {o.name: ("reused" if o.reused else "run") if o.result is not None
                          else o.reason for o in outcomes}}


def verdicts_json(cs: ClaimSet, verdicts: list[Verdict]) -> list[dict]:
    """Per claim: id, quote, source, verdict, computed, claimed, evidence (+ tolerance, why...)."""
    by = {c.id: c for c in cs.claims}
    out = []
    for v in verdicts:
        c = by[v.claim_id]
        out.append({"id": c.id, "quote": c.quote, "source": c.source, "file": c.file,
                    "speaker": c.speaker, "check": c.check, "verdict": v.verdict,
                    "computed": v.computed, "claimed": v.claimed, "tolerance": v.tolerance,
                    "why": v.why, "evidence": v.evidence, "sources": v.sources, "data": v.data})
    return out


# ---------------------------------------------------------------------------------------------
# Markdown


def _md_escape(s) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def _figures(v: Verdict) -> list[str]:
    return [e for e in v.evidence if str(e).endswith(".png")]


def _summary_rows(cs: ClaimSet, verdicts):
    by = {c.id: c for c in cs.claims}
    arts = {}
    for v in verdicts:
        arts.setdefault(by[v.claim_id].file, []).append(v)
    return by, arts


def render_markdown(cs: ClaimSet, verdicts, outcomes, with_scenarios=True) -> str:
    by, arts = _summary_rows(cs, verdicts)
    L = ["# orbitsim fact-check: the ISS in the news, February-March 2022", "",
         "Each claim quoted from the articles in `seeds/`, checked against orbital mechanics "
         "(SGP4 on the real ISS element sets of early 2022, NRLMSISE-00 decay, reentry risk) and "
         "a cited table of ISS facts. Verdicts: " + ", ".join(f"**{v}**" for v in VERDICTS) + ".",
         "", "## Summary", ""]
    L += ["| article | " + " | ".join(VERDICTS) + " |", "|---|" + "---|" * len(VERDICTS)]
    for f, vs in arts.items():
        a = cs.articles[f]
        L.append(f"| {_md_escape(a.label())} | " + " | ".join(
            str(sum(v.verdict == k for v in vs)) for k in VERDICTS) + " |")
    L += ["", "| claim | article | verdict | claimed | computed |", "|---|---|---|---|---|"]
    for v in verdicts:
        c = by[v.claim_id]
        L.append(f"| [{c.id}](#claim-{c.id}) | {c.file[:3]} | **{v.verdict}** | "
                 f"{_md_escape(v.claimed or '')} | {_md_escape(v.computed or '')} |")
    L += ["", "## How the claims are graded", ""] + [f"- {m}" for m in METHOD]
    L += ["", "## Claims", ""]
    for f, vs in arts.items():
        a = cs.articles[f]
        L += [f"### {a.label()}", ""]
        if a.title:
            L += [f"*{a.title}*" + (f" — {a.date_note}" if a.date_note else ""), ""]
        for v in vs:
            c = by[v.claim_id]
            L += [f'<a id="claim-{c.id}"></a>', f"#### {c.id}: {v.verdict.upper()}", "",
                  f"> {c.quote}", "", f"— {c.speaker}; {c.source}", ""]
            if v.claimed:
                L.append(f"- **Claimed:** {v.claimed}")
            if v.computed:
                L.append(f"- **Computed:** {v.computed}")
            if v.tolerance:
                L.append(f"- **Tolerance:** {v.tolerance}")
            L += [f"- **Why:** {v.why}", ""]
            for fig in _figures(v):
                L += [f"![evidence for {c.id}]({fig})", ""]
            ev = [e for e in v.evidence if e not in _figures(v)]
            if ev:
                L.append("Evidence: " + "; ".join(f"`{e}`" for e in ev))
            L += ["", "Sources: " + "; ".join(v.sources), ""]
    L += ["## Scenario results", ""]
    if not with_scenarios:
        L += ["Scenarios were not run for this report (`--no-scenarios`).", ""]
    for o in outcomes:
        L += [f"### {o.name}", ""]
        if o.result is None:
            L += [f"Not available: {o.reason}", ""]
            continue
        L += [("(reused up-to-date results) " if o.reused else "") +
              f"Files: `{o.rel_dir}/`" + (f" — {o.reason}" if o.reason else ""), ""]
        if o.summary_md:
            L += [_demote(_relink(_drop_title(o.summary_md, o.name), o.rel_dir)), ""]
    return "\n".join(L) + "\n"


def _relink(md: str, rel_dir: str) -> str:
    """Make a scenario summary's relative links point into its directory."""
    return re.sub(r"\]\((?![a-z]+:|#|/)([^)]+)\)", lambda m: f"]({rel_dir}/{m.group(1)})", md)


def _drop_title(md: str, name: str) -> str:
    """A scenario summary without its first heading when that only repeats the name."""
    lines = md.splitlines()
    if lines and lines[0].lstrip("#").strip() == name:
        lines = lines[1:]
    return "\n".join(lines)


def _demote(md: str) -> str:
    return "\n".join(("###" + ln) if ln.startswith("#") else ln for ln in md.splitlines())


# ---------------------------------------------------------------------------------------------
# HTML

_CSS = """
:root{--fg:#1b2631;--muted:#5d6d7e;--line:#d5dbdb;--bg:#fff}
*{box-sizing:border-box}
body{font:16px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);
background:var(--bg);margin:0;padding:0 1rem}
main{max-width:60rem;margin:0 auto;padding:1rem 0 3rem}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.3rem;border-bottom:2px solid var(--line);
padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.1rem;margin-top:1.8rem}
.muted{color:var(--muted);font-size:.9rem}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.8rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f6}
td.n{text-align:center}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.8rem;color:#fff;font-weight:600;
font-size:.8rem;white-space:nowrap}
.claim{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:.3rem;
padding:.6rem .9rem;margin:1rem 0;break-inside:avoid;page-break-inside:avoid}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid var(--line);font-style:italic}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.5rem 0}
dt{font-weight:600}dd{margin:0}
img{max-width:100%;height:auto;display:block;margin:.5rem 0;border:1px solid var(--line)}
code{font-size:.85em;word-break:break-all}
pre{white-space:pre-wrap;font-size:.85rem;background:#f8f9f9;padding:.6rem;border-radius:.3rem}
a{color:#1f4e79}ul.muted{font-size:.9rem}
@media (max-width:600px){body{font-size:15px;padding:0 .6rem}dl{grid-template-columns:1fr}
dt{margin-top:.3rem}h1{font-size:1.3rem}
table.stack thead{display:none}table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border:1px solid var(--line);border-radius:.3rem;margin:.5rem 0;padding:.2rem 0}
table.stack td{border:none;padding:.15rem .6rem}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
table.stack td.n{text-align:left}table.stack td:empty{display:none}}
@media print{body{font-size:11pt;padding:0}main{max-width:none}a{color:inherit;text-decoration:none}
.claim{border-color:#999}.table-wrap{overflow:visible}h2{page-break-after:avoid}
img{max-width:80%}}
"""


def _e(s) -> str:
    return html.escape(str(s if s is not None else ""), quote=True)


def _badge(v: str) -> str:
    return (f'<span class="badge" style="background:{VERDICT_COLOURS[v]}">{_e(v)}</span>')


def _data_uri(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render_html(cs: ClaimSet, verdicts, outcomes, with_scenarios, root: Path) -> str:
    """The self-contained report page; figures are read from *root* and embedded."""
    by, arts = _summary_rows(cs, verdicts)
    H = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         '<title>orbitsim fact-check: the ISS in the news, 2022</title>',
         f'<style>{_CSS}</style>', '</head>', '<body>', '<main>',
         '<h1>orbitsim fact-check: the ISS in the news, February–March 2022</h1>',
         '<p>Each claim quoted from the five articles, checked against orbital mechanics '
         '(SGP4 on the real ISS element sets of early 2022; NRLMSISE-00 decay; reentry risk '
         'after NASA-STD-8719.14) and a cited table of ISS facts. Every verdict states the '
         'claimed and computed values, the tolerance and the evidence.</p>',
         '<p class="muted">Verdicts: ' + " ".join(_badge(v) for v in VERDICTS)
         + ' — <a href="#method">how the claims are graded</a></p>',
         '<h2 id="summary">Summary by article</h2>', '<div class="table-wrap"><table class="stack">',
         '<thead><tr><th>article</th>' + "".join(f"<th>{_e(v)}</th>" for v in VERDICTS)
         + '</tr></thead><tbody>']
    for f, vs in arts.items():
        a = cs.articles[f]
        H.append(f'<tr><td><a href="#article-{_e(f[:3])}">{_e(a.label())}</a></td>' + "".join(
            f'<td class="n" data-label="{_e(k)}">{sum(v.verdict == k for v in vs)}</td>'
            for k in VERDICTS) + "</tr>")
    H += ['</tbody></table></div>', '<h2 id="all-claims">All claims</h2>',
          '<div class="table-wrap"><table class="stack"><thead><tr><th>claim</th>'
          '<th>verdict</th><th>claimed</th><th>computed</th></tr></thead><tbody>']
    for v in verdicts:
        c = by[v.claim_id]
        H.append(f'<tr><td><a href="#claim-{_e(c.id)}">{_e(c.id)}</a></td><td>{_badge(v.verdict)}'
                 f'</td>' + (f'<td data-label="claimed">{_e(v.claimed)}</td>' if v.claimed
                             else '<td></td>')
                 + (f'<td data-label="computed">{_e(v.computed)}</td>' if v.computed else
                    f'<td class="muted">{_e(_short(v.why))}</td>') + '</tr>')
    H += ['</tbody></table></div>', '<h2 id="method">How the claims are graded</h2>',
          '<ul class="muted">' + "".join(f"<li>{_e(m)}</li>" for m in METHOD) + '</ul>',
          '<h2 id="claims">Claims</h2>']
    for f, vs in arts.items():
        a = cs.articles[f]
        H.append(f'<h3 id="article-{_e(f[:3])}">{_e(a.label())}</h3>')
        if a.title:
            H.append(f'<p class="muted"><em>{_e(a.title)}</em>'
                     + (f" — {_e(a.date_note)}" if a.date_note else "") + '</p>')
        for v in vs:
            c = by[v.claim_id]
            H += [f'<section class="claim" id="claim-{_e(c.id)}" '
                  f'style="border-left-color:{VERDICT_COLOURS[v.verdict]}">',
                  f'<h4>{_badge(v.verdict)} <code>{_e(c.id)}</code></h4>',
                  f'<blockquote>“{_e(c.quote)}”</blockquote>',
                  f'<p class="muted">— {_e(c.speaker)}; {_e(c.source)}</p><dl>']
            for label, val in (("Claimed", v.claimed), ("Computed", v.computed),
                               ("Tolerance", v.tolerance), ("Why", v.why)):
                if val:
                    H.append(f"<dt>{label}</dt><dd>{_e(val)}</dd>")
            H.append("</dl>")
            figs = _figures(v)
            for fig in figs:
                uri = _data_uri(root / fig)
                if uri:
                    H.append(f'<figure id="evidence-{_e(c.id)}"><img src="{uri}" '
                             f'alt="evidence for {_e(c.id)}: {_e(Path(fig).name)}">'
                             f'<figcaption class="muted">Evidence: <code>{_e(fig)}</code>'
                             '</figcaption></figure>')
            ev = [e for e in v.evidence if e not in figs]
            if ev:
                H.append('<p class="muted">Evidence: ' + "; ".join(f"<code>{_e(e)}</code>"
                                                                   for e in ev) + "</p>")
            H.append('<p class="muted">Sources: ' + "; ".join(_e(s) for s in v.sources) + "</p>")
            H.append("</section>")
    H.append('<h2 id="scenarios">Scenario results</h2>')
    if not with_scenarios:
        H.append("<p>Scenarios were not run for this report (<code>--no-scenarios</code>).</p>")
    for o in outcomes:
        H.append(f'<h3 id="scenario-{_e(o.name)}">{_e(o.name)}</h3>')
        if o.result is None:
            H.append(f"<p>Not available: {_e(o.reason)}</p>")
            continue
        H.append(f'<p class="muted">{"Reused up-to-date results. " if o.reused else ""}'
                 f'Files: <code>{_e(o.rel_dir)}/</code>'
                 + (f" — {_e(o.reason)}" if o.reason else "") + "</p>")
        embedded = set()
        if o.summary_md:
            H.append(_md_to_html(_drop_title(o.summary_md, o.name), root / o.rel_dir, embedded))
        figs = o.result.get("figures") or {}
        for key, f in (figs.items() if isinstance(figs, dict) else []):
            paths = f if isinstance(f, list) else [f]
            for pth in paths:
                if isinstance(pth, dict):
                    pth = pth.get("path") or pth.get("png")
                if isinstance(pth, str) and pth.endswith(".png") and pth not in embedded:
                    uri = _data_uri(root / o.rel_dir / pth)
                    if uri:
                        H.append(f'<figure><img src="{uri}" alt="{_e(o.name)}: {_e(key)}">'
                                 f'<figcaption class="muted">{_e(key)}</figcaption></figure>')
    H += ['<p class="muted">Generated by orbitsim from the bundled data; no network used.</p>',
          "</main>", "</body>", "</html>"]
    return "\n".join(H) + "\n"


def _short(text: str, n: int = 110) -> str:
    text = text.removeprefix("cannot check: ")
    return text if len(text) <= n else text[:n - 1].rsplit(" ", 1)[0] + " …"


def _md_to_html(md: str, img_dir: Path | None = None, embedded: set | None = None) -> str:
    """Minimal Markdown (headings, bullets, quotes, paragraphs, **bold**, `code`, images) to
    escaped HTML. Images are read from *img_dir* and embedded as data URIs (their paths are
    added to *embedded*); images that cannot be read are named, not linked."""
    out, in_list = [], False
    for raw in md.splitlines():
        ln = raw.rstrip()
        m = re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", ln.strip())
        if m:
            if in_list:
                out.append("</ul>")
                in_list = False
            uri = _data_uri(img_dir / m.group(2)) if img_dir is not None and not re.match(
                r"[a-z]+:", m.group(2)) else None
            if uri:
                if embedded is not None:
                    embedded.add(m.group(2))
                out.append(f'<figure><img src="{uri}" alt="{_e(m.group(1))}"><figcaption '
                           f'class="muted">{_e(m.group(1))}</figcaption></figure>')
            else:
                out.append(f'<p class="muted">[figure {_e(m.group(2))} not available]</p>')
            continue
        if ln.startswith("> "):
            if in_list:
                out.append("</ul>")
                in_list = False
            out.append(f"<blockquote>{_e(ln[2:])}</blockquote>")
            continue
        t = _e(ln)
        t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
        t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
        if ln.startswith("- ") or ln.startswith("* "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{t[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if ln.startswith("#"):
            level = min(6, len(ln) - len(ln.lstrip("#")) + 3)
            out.append(f"<h{level}>{t.lstrip('#').strip()}</h{level}>")
        elif ln.strip():
            out.append(f"<p>{t}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)

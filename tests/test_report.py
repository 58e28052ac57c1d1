"""The report: valid, self-contained HTML that links every claim to its evidence; Markdown."""

import json
from html.parser import HTMLParser

import pytest

from conftest import run_cli
from orbitsim.claims import load_claims
from orbitsim.report import make_report

# A small subset covering numbers with figures, facts, a model-based claim and an uncheckable one.
SUBSET = ["a003-500-ton", "a004-227-miles", "a000-since-1998", "a002-soyuz-nearly-a-decade",
          "a003-fall-us-europe", "a003-engines-debris-avoidance"]
VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr"}


class Checker(HTMLParser):
    """Collects ids, hrefs, srcs and checks that every non-void tag is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.hrefs, self.srcs, self.errors = [], set(), [], [], []
        self.meta = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "meta":
            self.meta.append(a)
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self._in_style:
            self.style += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("r") / "out"
    summary = make_report(out, only=SUBSET, with_scenarios=False)
    return out, summary


def test_html_is_valid_and_self_contained(report):
    out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    p = Checker()
    p.feed(text)
    p.close()
    assert not p.errors and not p.stack, (p.errors, p.stack)
    for url in p.hrefs + p.srcs:
        assert not url.startswith(("http://", "https://", "//")), url
    assert all(s.startswith("data:image/png;base64,") for s in p.srcs)
    assert any(m.get("name") == "viewport" for m in p.meta)
    assert "@media print" in p.style and "max-width" in p.style


def test_every_claim_links_to_its_evidence(report):
    out, _ = report
    p = Checker()
    p.feed((out / "report.html").read_text(encoding="utf-8"))
    verdicts = {v["id"]: v for v in json.loads((out / "verdicts.json").read_text())}
    assert set(verdicts) == set(SUBSET)
    for cid, v in verdicts.items():
        assert f"claim-{cid}" in p.ids                       # section anchor
        assert f"#claim-{cid}" in p.hrefs                    # summary links to it
        figs = [e for e in v["evidence"] if e.endswith(".png")]
        for f in figs:
            assert (out / f).is_file()
            assert f"evidence-{cid}" in p.ids                # embedded figure
    # the numeric claims have figures; the uncheckable one has its reason
    assert any(e.endswith(".png") for e in verdicts["a003-500-ton"]["evidence"])
    assert verdicts["a003-engines-debris-avoidance"]["verdict"] == "cannot check"
    assert verdicts["a003-fall-us-europe"]["verdict"] == "cannot check"
    assert "--no-scenarios" in verdicts["a003-fall-us-europe"]["why"]


def test_markdown_report(report):
    out, summary = report
    md = (out / "report.md").read_text(encoding="utf-8")
    cs = load_claims()
    for cid in SUBSET:
        assert f'<a id="claim-{cid}"></a>' in md and f"(#claim-{cid})" in md
        assert cs.by_id(cid).quote in md
    assert "## Scenario results" in md and "--no-scenarios" in md
    assert summary["claims"] == len(SUBSET)


def test_cli_report_and_check_json(tmp_path):
    out = tmp_path / "rep"
    args = ["report", "--out", out, "--no-scenarios"]
    for cid in SUBSET[:3]:
        args += ["--only", cid]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    js = tmp_path / "v.json"
    r = run_cli("check", "seeds/claims.toml", "--json", js, "--only", "a003-500-ton",
                "--no-run-scenarios")
    assert r.returncode == 0, r.stderr
    d = json.loads(js.read_text())
    assert [x["id"] for x in d] == ["a003-500-ton"]
    for key in ("id", "quote", "source", "verdict", "computed", "claimed", "evidence"):
        assert d[0][key], key


def test_bad_input_leaves_nothing(tmp_path):
    out = tmp_path / "rep"
    r = run_cli("report", "--out", out, "--no-scenarios", "--only", "no-such-claim")
    assert r.returncode == 2
    assert r.stderr.strip().startswith("orbitsim: error:") and "Traceback" not in r.stderr
    assert not out.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[claims]]\nid = "x"\nfile = "nope.txt"\nspeaker = "s"\nquote = "q"\n'
                   'check = "teleport"\n')
    r = run_cli("check", bad)
    assert r.returncode == 2 and "unknown check type 'teleport'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_scenarios_run_then_reused(tmp_path):
    """Scenario results go to DIR/scenarios/ (shortened explicitly) and are reused when current."""
    out = tmp_path / "rep"
    kw = dict(only=["a000-since-1998"], scenarios=["nominal-2022"], horizon_days=2)
    first = make_report(out, **kw)
    if first["scenarios"]["nominal-2022"] not in ("run", "reused"):
        pytest.skip(f"scenario runner not working: {first['scenarios']['nominal-2022']}")
    assert first["scenarios"]["nominal-2022"] == "run"
    res = json.loads((out / "scenarios" / "nominal-2022" / "result.json").read_text())
    assert res["inputs"]["horizon_days"] == 2
    second = make_report(out, **kw)
    assert second["scenarios"]["nominal-2022"] == "reused"
    text = (out / "report.html").read_text(encoding="utf-8")
    p = Checker()
    p.feed(text)
    assert not p.errors and "scenario-nominal-2022" in p.ids
    assert sum(s.startswith("data:image/png;base64,") for s in p.srcs) >= 2
    assert not any(u.startswith(("http://", "https://")) for u in p.hrefs + p.srcs)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "](scenarios/nominal-2022/altitude.png)" in md
    # a changed horizon is not "up to date": it runs again
    third = make_report(out, **{**kw, "horizon_days": 3})
    assert third["scenarios"]["nominal-2022"] == "run"

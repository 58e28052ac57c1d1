"""Claims files: the articles' checkable statements as validated TOML.

A claims file (``seeds/claims.toml``) lists every claim of the articles with the exact
quote (a verbatim substring of the article file), who said it, and the *check* it maps to
with that check's parameters; claims orbitsim cannot check are listed with
``check = "none"`` and a ``reason``. The schema is documented at the top of
``seeds/claims.toml``; :data:`CHECKS` is its machine form.

Every problem is an :class:`orbitsim.errors.InputError` located as
``file:line: claims[i].field: message`` (line numbers found by scanning the TOML text,
since ``tomllib`` gives none).

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text(" date 2022-03-10 The ISS does not fly over Russia.")
>>> text = '''
... [[claims]]
... id = "x"
... file = "a.txt"
... speaker = "R"
... quote = "The ISS does not fly over Russia"
... check = "overflight"
... place = "Russia"
... flies = false
... '''
>>> cs = loads_claims(text, path=d / "c.toml")
>>> c = cs.claims[0]
>>> c.id, c.check, c.params["flies"], c.date.isoformat()
('x', 'overflight', False, '2022-03-10T00:00:00+00:00')
>>> try:
...     loads_claims(text.replace('"overflight"', '"overflite"'), path=d / "c.toml")
... except InputError as e:
...     print(str(e).split(d.name + "/")[-1])
c.toml:7: claims[0].check: unknown check type 'overflite' (did you mean 'overflight'?); known: ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .io import parse_toml
from .units import UNITS, AMBIGUOUS, dimension

#: Default claims file of the repository (the five articles).
DEFAULT_CLAIMS = Path(__file__).resolve().parents[1] / "seeds" / "claims.toml"

_NUM = (int, float)
_ANY = object()

#: check type -> (required parameters, optional parameters); values are the accepted types
#: or a tuple of allowed strings.
CHECKS: dict[str, tuple[dict, dict]] = {
    "overflight": ({"place": str, "flies": bool}, {"hours": _NUM}),
    "max_latitude": ({"value": _NUM}, {"hours": _NUM}),
    "speed": ({"value": _NUM, "unit": str}, {"unit_note": str}),
    "altitude": ({"value": _NUM, "unit": str}, {"unit_note": str}),
    "mass": ({"value": _NUM, "unit": str}, {"fact": str, "unit_note": str}),
    "reentry": ({}, {"within_value": _NUM, "within_unit": str, "scenario": str}),
    "debris_fall": ({"places": list}, {}),
    "risk_share": ({"places": list, "share": _NUM, "relation": ("eq", "at_least", "at_most")}, {}),
    "duration": ({"value": _NUM, "unit": str,
                  "qualifier": ("nearly", "about", "more_than", "at_least", "less_than")},
                 {"fact": str, "start": str, "end": str}),
    "date": ({"fact": str, "relation": ("in", "on", "before", "after", "within"), "claimed": _ANY},
             {}),
    "fact": ({"facts": list, "values": list}, {}),
    "none": ({"reason": str}, {}),
}
_COMMON_REQUIRED = ("id", "file", "speaker", "quote", "check")
_COMMON_OPTIONAL = ("date", "note")
_ARTICLE_KEYS = ("title", "outlet", "date", "date_note")
_SEED_DATE_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")


@dataclass(frozen=True)
class Article:
    """One article (seed file): its publication date (aware UTC) and what we know of it."""
    file: str
    path: Path
    date: dt.datetime
    title: str = ""
    outlet: str = ""
    date_note: str = ""

    def label(self) -> str:
        bits = [b for b in (self.outlet, self.date.date().isoformat()) if b]
        return f"{self.file} ({', '.join(bits)})"


@dataclass(frozen=True)
class Claim:
    """One claim: exact quote, speaker, article, the check and its parameters."""
    id: str
    file: str
    speaker: str
    quote: str
    check: str
    params: dict
    article: Article
    line: int | None = None
    claims_path: str | None = None
    note: str = ""

    @property
    def date(self) -> dt.datetime:
        """The date the claim refers to: the article's date unless the claim sets ``date``."""
        return self.params.get("_date") or self.article.date

    @property
    def source(self) -> str:
        """Where the claim comes from: seed file, outlet, date."""
        return self.article.label()

    @property
    def reason(self) -> str | None:
        return self.params.get("reason")


@dataclass
class ClaimSet:
    claims: list[Claim]
    articles: dict[str, Article] = field(default_factory=dict)
    path: Path | None = None

    def by_id(self, cid: str) -> Claim:
        for c in self.claims:
            if c.id == cid:
                return c
        raise InputError(f"no claim {cid!r}", file=self.path, field="id")

    def subset(self, ids) -> "ClaimSet":
        ids = list(ids)
        return ClaimSet([self.by_id(i) for i in ids], self.articles, self.path)


class _Lines:
    """Line numbers of ``[[claims]]`` blocks and their keys in the TOML text."""

    def __init__(self, text: str):
        self.blocks: list[int] = []       # 1-based header line of each [[claims]]
        self.keys: list[dict[str, int]] = []
        self.article_lines: dict[str, int] = {}
        current = None
        for n, raw in enumerate(text.splitlines(), 1):
            s = raw.strip()
            if re.match(r"^\[\[\s*claims\s*\]\]", s):
                self.blocks.append(n)
                current = {}
                self.keys.append(current)
                continue
            m = re.match(r'^\[\s*articles\s*\.\s*"([^"]+)"\s*\]', s)
            if m:
                self.article_lines[m.group(1)] = n
                current = None
                continue
            if s.startswith("["):
                current = None
                continue
            m = re.match(r"^([A-Za-z0-9_-]+)\s*=", s)
            if m and current is not None and m.group(1) not in current:
                current[m.group(1)] = n

    def line(self, i: int, key: str | None = None) -> int | None:
        if i >= len(self.blocks):
            return None
        if key and key in self.keys[i]:
            return self.keys[i][key]
        return self.blocks[i]


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _aware(v, err) -> dt.datetime:
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            raise err("date must carry a time zone (e.g. 2022-03-08T00:00:00Z)")
        return v.astimezone(dt.timezone.utc)
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day, tzinfo=dt.timezone.utc)
    raise err(f"expected a date, got {type(v).__name__}")


def load_claims(path=DEFAULT_CLAIMS, *, seeds_dir=None) -> ClaimSet:
    """Read and validate a claims file. Seed files are looked up beside it (or in *seeds_dir*)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("claims file not found", file=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=path) from None
    return loads_claims(text, path=path, seeds_dir=seeds_dir)


def loads_claims(text: str, *, path="<string>", seeds_dir=None) -> ClaimSet:
    """Validate claims TOML *text* (see :func:`load_claims`)."""
    path = Path(path)
    shown = _display(path)
    seeds = Path(seeds_dir) if seeds_dir is not None else path.parent
    data = parse_toml(text, shown)
    lines = _Lines(text)
    unknown = set(data) - {"claims", "articles"}
    if unknown:
        k = sorted(unknown)[0]
        raise InputError(f"unknown top-level key {k!r}{_suggest(k, ['claims', 'articles'])}",
                         file=shown, field=k)
    raw_claims = data.get("claims")
    if not isinstance(raw_claims, list) or not raw_claims:
        raise InputError("no [[claims]] in the file", file=shown, field="claims")

    articles: dict[str, Article] = {}
    seed_text: dict[str, str] = {}

    def article(fname: str, err) -> Article:
        if fname in articles:
            return articles[fname]
        p = seeds / fname
        if not p.is_file() or Path(fname).name != fname:
            raise err(f"article file {fname!r} not found in {_display(seeds)}/")
        body = p.read_text(encoding="utf-8")
        seed_text[fname] = body
        meta = (data.get("articles") or {}).get(fname, {})
        aline = lines.article_lines.get(fname)
        for k in meta:
            if k not in _ARTICLE_KEYS:
                raise InputError(f"unknown key {k!r}{_suggest(k, _ARTICLE_KEYS)}", file=shown,
                                 line=aline, field=f'articles."{fname}".{k}')
        date = None
        m = _SEED_DATE_RE.match(body)
        if m:
            date = dt.datetime.fromisoformat(m.group(1)).replace(tzinfo=dt.timezone.utc)
        if "date" in meta:
            def aerr(msg):
                return InputError(msg, file=shown, line=aline, field=f'articles."{fname}".date')
            mdate = _aware(meta["date"], aerr)
            if date is not None and mdate.date() != date.date():
                raise aerr(f"{mdate.date()} disagrees with the date line of the article "
                           f"({date.date()})")
            date = mdate
        if date is None:
            raise err(f"article {fname!r} carries no date line; give one in "
                      f'[articles."{fname}"] date = ...')
        articles[fname] = Article(fname, p, date, str(meta.get("title", "")),
                                  str(meta.get("outlet", "")), str(meta.get("date_note", "")))
        return articles[fname]

    out: list[Claim] = []
    seen: dict[str, int] = {}
    for i, rc in enumerate(raw_claims):
        where = f"claims[{i}]"

        def err(msg, key=None, _i=i, _where=where):
            return InputError(msg, file=shown, line=lines.line(_i, key),
                              field=f"{_where}.{key}" if key else _where)

        if not isinstance(rc, dict):
            raise err("each claim must be a table")
        for k in _COMMON_REQUIRED:
            if k not in rc:
                raise err(f"missing required field {k!r}", k)
            if not isinstance(rc[k], str) or not rc[k].strip():
                raise err(f"{k} must be a non-empty string", k)
        cid, check = rc["id"], rc["check"]
        if cid in seen:
            raise err(f"duplicate id {cid!r} (first used by claims[{seen[cid]}])", "id")
        seen[cid] = i
        if check not in CHECKS:
            raise err(f"unknown check type {check!r}{_suggest(check, CHECKS)}; known: "
                      + ", ".join(CHECKS), "check")
        req, opt = CHECKS[check]
        allowed = set(_COMMON_REQUIRED) | set(_COMMON_OPTIONAL) | set(req) | set(opt)
        for k in rc:
            if k not in allowed:
                raise err(f"unknown key {k!r} for check {check!r}{_suggest(k, allowed)}", k)
        params = {}
        for k, typ in list(req.items()) + list(opt.items()):
            if k not in rc:
                if k in req:
                    raise err(f"missing required field {k!r} for check {check!r}", k)
                continue
            v = rc[k]
            if isinstance(typ, tuple) and typ and isinstance(typ[0], str):
                if v not in typ:
                    raise err(f"{v!r} is not one of {', '.join(typ)}{_suggest(str(v), typ)}", k)
            elif typ is _NUM:
                if isinstance(v, bool) or not isinstance(v, _NUM):
                    raise err(f"expected a number, got {type(v).__name__}", k)
                v = float(v)
            elif typ is not _ANY and not isinstance(v, typ):
                raise err(f"expected {typ.__name__}, got {type(v).__name__}", k)
            params[k] = v
        _check_params(check, params, lambda msg, key: err(msg, key))
        art = article(rc["file"], lambda msg: err(msg, "file"))
        quote = rc["quote"]
        if quote not in seed_text[rc["file"]]:
            near = _nearest_text(quote, seed_text[rc["file"]])
            raise err(f"quote not found verbatim in {rc['file']}"
                      + (f"; closest passage: {near!r}" if near else ""), "quote")
        if "date" in rc:
            params["_date"] = _aware(rc["date"], lambda msg: err(msg, "date"))
        out.append(Claim(cid, rc["file"], rc["speaker"], quote, check, params, art,
                         lines.line(i), shown, str(rc.get("note", ""))))
    return ClaimSet(out, articles, path)


def _check_params(check: str, p: dict, err) -> None:
    """Semantic checks of a claim's parameters (units, ranges)."""
    dims = {"speed": "speed", "altitude": "length", "mass": "mass", "duration": "duration"}
    if check in dims:
        unit = p["unit"]
        if check == "altitude" and unit == "unspecified":
            pass
        elif unit not in UNITS and unit not in AMBIGUOUS:
            raise err(f"unknown unit {unit!r}{_suggest(unit, list(UNITS) + list(AMBIGUOUS))}",
                      "unit")
        elif dimension(unit) != dims[check]:
            raise err(f"unit {unit!r} is a {dimension(unit)}, not a {dims[check]}", "unit")
        if p["value"] <= 0:
            raise err("must be positive", "value")
    if check == "duration" and not ("fact" in p or "start" in p):
        raise err("give either 'fact' (a period or duration fact) or 'start' [+ 'end']", "fact")
    if check == "reentry" and ("within_value" in p) != ("within_unit" in p):
        raise err("give within_value and within_unit together", "within_unit")
    if check == "reentry" and "within_unit" in p and dimension(p["within_unit"]) != "duration":
        raise err(f"{p['within_unit']!r} is not a duration unit", "within_unit")
    if check in ("debris_fall", "risk_share"):
        if not p["places"] or not all(isinstance(x, str) and x.strip() for x in p["places"]):
            raise err("places must be a non-empty list of names", "places")
    if check == "risk_share" and not 0.0 <= p["share"] <= 1.0:
        raise err("share must be a fraction between 0 and 1", "share")
    if check == "fact":
        if not p["facts"] or len(p["facts"]) != len(p["values"]):
            raise err("facts and values must be non-empty lists of the same length", "values")
    if check == "none" and not p["reason"].strip():
        raise err("a claim that cannot be checked needs a reason", "reason")
    if check == "max_latitude" and not 0 <= p["value"] <= 90:
        raise err("latitude must be between 0 and 90 degrees", "value")


def _nearest_text(quote: str, body: str) -> str | None:
    words = body.split()
    n = max(1, len(quote.split()))
    cands = [" ".join(words[i:i + n]) for i in range(0, max(1, len(words) - n + 1))]
    m = difflib.get_close_matches(quote, cands, n=1, cutoff=0.6)
    return m[0] if m else None


def _display(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)

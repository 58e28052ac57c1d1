"""seeds/claims.toml: verbatim quotes, complete schema, precise errors for bad claims files."""

import re
import shutil
import tomllib

import pytest

from conftest import ROOT
from orbitsim.claims import CHECKS, DEFAULT_CLAIMS, load_claims, loads_claims
from orbitsim.errors import InputError

SEEDS = ROOT / "seeds"


def _raw():
    with open(DEFAULT_CLAIMS, "rb") as f:
        return tomllib.load(f)["claims"]


def test_every_quote_is_verbatim_in_its_article():
    # read the articles directly (independent of the loader)
    for c in _raw():
        text = (SEEDS / c["file"]).read_text(encoding="utf-8")
        assert c["quote"] in text, (c["id"], c["quote"])


def test_claims_file_loads_and_covers_all_articles():
    cs = load_claims()
    assert len(cs.claims) == len(_raw()) >= 40
    assert {c.file for c in cs.claims} == {p.name for p in SEEDS.glob("*.txt")}
    assert len({c.id for c in cs.claims}) == len(cs.claims)
    for c in cs.claims:
        assert c.check in CHECKS
        assert c.speaker.strip()
        assert c.date.tzinfo is not None
        if c.check == "none":
            assert c.reason and len(c.reason) > 20


def test_key_claims_are_mapped_to_their_checks():
    cs = load_claims()
    by_quote = {}
    for c in cs.claims:
        by_quote.setdefault(c.quote, set()).add(c.check)
    assert "overflight" in by_quote["The ISS does not fly over Russia"]
    assert "mass" in by_quote["dropping a 500-ton structure"]
    assert "debris_fall" in by_quote["dropping a 500-ton structure to India and China"]
    assert "speed" in by_quote["flying around the Earth at 17,500 miles an hour"]
    assert "altitude" in by_quote["227 miles"]
    assert "risk_share" in by_quote["The ISS does not fly over Russia, so all the risks are yours."]


def test_dates_come_from_the_article_date_line():
    cs = load_claims()
    # 002 carries " date 2022-03-08" on its first line
    first = (SEEDS / "002_93ced5482493b3e8.txt").read_text().split()[:2]
    assert first[0] == "date"
    assert cs.articles["002_93ced5482493b3e8.txt"].date.date().isoformat() == first[1]


BASE = '''
[[claims]]
id = "one"
file = "003_a133dca6ca42debf.txt"
speaker = "Rogozin"
quote = "The ISS does not fly over Russia"
check = "overflight"
place = "Russia"
flies = false
'''


@pytest.fixture
def tmp_claims(tmp_path):
    shutil.copy(SEEDS / "003_a133dca6ca42debf.txt", tmp_path)

    def load(text):
        p = tmp_path / "claims.toml"
        p.write_text(text)
        return load_claims(p)
    return load


def test_minimal_file_loads(tmp_claims):
    c = tmp_claims(BASE).claims[0]
    assert (c.check, c.params["place"], c.params["flies"]) == ("overflight", "Russia", False)


@pytest.mark.parametrize("edit, line, field, words", [
    (('"overflight"', '"overflite"'), 7, "claims[0].check", "did you mean 'overflight'"),
    (('Russia"\ncheck', 'Russia!"\ncheck'), 6, "claims[0].quote", "not found verbatim"),
    (('quote = "The ISS does not fly over Russia"\n', ''), 2, "claims[0].quote", "missing"),
    (('flies = false', 'flies = "no"'), 9, "claims[0].flies", "expected bool"),
    (('place = "Russia"', 'country = "Russia"'), 8, "claims[0].country", "unknown key"),
    (('003_a133dca6ca42debf.txt', '999_nope.txt'), 4, "claims[0].file", "not found"),
])
def test_errors_name_file_line_field(tmp_claims, edit, line, field, words):
    text = BASE.replace(*edit)
    with pytest.raises(InputError) as ei:
        tmp_claims(text)
    e = ei.value
    assert e.line == line and e.field == field and e.file.endswith("claims.toml")
    assert words in str(e)
    assert re.match(r"^.*claims\.toml:\d+: claims\[0\]\.\w+: ", str(e))


def test_duplicate_ids_and_missing_reason(tmp_claims):
    with pytest.raises(InputError, match="duplicate id 'one'"):
        tmp_claims(BASE + BASE)
    none = BASE.replace('check = "overflight"\nplace = "Russia"\nflies = false',
                        'check = "none"')
    with pytest.raises(InputError, match="missing required field 'reason'"):
        tmp_claims(none)


def test_bad_units_and_values(tmp_claims):
    mass = BASE.replace('check = "overflight"\nplace = "Russia"\nflies = false',
                        'check = "mass"\nvalue = 500\nunit = "km"')
    with pytest.raises(InputError, match="is a length, not a mass"):
        tmp_claims(mass)
    with pytest.raises(InputError, match="unknown unit 'stone'"):
        tmp_claims(mass.replace('"km"', '"stone"'))


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not valid TOML"):
        loads_claims("[[claims]\nid=", path=tmp_path / "x.toml")
    with pytest.raises(InputError, match="claims file not found"):
        load_claims(tmp_path / "missing.toml")

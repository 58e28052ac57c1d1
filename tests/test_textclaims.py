"""Free-text claims: supported forms, paraphrases, unsupported / empty / non-English input."""

import pytest

from conftest import run_cli
from orbitsim.claims import load_claims
from orbitsim.textclaims import SUPPORTED_FORMS, UnsupportedClaim, parse_claim

PARAPHRASES = [
    ["The ISS does not fly over Russia", "The ISS does not fly over Russia.",
     "It never passes over Russia", "the space station doesn't fly over Russia",
     "The International Space Station never flies above Russia at all",
     "The ISS does not overfly Russia", "Russia is never overflown by the ISS"],
    ["The ISS flies over China", "The station passes over China", "The ISS overflies China",
     "It goes over China"],
    ["The ISS moves at 17,500 miles an hour", "It travels at 17,500 mph",
     "The station is flying at 17500 miles per hour"],
    ["The ISS orbits at 420 kilometers", "The ISS orbits 420 km above the Earth",
     "It flies at an altitude of 420 km"],
    ["The ISS weighs 500 tons", "It is a 500-ton structure", "The station weighs 500 tons."],
    ["The ISS would fall on the United States or Europe",
     "It could fall into the United States or Europe", "Debris would fall on Europe and the United States"],
    ["The ISS would reenter within 2 years without reboosts",
     "Without reboosts the station would come down within 2 years",
     "It would re-enter within two years with no reboosts",
     "The station would burn up within 2 years if reboosts stopped"],
]


@pytest.mark.parametrize("group", PARAPHRASES, ids=lambda g: g[0])
def test_paraphrases_map_to_the_same_check(group):
    keys = {parse_claim(s).key() for s in group}
    assert len(keys) == 1, keys


def test_different_claims_differ():
    keys = [parse_claim(g[0]).key() for g in PARAPHRASES]
    assert len(set(keys)) == len(keys)
    assert parse_claim("The ISS flies over Russia").key() != parse_claim(
        "The ISS does not fly over Russia").key()


def test_parsed_parameters():
    p = parse_claim("The ISS does not fly over Russia, so all the risks are yours.")
    assert p.check == "overflight" and p.params == {"place": p.params["place"], "flies": False}
    assert p.place_names == ("Russia",)
    p = parse_claim("The ISS orbits 227 miles above Earth")
    assert (p.check, p.params["value"], p.params["unit"]) == ("altitude", 227.0, "mi")
    p = parse_claim("The ISS would fall on the US, Europe, India or China")
    assert p.check == "debris_fall" and len(p.params["places"]) == 4
    p = parse_claim("It would reenter within 18 months without reboosts")
    assert p.params == {"within_value": 18.0, "within_unit": "month"}


def test_russian_federation_is_russia():
    a = parse_claim("doesn't overfly the Russian Federation").key()
    assert a == parse_claim("The ISS does not fly over Russia").key()


@pytest.mark.parametrize("text", ["", "   ", "The sky is blue",
                                  "МКС не летает над Россией", "国际空间站不飞越俄罗斯",
                                  "L'ISS ne survole pas la Russie"])
def test_unsupported_sentences_list_the_forms(text):
    with pytest.raises(UnsupportedClaim) as ei:
        parse_claim(text)
    msg = str(ei.value)
    assert "Supported forms" in msg
    assert all(f in msg for f in SUPPORTED_FORMS)


def test_reentry_needs_without_reboosts():
    with pytest.raises(UnsupportedClaim, match="without reboosts"):
        parse_claim("The ISS would reenter within 2 years")


def test_claims_file_quotes_parse_to_their_checks():
    """Quotes in seeds/claims.toml that are sentences of a supported form parse to the same check."""
    cs = load_claims()
    c = cs.by_id("a003-not-over-russia")
    p = parse_claim(c.quote)
    assert p.check == c.check and p.params["flies"] == c.params["flies"]
    c = cs.by_id("a000-speed-17500mph")
    p = parse_claim(c.quote)
    assert (p.check, p.params["value"], p.params["unit"]) == (c.check, c.params["value"],
                                                               c.params["unit"])


def test_cli_empty_and_foreign_sentences_exit_2():
    for text in ("", "МКС не летает над Россией"):
        r = run_cli("check", text)
        assert r.returncode == 2
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("orbitsim: error:")
        assert "Supported forms" in err[0] and "Traceback" not in r.stderr


def test_cli_sentence_gives_a_verdict(tmp_path):
    out = tmp_path / "v.json"
    r = run_cli("check", "The ISS weighs 500 tonnes", "--json", out)
    assert r.returncode == 0, r.stderr
    assert "misleading" in r.stdout
    import json
    d = json.loads(out.read_text())[0]
    assert d["verdict"] == "misleading" and d["quote"] == "The ISS weighs 500 tonnes"
    assert d["evidence"]


def test_latitude_form():
    a = parse_claim("The ISS reaches 51.8 degrees latitude")
    b = parse_claim("It flies as far north as 51.8 degrees")
    assert a.key() == b.key() == ("max_latitude", ("value", 51.8))

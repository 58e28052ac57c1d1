"""Free text -> check: English sentences about the ISS mapped to the checks of :mod:`claims`.

Supported forms (the subject "the ISS" / "the station" / "it" is optional)::

    flies over <country|region|city>            does not fly over <place>
    moves at <number> <speed unit>              orbits at <number> <length unit>
    weighs <number> <mass unit>                 would fall on <place>[, <place> ... or <place>]
    would reenter within <number> <duration unit> without reboosts
    reaches <number> degrees latitude

Paraphrases map to the same check: "never passes over Russia", "doesn't overfly the Russian
Federation" and "The ISS does not fly over Russia" are all ``overflight(place=Russia,
flies=False)`` (place names are resolved by :func:`orbitsim.geography.place` when the
geography module is available). A sentence that is none of these -- including any
sentence not in English -- raises :class:`UnsupportedClaim` whose message lists the forms.

>>> parse_claim("The ISS does not fly over Russia").key()
('overflight', ('flies', False), ('place', 'russia'))
>>> parse_claim("It never passes over Russia.").key() == parse_claim("The ISS does not fly over Russia").key()
True
>>> p = parse_claim("The station weighs 500 tons")
>>> p.check, p.params["value"], p.params["unit"]
('mass', 500.0, 'ton')
>>> parse_claim("would reenter within 2 years without reboosts").params
{'within_value': 2.0, 'within_unit': 'year'}
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import InputError
from .units import QUANTITY_RE, dimension, quantity_from_match

SUPPORTED_FORMS = (
    "the ISS flies over <country, region or city>",
    "the ISS does not fly over <country, region or city>",
    "the ISS moves at <number> <mph | km/h | km/s | m/s | knots>",
    "the ISS orbits at <number> <km | miles | nautical miles | m>",
    "the ISS weighs <number> <tonnes | tons | short tons | kg | lb>",
    "the ISS would fall on <place>[, <place> ... or <place>]",
    "the ISS would reenter within <number> <days | months | years> without reboosts",
    "the ISS reaches <number> degrees latitude",
)


class UnsupportedClaim(InputError):
    """A sentence none of the supported forms matches (or an empty / non-English one)."""


def supported_message(prefix: str) -> str:
    return prefix + " Supported forms: " + "; ".join(f'"{f}"' for f in SUPPORTED_FORMS) + "."


@dataclass(frozen=True)
class ParsedClaim:
    """A sentence turned into a check type and its parameters (as in a claims file)."""
    check: str
    params: dict
    text: str
    place_names: tuple = field(default=())   # as written, before canonicalisation

    def key(self) -> tuple:
        """Hashable identity of the check: equal for paraphrases of the same claim."""
        items = []
        for k, v in sorted(self.params.items()):
            if isinstance(v, list):
                v = tuple(sorted(str(x).lower() for x in v))
            elif isinstance(v, str):
                v = v.lower()
            items.append((k, v))
        return (self.check, *items)


_NEG = r"(?:does\s+not|doesn't|doesnt|do\s+not|don't|dont|never|cannot|can\s*not|can't|won't|will\s+not|isn't|is\s+not)"
_MOVE = r"(?:fly|flies|flying|flew|pass|passes|passing|passed|go|goes|going|travel|travels|travelling|traveling|orbit|orbits|orbiting|cross|crosses|crossing|be|is|come|comes|get|gets)"
_PREP_OVER = r"(?:over|above|across|overhead\s+of)"
_SUBJECT = (r"^(?:(?:the\s+)?(?:international\s+space\s+station|iss|space\s+station|station)"
            r"|it|she)\s*(?:\([^)]*\)\s*)?")

_OVER_NEG = [
    re.compile(rf"\b{_NEG}\s+(?:ever\s+|even\s+|actually\s+)?{_MOVE}\s+(?:directly\s+)?{_PREP_OVER}\s+(?P<place>.+)$", re.I),
    re.compile(rf"\b{_NEG}\s+(?:ever\s+|even\s+)?overfl(?:y|ies|ying)\s+(?P<place>.+)$", re.I),
    re.compile(rf"\bnever\s+(?:flies|passes|goes|travels|orbits|crosses)\s+{_PREP_OVER}\s+(?P<place>.+)$", re.I),
]
_OVER_PASSIVE = re.compile(
    r"^(?P<place>.+?)\s+(?:is|are)\s+(?P<neg>never\s+|not\s+|n't\s+)?(?:ever\s+)?"
    r"(?:overflown|flown\s+over|passed\s+over)\s+by\s+(?:the\s+)?(?:iss|international\s+space"
    r"\s+station|space\s+station|station)\b", re.I)
_OVER_POS = [
    re.compile(rf"\b{_MOVE}\s+(?:directly\s+)?{_PREP_OVER}\s+(?P<place>.+)$", re.I),
    re.compile(r"\boverfl(?:y|ies|ying|ew)\s+(?P<place>.+)$", re.I),
]
_FALL = re.compile(
    r"\b(?:would|could|will|might|may|can|to)?\s*(?:fall|falls|crash|crashes|come\s+down|comes\s+down|"
    r"land|lands|drop|drops|rain\s+down|be\s+dropped|debris\s+(?:would|could|will)\s+(?:fall|land))"
    r"\s+(?:on|onto|into|in|over|to|on\s+to)\s+(?P<places>.+)$", re.I)
_REENTER = re.compile(
    r"\b(?:re-?enter|re-?enters|reentry|re-entry|come\s+down|comes\s+down|fall|falls|crash|crashes|"
    r"deorbit|deorbits|de-orbit|burn\s+up|decay|decays)\b", re.I)
_WITHOUT_REBOOST = re.compile(
    r"\b(?:without|with\s+no|no(?:\s+more)?|absent)\s+(?:\w+\s+)?re-?boosts?\b"
    r"|\b(?:if|once|when|after)\s+(?:the\s+)?(?:\w+\s+)?re-?boosts?\s+(?:stop|stopped|end|ended|"
    r"cease|ceased|are\s+stopped|were\s+stopped)\b", re.I)
_LAT = re.compile(r"\b(?:reaches|reach|goes\s+(?:up\s+)?to|flies\s+(?:up\s+)?to|as\s+far\s+(?:north|south)"
                  r"\s+as|latitudes?\s+(?:of|up\s+to))\s+(?:latitude\s+)?(?P<deg>\d{1,2}(?:\.\d+)?)\s*"
                  r"(?:degrees|deg|°)", re.I)
_WEIGH = re.compile(r"\b(?:weigh|weighs|weighing|mass|masses|heavy|tons?|tonnes?|structure|kg|pounds|lbs?)\b", re.I)
_ALT = re.compile(r"\b(?:orbit|orbits|orbiting|altitude|above|high|height|up|flies\s+at|fly\s+at|below|beneath)\b", re.I)


def _normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"\s+", " ", t).strip()
    return t.strip(" \"'")


def _clean_place(s: str) -> str:
    s = re.split(r"[.;:!?]|,\s*(?:so|but|and\s+so|because)\b|\s+(?:so|because|but|at\s+all|ever|"
                 r"anymore|any\s+more|at\s+any\s+time|during|when|while|whenever)\b", s, maxsplit=1,
                 flags=re.I)[0]
    s = re.sub(r"^(?:the\s+territory\s+of\s+|the\s+)", "", s.strip(), flags=re.I)
    s = re.sub(r"\s+(?:territory|at\s+all)$", "", s, flags=re.I)
    return s.strip(" ,\"'")


def _split_places(s: str) -> list[str]:
    s = re.split(r"[.;:!?]|\s+(?:if|unless|because|when|should)\b", s, maxsplit=1, flags=re.I)[0]
    parts = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+|\s*/\s*", s, flags=re.I)
    out = []
    for p in parts:
        p = re.sub(r"^(?:the\s+territory\s+of\s+|the\s+|either\s+)", "", p.strip(), flags=re.I)
        p = p.strip(" ,\"'")
        if p:
            out.append(p)
    return out


def canonical_place(name: str) -> str:
    """The geography module's canonical name for *name* (aliases resolved).

    An unknown name is returned as written (the checker resolves it later and says so if it
    cannot).
    """
    from .geography import place
    try:
        return place(name).name
    except InputError:
        return name   # the checker reports the unknown place with suggestions


def _looks_english(t: str) -> bool:
    letters = [c for c in t if c.isalpha()]
    if not letters:
        return False
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    return ascii_share > 0.9


def parse_claim(text: str) -> ParsedClaim:
    """Map an English sentence to a check (see the module docstring for the forms).

    Raises :class:`UnsupportedClaim` (an :class:`InputError`) for empty, non-English or
    unsupported sentences, with the list of supported forms.
    """
    if text is None or not str(text).strip():
        raise UnsupportedClaim(supported_message("empty claim: give a sentence to check."),
                               field="claim")
    t = _normalise(str(text))
    if not _looks_english(t):
        raise UnsupportedClaim(supported_message(
            f"cannot read {t[:60]!r}: only English sentences of the supported forms are understood."),
            field="claim")
    body = re.sub(_SUBJECT, "", t, flags=re.I)
    quantities = [quantity_from_match(m) for m in QUANTITY_RE.finditer(t)
                  if m.group("unit").lower() not in ("a", "an")]

    def first(dim):
        for q in quantities:
            if dimension(q.unit) == dim:
                return q
        return None

    # 1. time to reentry without reboosts
    dur = first("duration")
    if dur is not None and _REENTER.search(t):
        if not _WITHOUT_REBOOST.search(t):
            raise UnsupportedClaim(supported_message(
                f"{t!r}: a reentry time is checked for the case without reboosts; say "
                "'without reboosts'."), field="claim")
        return ParsedClaim("reentry", {"within_value": dur.value, "within_unit": dur.unit}, t)

    # 2. speed / 3. mass / 4. altitude
    spd = first("speed")
    if spd is not None:
        return ParsedClaim("speed", {"value": spd.value, "unit": spd.unit}, t)
    mass = first("mass")
    if mass is not None and _WEIGH.search(t):
        return ParsedClaim("mass", {"value": mass.value, "unit": mass.unit}, t)
    length = first("length")
    if length is not None and _ALT.search(t):
        return ParsedClaim("altitude", {"value": length.value, "unit": length.unit}, t)

    # 4b. highest latitude
    m = _LAT.search(t)
    if m:
        return ParsedClaim("max_latitude", {"value": float(m.group("deg"))}, t)

    # 5. where debris would fall
    m = _FALL.search(body)
    if m and re.search(r"\b(?:would|could|will|might|may|can|to|debris)\b", body[:m.end()], re.I) \
            or (m and re.match(r"^(?:fall|falls|crash|crashes|land|lands)\b", body.strip(), re.I)):
        places = _split_places(m.group("places"))
        if places:
            canon = [canonical_place(p) for p in places]
            return ParsedClaim("debris_fall", {"places": canon}, t, tuple(places))

    # 6. overflight
    m = _OVER_PASSIVE.search(t.replace("isn't", "is n't").replace("aren't", "are n't"))
    if m:
        place = _clean_place(m.group("place"))
        if place:
            return ParsedClaim("overflight", {"place": canonical_place(place),
                                              "flies": not m.group("neg")}, t, (place,))
    for rx, flies in [(r, False) for r in _OVER_NEG] + [(r, True) for r in _OVER_POS]:
        m = rx.search(body)
        if m:
            place = _clean_place(m.group("place"))
            if place:
                return ParsedClaim("overflight", {"place": canonical_place(place), "flies": flies},
                                   t, (place,))
    raise UnsupportedClaim(supported_message(f"{t!r} is not one of the claims orbitsim can check."),
                           field="claim")

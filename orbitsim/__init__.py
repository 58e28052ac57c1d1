"""orbitsim: the ISS orbit, its decay and reentry, and claims about them.

The public API reads like the domain (names are loaded lazily, so importing the
numeric core never pulls in plotting or geography):

>>> import orbitsim
>>> iss = orbitsim.nearest(orbitsim.bundled_iss(), "2022-03-01")
>>> round(iss.inclination_deg, 2)
51.64
>>> orbitsim.place("Russian Federation").name
'Russia'
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "read_elements": "elements", "bundled_iss": "elements", "nearest": "elements",
    "select_elements": "elements",
    "track": "propagate",
    "place": "geography", "locate": "geography",
    "overflight": "overflights",
    "space_weather": "spaceweather",
    "fit_ballistic_coefficient": "ballistic",
    "decay": "reentry", "ensemble": "reentry",
    "risk": "debris",
    "load_scenario": "scenario:load", "run": "runner",
    "check_sentence": "checkers", "load_claims": "claims",
    "InputError": "errors",
}

__all__ = sorted([*_API, "check"])


def check(claim, **kwargs):
    """Check a claim: an English sentence (``"The ISS does not fly over Russia"``) or a
    :class:`orbitsim.claims.Claim`. Returns an :class:`orbitsim.checkers.Verdict`."""
    from . import checkers

    if isinstance(claim, str):
        return checkers.check_sentence(claim, **kwargs)
    return checkers.check(claim, **kwargs)


def __getattr__(name):
    if name in _API:
        module, _, attr = _API[name].partition(":")
        return getattr(import_module(f".{module}", __name__), attr or name)
    raise AttributeError(f"module 'orbitsim' has no attribute {name!r}")

"""Unit conversions against their exact definitions (NIST SP 811, 1959 yard-and-pound agreement)."""

import pytest

from orbitsim import units as U
from orbitsim.errors import InputError


def test_lengths_exact():
    assert U.to_si(1, "mi") == 5280 * 0.3048 == 1609.344          # statute mile
    assert U.to_si(1, "nmi") == 1852.0                            # international nautical mile
    assert U.to_si(1, "km") == 1000.0
    assert U.convert(1, "nmi", "mi") == pytest.approx(1852 / 1609.344, rel=1e-15)


def test_masses_exact():
    assert U.to_si(1, "short_ton") == pytest.approx(2000 * 0.45359237, rel=1e-15)
    assert U.to_si(1, "short_ton") == pytest.approx(907.18474, rel=1e-15)
    assert U.to_si(1, "long_ton") == pytest.approx(1016.0469088, rel=1e-15)
    assert U.to_si(1, "t") == 1000.0
    assert U.to_si(1, "lb") == 0.45359237


def test_speeds_exact():
    assert U.to_si(1, "mph") == pytest.approx(1609.344 / 3600, rel=1e-15)
    assert U.to_si(1, "kn") == pytest.approx(1852 / 3600, rel=1e-15)
    assert U.to_si(3.6, "km/h") == pytest.approx(1.0, rel=1e-15)


def test_parse_prose_quantities():
    q = U.parse_quantity("flying around the Earth at 17,500 miles an hour")
    assert (q.value, q.unit, q.halfwidth) == (17500.0, "mph", 50.0)
    q = U.parse_quantity("dropping a 500-ton structure")
    assert q.unit == "ton" and q.interpretations() == ("t", "short_ton", "long_ton")
    assert [(x.value, x.unit) for x in U.find_quantities("420 kilometers (227 miles)")] == [
        (420.0, "km"), (227.0, "mi")]
    assert U.parse_quantity("for nine years").value == 9.0
    assert U.parse_quantity("227 nautical miles").unit == "nmi"


def test_rounding_halfwidth():
    assert U.rounding_halfwidth("17,500") == 50
    assert U.rounding_halfwidth("420") == 5
    assert U.rounding_halfwidth("227") == 0.5
    assert U.rounding_halfwidth("7.66") == pytest.approx(0.005)


def test_mixups_name_the_confused_unit():
    # 227 "miles" for 420.4 km: nautical miles, not statute
    best = U.mixups(227, "mi", 420_400.0)[0]
    assert best.unit == "nmi" and abs(best.rel_error) < 1e-3
    # 27,600 "mph" for 7.667 km/s: km/h
    assert U.mixups(27_600, "mph", 7667.0)[0].unit == "km/h"
    # 463 "tonnes" for the ISS's 419,725 kg: short tons
    assert U.mixups(463, "t", 419_725.0)[0].unit == "short_ton"


def test_bad_units_raise():
    with pytest.raises(InputError):
        U.to_si(1, "furlong")
    with pytest.raises(InputError, match="ambiguous"):
        U.to_si(1, "ton")
    with pytest.raises(InputError):
        U.convert(1, "km", "kg")

"""Element sets: TLE and OMM parsing, validation errors, bundled ISS sets, selection.

References: the TLE column layout and checksum rule (Vallado 2013 Fig. 2-14),
the ``sgp4`` package's own OMM reader (``sgp4.omm``), skyfield's
``EarthSatellite`` epoch handling, and calendar arithmetic done by hand.
"""

import datetime as dt
import io
import json
import warnings

import numpy as np
import pytest
from conftest import one_meter
from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec

from orbitsim.elements import (ElementAgeWarning, bundled_iss, nearest, parse_elements,
                               parse_omm, parse_tle, read_elements, select_elements)
from orbitsim.errors import InputError

UTC = dt.timezone.utc
# The first bundled set (real Space-Track element set, 2022-01-01).
NAME = "ISS (ZARYA)"
L1 = "1 25544U 98067A   22001.05265755  .00006291  00000-0  11882-3 0  9991"
L2 = "2 25544  51.6446  84.2599 0004899 348.0043  73.2132 15.49825481319263"


def checksum(line):
    """Independent re-statement of the TLE rule: digits summed, '-' counts 1, mod 10."""
    total = 0
    for ch in line[:68]:
        if ch.isdigit():
            total += int(ch)
        elif ch == "-":
            total += 1
    return str(total % 10)


def resum(line):
    return line[:68] + checksum(line)


def err_of(text, source="t.tle"):
    with pytest.raises(InputError) as ei:
        parse_elements(text, source)
    return ei.value


# ----------------------------------------------------------------- TLE ok

def test_fixture_lines_have_valid_checksums():
    assert L1[68] == checksum(L1) and L2[68] == checksum(L2)


def test_three_line_and_two_line_forms_parse_the_same():
    three = parse_tle(f"{NAME}\n{L1}\n{L2}\n")[0]
    two = parse_tle(f"{L1}\n{L2}\n")[0]
    zero = parse_tle(f"0 {NAME}\r\n{L1}\r\n{L2}\r\n")[0]      # Space-Track 3LE, CRLF
    assert three.name == NAME == zero.name
    assert two.catalog == three.catalog == 25544
    assert two.epoch == three.epoch == zero.epoch
    assert three.lineno == 2 and two.lineno == 1


def test_tle_epoch_is_utc_day_of_year():
    # 22001.05265755: day 1 of 2022 + 0.05265755 d = 4549.61232 s after 00:00 UTC.
    es = parse_tle(f"{L1}\n{L2}\n")[0]
    want = dt.datetime(2022, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=0.05265755 * 86400)
    assert es.epoch.tzinfo is not None and es.epoch.utcoffset() == dt.timedelta(0)
    assert abs((es.epoch - want).total_seconds()) < 1e-6
    assert es.epoch.strftime("%H:%M:%S") == "01:15:49"
    # sgp4 (AIAA 2006-6753) counts the epoch as a UTC Julian date: JD 2459580.5 = 2022-01-01 0h.
    jd = es.satrec.jdsatepoch + es.satrec.jdsatepochF
    assert abs((jd - 2459580.5) * 86400 - 0.05265755 * 86400) < 1e-3


def test_byte_order_mark_and_line_numbers_after_blank_lines():
    es = parse_elements(f"\ufeff{NAME}\n{L1}\n{L2}\n")[0]
    assert es.name == NAME
    e = err_of(f"\n\n{L1}\n{L2[:60]}\n")
    assert e.line == 4
    e = err_of('\n\n[{"OBJECT_NAME": "ISS",', "b.json")
    assert e.line == 3


def test_properties_against_tle_columns_and_kepler():
    es = parse_tle(f"{L1}\n{L2}\n")[0]
    assert es.inclination_deg == pytest.approx(51.6446, abs=1e-9)
    assert es.raan_deg == pytest.approx(84.2599, abs=1e-9)
    assert es.eccentricity == pytest.approx(0.0004899, abs=1e-12)
    assert es.argp_deg == pytest.approx(348.0043, abs=1e-9)
    assert es.mean_anomaly_deg == pytest.approx(73.2132, abs=1e-9)
    assert es.mean_motion_rev_day == pytest.approx(15.49825481, abs=1e-8)
    assert es.bstar == pytest.approx(0.11882e-3, rel=1e-12)
    # Kepler's third law with the WGS 72 GM (398600.8 km^3/s^2): a = (mu / n^2)^(1/3).
    n = 15.49825481 * 2 * np.pi / 86400.0
    a_km = (398600.8 / n ** 2) ** (1 / 3)
    assert es.semi_major_axis_km == pytest.approx(a_km, abs=one_meter / 1000)
    assert es.period_min * 60 == pytest.approx(2 * np.pi * np.sqrt(a_km ** 3 / 398600.8),
                                               abs=1e-3)
    assert 400 < es.mean_altitude_km < 430          # ISS early 2022 (published ~420 km)


def test_negative_bstar_and_ndot():
    l1 = "1 25544U 98067A   22001.20669110 -.00002649  00000-0 -38638-4 0  9995"
    l2 = "2 25544  51.6418  83.5036 0005477 346.6632 214.5181 15.49826016319282"
    es = parse_tle(f"{l1}\n{l2}\n")[0]
    assert es.bstar == pytest.approx(-0.38638e-4, rel=1e-12)


def test_same_epoch_as_skyfield():
    from skyfield.api import EarthSatellite

    from orbitsim.timeutil import timescale
    es = parse_tle(f"{L1}\n{L2}\n")[0]
    sky = EarthSatellite(L1, L2, ts=timescale()).epoch.utc_datetime()
    assert abs((sky - es.epoch).total_seconds()) < 1e-4


# ----------------------------------------------------------------- TLE bad

def test_bad_checksum():
    bad = L1[:68] + str((int(L1[68]) + 1) % 10)
    e = err_of(f"{NAME}\n{bad}\n{L2}\n")
    assert (e.file, e.line, e.field) == ("t.tle", 2, "checksum")


def test_wrong_length():
    e = err_of(f"{L1}\n{L2[:60]}\n")
    assert (e.line, e.field) == (2, "length")
    assert "69" in str(e)


def test_swapped_lines():
    e = err_of(f"{NAME}\n{L2}\n{L1}\n")
    assert (e.line, e.field) == (2, "line_number")
    assert "swapped" in e.message


def test_line1_followed_by_line1():
    e = err_of(f"{L1}\n{L1}\n")
    assert (e.line, e.field) == (2, "line_number")


def test_mismatched_catalog_numbers():
    l2 = resum(L2[:2] + "25545" + L2[7:])
    e = err_of(f"{L1}\n{l2}\n")
    assert (e.line, e.field) == (2, "catalog_number")
    assert "25545" in e.message and "25544" in e.message


def test_non_numeric_field_is_named():
    l2 = resum(L2[:8] + " 51.6x46" + L2[16:])
    e = err_of(f"{L1}\n{l2}\n")
    assert (e.line, e.field) == (2, "inclination")


def test_out_of_range_inclination():
    l2 = resum(L2[:8] + "191.6446" + L2[16:])
    assert err_of(f"{L1}\n{l2}\n").field == "inclination"


def test_bad_epoch_day():
    l1 = resum(L1[:18] + "22400.05265755" + L1[32:])
    e = err_of(f"{l1}\n{L2}\n")
    assert (e.line, e.field) == (1, "epoch_day")


def test_bad_bstar():
    l1 = resum(L1[:53] + " 11x82-3" + L1[61:])
    assert err_of(f"{l1}\n{L2}\n").field == "bstar"


def test_garbage():
    e = err_of("hello world\nthis is not a TLE\n")
    assert e.line == 1 and e.field == "line_number"
    e = err_of(f"{NAME}\n{L1}\n{L2}\nsome trailing words\n")
    assert e.line == 4


def test_empty():
    with pytest.raises(InputError, match="empty"):
        parse_elements("  \n\n", "e.tle")


def test_read_elements_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_elements(tmp_path / "missing.tle")
    p = tmp_path / "bin.tle"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(InputError) as ei:
        read_elements(p)
    assert ei.value.field == "encoding" and ei.value.file == str(p)


# ----------------------------------------------------------------- OMM

def omm_fields():
    return {
        "OBJECT_NAME": NAME, "OBJECT_ID": "1998-067A", "EPOCH": "2022-01-01T01:15:49.612320",
        "MEAN_MOTION": 15.49825481, "ECCENTRICITY": 0.0004899, "INCLINATION": 51.6446,
        "RA_OF_ASC_NODE": 84.2599, "ARG_OF_PERICENTER": 348.0043, "MEAN_ANOMALY": 73.2132,
        "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 25544,
        "ELEMENT_SET_NO": 999, "REV_AT_EPOCH": 31926, "BSTAR": 0.00011882,
        "MEAN_MOTION_DOT": 6.291e-05, "MEAN_MOTION_DDOT": 0,
    }


def kvn(fields):
    head = "CCSDS_OMM_VERS = 2.0\nCOMMENT GENERATED VIA SPACE-TRACK.ORG API\n"
    return head + "".join(f"{k} = {v}\n" for k, v in fields.items())


def xml(fields):
    meta = "".join(f"<{k}>{fields[k]}</{k}>" for k in ("OBJECT_NAME", "OBJECT_ID"))
    mean = "".join(f"<{k}>{fields[k]}</{k}>" for k in (
        "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
        "ARG_OF_PERICENTER", "MEAN_ANOMALY"))
    tle = "".join(f"<{k}>{fields[k]}</{k}>" for k in (
        "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO",
        "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<ndm><omm id="CCSDS_OMM_VERS" '
            'version="2.0"><header><CREATION_DATE/></header><body><segment>'
            f"<metadata>{meta}<CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME>"
            "<TIME_SYSTEM>UTC</TIME_SYSTEM><MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY>"
            "</metadata><data>"
            f"<meanElements>{mean}</meanElements><tleParameters>{tle}</tleParameters>"
            "</data></segment></body></omm></ndm>\n")


def positions(es, minutes):
    jd = es.satrec.jdsatepoch + np.zeros(len(minutes))
    fr = es.satrec.jdsatepochF + np.asarray(minutes) / 1440.0
    e, r, _ = es.satrec.sgp4_array(jd, fr)
    assert not e.any()
    return r


@pytest.mark.parametrize("form", ["json-list", "json-object", "kvn", "xml"])
def test_omm_forms_match_the_tle_and_sgp4s_own_reader(form):
    f = omm_fields()
    text = {"json-list": json.dumps([f]), "json-object": json.dumps(f),
            "kvn": kvn(f), "xml": xml(f)}[form]
    es = parse_elements(text, "iss.omm")[0]
    tle = parse_tle(f"{L1}\n{L2}\n")[0]
    assert (es.name, es.catalog, es.epoch) == (NAME, 25544, tle.epoch)
    minutes = np.linspace(0, 3 * 1440, 50)
    # The same mean elements in OMM and TLE form: the same SGP4 orbit.
    dr = np.linalg.norm(positions(es, minutes) - positions(tle, minutes), axis=1)
    assert dr.max() * 1000 < one_meter
    # ...and as sgp4's own OMM reader initialises it.
    ref = Satrec()
    sgp4_omm.initialize(ref, {k: str(v) for k, v in f.items()})
    e, r, _ = ref.sgp4_array(ref.jdsatepoch + np.zeros(50), ref.jdsatepochF + minutes / 1440)
    dr = np.linalg.norm(positions(es, minutes) - r, axis=1)
    assert dr.max() * 1000 < one_meter


def test_omm_xml_via_sgp4_parser_fields_agree():
    fields = next(sgp4_omm.parse_xml(io.StringIO(xml(omm_fields()))))
    es = parse_omm(xml(omm_fields()))[0]
    assert es.inclination_deg == pytest.approx(float(fields["INCLINATION"]), abs=1e-9)


def test_omm_errors_name_the_field():
    f = omm_fields()
    f["INCLINATION"] = "fifty"
    e = err_of(json.dumps([f]), "x.json")
    assert (e.file, e.field) == ("x.json", "INCLINATION")
    f = omm_fields()
    del f["EPOCH"]
    assert err_of(kvn(f), "x.kvn").field == "EPOCH"
    f = omm_fields()
    f["EPOCH"] = "yesterday"
    assert err_of(json.dumps(f)).field == "EPOCH"
    f = omm_fields()
    f["ECCENTRICITY"] = 1.5
    assert err_of(xml(f)).field == "ECCENTRICITY"
    f = omm_fields()
    f["MEAN_ELEMENT_THEORY"] = "SGP4-XP"          # not SGP4-compatible elements
    assert err_of(json.dumps(f)).field == "MEAN_ELEMENT_THEORY"
    f = omm_fields()
    f["TIME_SYSTEM"] = "TAI"
    assert err_of(kvn(f)).field == "TIME_SYSTEM"
    e = err_of('[{"OBJECT_NAME": "ISS",', "broken.json")
    assert e.field == "json" and e.line == 1
    e = err_of("CCSDS_OMM_VERS = 2.0\nthis line is garbage\n", "g.kvn")
    assert (e.line, e.field) == (2, "kvn")


# ----------------------------------------------------------------- bundled / selection

def test_bundled_sets_sorted_unique_and_iss():
    sets = bundled_iss()
    epochs = [s.epoch for s in sets]
    assert epochs == sorted(epochs) and len(set(epochs)) == len(epochs)
    assert {s.catalog for s in sets} == {25544}
    assert epochs[0].year == 2022 and epochs[0].month == 1
    assert epochs[-1] < dt.datetime(2022, 4, 1, tzinfo=UTC)
    assert all(51.5 < s.inclination_deg < 51.8 for s in sets)


def test_bundled_keeps_the_later_of_same_epoch_reissues():
    from importlib.resources import files
    raw = parse_tle((files("orbitsim") / "data" / "iss-2022.tle").read_text())
    seen, dups = {}, []
    for s in raw:
        if s.epoch in seen:
            dups.append(s)
        seen[s.epoch] = s
    assert dups, "the bundled file has Space-Track re-issues with the same epoch"
    assert len(bundled_iss()) == len(raw) - len(dups)
    kept = {s.epoch: s for s in bundled_iss()}
    for d in dups:                      # the later occurrence in the file wins
        assert kept[d.epoch].lineno == max(s.lineno for s in raw if s.epoch == d.epoch)


def test_nearest():
    sets = bundled_iss()
    when = dt.datetime(2022, 2, 24, 3, 0, tzinfo=UTC)
    got = nearest(sets, when)
    gap = abs((got.epoch - when).total_seconds())
    assert all(abs((s.epoch - when).total_seconds()) >= gap for s in sets)
    assert nearest(sets, "2022-02-24T03:00Z") is got


def test_select_warns_past_3_days_and_refuses_past_30(tmp_path):
    p = tmp_path / "one.tle"
    p.write_text(f"{NAME}\n{L1}\n{L2}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert select_elements(p, "2022-01-02T00:00Z").catalog == 25544     # < 3 days: silent
    with pytest.warns(ElementAgeWarning, match="days from the element epoch"):
        select_elements(p, "2022-01-06T00:00Z")
    with pytest.raises(InputError) as ei:
        select_elements(p, "2022-02-10T00:00Z")
    assert ei.value.field == "start" and ei.value.file == str(p) and "--force" in str(ei.value)
    with pytest.warns(ElementAgeWarning):
        assert select_elements(p, "2022-02-10T00:00Z", force=True).lineno == 2


def test_select_bundled_defaults():
    sets = bundled_iss()
    assert select_elements(None, None) is sets[-1]
    got = select_elements(None, "2022-02-24T03:00Z")
    assert got is nearest(sets, "2022-02-24T03:00Z")
    with pytest.raises(InputError, match="--force"):
        select_elements(None, "2022-06-01T00:00Z")

"""orbitsim.plots.groundtrack: files written, highlight drawn, antimeridian breaks."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.image as mimage  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from orbitsim.cities import city  # noqa: E402
from orbitsim.elements import bundled_iss, nearest  # noqa: E402
from orbitsim.errors import InputError  # noqa: E402
from orbitsim.plots import groundtrack as gt  # noqa: E402
from orbitsim.propagate import track  # noqa: E402

START = "2022-03-01T00:00Z"
one_degree = 1.0   # deg


@pytest.fixture(scope="module")
def tr():
    es = nearest(bundled_iss(), START)
    return track(es, START, hours=6.0, step_s=30.0)


def _color_pixels(png, hex_color, tol=0.02):
    img = mimage.imread(png)[..., :3]
    target = np.array(mcolors.to_rgb(hex_color))
    return int(np.sum(np.all(np.abs(img - target) < tol, axis=-1)))


def test_png_written_with_highlight_and_cities(tmp_path, tr):
    png = tmp_path / "gt.png"
    gt.plot_ground_track(tr, png, highlight="Russia", cities=[city("Moscow")],
                         title="test")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    # the highlighted country is filled, both track colours are drawn
    assert _color_pixels(png, gt.HIGHLIGHT_COLOR) > 1000
    assert _color_pixels(png, gt.SUNLIT_COLOR, tol=0.05) > 200
    assert _color_pixels(png, gt.ECLIPSE_COLOR, tol=0.05) > 200
    plain = tmp_path / "plain.png"
    gt.plot_ground_track(tr, plain)
    assert _color_pixels(plain, gt.HIGHLIGHT_COLOR) == 0
    assert not list(tmp_path.glob(".*"))          # no temporary files left behind


def test_svg_written_for_a_region(tmp_path, tr):
    svg = tmp_path / "gt.svg"
    gt.plot_ground_track(tr, svg, highlight="EU")
    text = svg.read_text()
    assert "<svg" in text[:2000] and text.rstrip().endswith("</svg>")


def test_bad_suffix_or_place_writes_nothing(tmp_path, tr):
    with pytest.raises(InputError):
        gt.plot_ground_track(tr, tmp_path / "gt.pdf")
    with pytest.raises(InputError, match="did you mean"):
        gt.plot_ground_track(tr, tmp_path / "gt.png", highlight="Germny")
    assert list(tmp_path.iterdir()) == []


def test_track_segments_never_jump_and_meet_the_edges(tr):
    segs = gt.track_segments(tr.lon_deg, tr.lat_deg)
    n_cross = int(np.sum(np.abs(np.diff(tr.lon_deg)) > 180.0))
    assert n_cross >= 3 and len(segs) == n_cross + 1          # 6 h: ~4 crossings
    for (x, y), _ in segs:
        assert np.all(np.abs(np.diff(x)) < 180.0)
    for ((x0, y0), _), ((x1, y1), _) in zip(segs[:-1], segs[1:]):
        # one piece ends on one edge, the next starts on the other, at the same latitude
        assert abs(x0[-1]) == 180.0 and x1[0] == -x0[-1]
        assert y0[-1] == y1[0]
    # all original points are drawn, in order
    inner = np.concatenate([x[(1 if k else 0):(len(x) - (1 if k < len(segs) - 1 else 0))]
                            for k, ((x, _), _) in enumerate(segs)])
    assert np.array_equal(inner, tr.lon_deg)


def test_antimeridian_crossing_latitude_is_interpolated():
    # a straight line in unwrapped longitude from (170 E, 10) to (170 W, 30): crosses 180 at 20
    lon = np.array([170.0, -170.0])
    lat = np.array([10.0, 30.0])
    (a, _), (b, _) = gt.track_segments(lon, lat)
    assert a[0][-1] == 180.0 and b[0][0] == -180.0
    assert a[1][-1] == pytest.approx(20.0, abs=1e-12 * one_degree)
    # westward crossing
    (a, _), (b, _) = gt.track_segments(np.array([-175.0, 175.0]), np.array([0.0, 10.0]))
    assert a[0][-1] == -180.0 and b[0][0] == 180.0
    assert a[1][-1] == pytest.approx(5.0, abs=1e-12 * one_degree)


def test_band_defaults_to_track_extreme(tr, tmp_path):
    band = gt._band_lat_deg(tr)
    assert band == pytest.approx(np.max(np.abs(tr.lat_deg)), abs=1e-12)
    assert 51.7 < band < 51.9

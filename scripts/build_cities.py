"""Regenerate consortium/geo/data/{provinces,cities}.csv from the `cpca` package.

Source: cpca (https://pypi.org/project/cpca/, MIT licence) ships
`cpca/resources/adcodes.csv` (adcode, name, longitude, latitude) from the
National Bureau of Statistics division codes. We keep the mainland
provincial-level divisions and every prefecture-level division; the four
province-level municipalities (北京, 上海, 天津, 重庆) also count as cities.
English names: the official ones kept in consortium/geo/data/english_names.csv where they
differ from plain pinyin (provinces: Shaanxi vs Shanxi, Inner Mongolia, Xizang …; cities:
Hohhot, Ürümqi, Xi'an, 长治 Changzhi …, see that file's README section), otherwise the Hanyu
Pinyin from `pypinyin` (MIT).

Run:  pip download --no-deps cpca -d /tmp/cpca && python scripts/build_cities.py /tmp/cpca/cpca-*.whl
"""
import csv
import io
import sys
import zipfile
from pathlib import Path

from pypinyin import lazy_pinyin

OUT = Path(__file__).resolve().parent.parent / "consortium" / "geo" / "data"
MUNICIPALITIES = {"11", "12", "31", "50"}
# Divisions abolished after cpca's data was taken (State Council decisions).
ABOLISHED = {"371200": "莱芜市, merged into 济南市 in January 2019"}
NOT_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
SUFFIXES = ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市",
            "地区", "盟", "自治州"]


def _official() -> dict:
    with open(OUT / "english_names.csv", encoding="utf-8") as f:
        return {row["name"]: row["name_en"] for row in csv.DictReader(f)}


OFFICIAL = None


def english(name: str) -> str:
    global OFFICIAL
    if OFFICIAL is None:
        OFFICIAL = _official()
    if name in OFFICIAL:
        return OFFICIAL[name]
    short = name
    for suffix in ("哈萨克自治州", "蒙古自治州", "柯尔克孜自治州", "回族自治州", "藏族自治州",
                   "土家族苗族自治州", "苗族侗族自治州", "布依族苗族自治州", "彝族自治州",
                   "傣族自治州", "白族自治州", "傣族景颇族自治州", "傈僳族自治州", "哈尼族彝族自治州",
                   "壮族苗族自治州", "朝鲜族自治州", "藏族羌族自治州", "蒙古族藏族自治州", "羌族自治州"):
        if short.endswith(suffix) and len(short) > len(suffix):
            return "".join(lazy_pinyin(short[: -len(suffix)])).title() + " Prefecture"
    for suffix in SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            short = short[: -len(suffix)]
            break
    return "".join(lazy_pinyin(short)).title()


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("cpca/resources/adcodes.csv"), "utf-8")))
    provinces, cities = {}, []
    for r in rows:
        code = r["adcode"]
        if code.endswith("0000000000") and code[:2] not in {"71", "81", "82"}:
            provinces[code[:2]] = r
    for r in rows:
        code, pcode = r["adcode"], r["adcode"][:2]
        if pcode not in provinces or not r["longitude"]:
            continue
        if pcode in MUNICIPALITIES and code.endswith("0000000000"):
            level = "municipality"
        elif code.endswith("00000000") and code[2:4] != "00" and r["name"] not in NOT_CITIES \
                and pcode not in MUNICIPALITIES:
            level = "prefecture"
        else:
            continue
        if code[:6] in ABOLISHED:
            continue
        cities.append({"adcode": code[:6], "name": r["name"], "name_en": english(r["name"]),
                       "province_code": pcode, "level": level,
                       "longitude": r["longitude"], "latitude": r["latitude"]})
    cities.sort(key=lambda c: c["adcode"])
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "provinces.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "name_en"])
        for pcode in sorted(provinces):
            name = provinces[pcode]["name"]
            w.writerow([pcode, name, english(name)])
    with open(OUT / "cities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(cities[0]))
        w.writeheader()
        w.writerows(cities)
    print(f"{len(provinces)} provinces, {len(cities)} cities")


if __name__ == "__main__":
    main(sys.argv[1])

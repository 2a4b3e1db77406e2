from consortium.core.collation import pinyin_key, sort_by_pinyin


def test_cities_sort_by_pinyin_not_code_point():
    cities = ["青岛", "厦门", "宁波", "温州", "大连", "潮州"]
    assert sorted(cities) != sort_by_pinyin(cities)  # code point order is not what a reader expects
    assert sort_by_pinyin(cities) == ["潮州", "大连", "宁波", "青岛", "温州", "厦门"]


def test_two_character_names_and_mixed_text():
    assert pinyin_key("长沙")[0] == "chang sha"
    assert sort_by_pinyin(["厦门大数据有限公司", "Ant Group", "宁波数字产业集团"]) == [
        "Ant Group", "宁波数字产业集团", "厦门大数据有限公司"]


def test_key_function_and_empty_names():
    rows = [{"name": "温州"}, {"name": ""}, {"name": "青岛"}]
    assert [r["name"] for r in sort_by_pinyin(rows, key=lambda r: r["name"])] == ["", "青岛", "温州"]

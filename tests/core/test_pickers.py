"""Searchable pickers (consortium.core.pickers, static/js/picker.js): options in the reader's
order (by pinyin in Chinese, by English name in English), named in the page's language, each
carrying what its filter matches; a form posted with a picker's values stores the right rows."""
import re

from sqlalchemy import select

from consortium.agreements.models import Agreement
from consortium.core.collation import pinyin_key, search_text, sort_for_locale
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members.models import Member
from tests.scenarios.conftest import make_resource, world  # noqa: F401  (fixtures)

ZH = {"Accept-Language": "zh-CN"}


def options(html: str, name: str) -> list[tuple[str, str, str]]:
    """(value, label, data-search) of the select named ``name``."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, f"no select {name}"
    out = []
    for attrs, label in re.findall(r"<option([^>]*)>(.*?)</option>", select_html.group(1), re.S):
        value = re.search(r'value="([^"]*)"', attrs).group(1)
        search = re.search(r'data-search="([^"]*)"', attrs)
        out.append((value, label.strip(), search.group(1) if search else ""))
    return out


def select_tag(html: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}"[^>]*>', html).group(0)


def test_search_text_finds_a_name_by_pinyin_and_initials():
    assert search_text("青岛", "Qingdao") == "青岛 qingdao qd qingdao"
    assert "xiamen xm" in search_text("厦门")
    assert search_text("Hangzhou Data Group") == "hangzhou data group"


def test_sort_for_locale_pinyin_in_chinese_english_names_in_english(make_member):
    members = [make_member("厦门大数据", city="厦门", name_en="Xiamen Big Data"),
               make_member("青岛数据集团", city="青岛", name_en="Qingdao Data Group"),
               make_member("北京数据", city="北京", name_en="beijing data"),
               make_member("安徽数据", city="合肥", name_en="")]
    zh = [m.name for m in sort_for_locale(members, "zh_CN")]
    assert zh == ["安徽数据", "北京数据", "青岛数据集团", "厦门大数据"]  # code point order would put 厦 before 青
    assert zh == sorted(zh, key=pinyin_key)
    en = [m.display_name("en") for m in sort_for_locale(members, "en")]
    assert en == ["beijing data", "Qingdao Data Group", "Xiamen Big Data", "安徽数据"]


def test_the_city_picker_of_the_member_form(browser, make_user):
    make_user("sec@cdou.example", role="secretariat")
    browser.login("sec@cdou.example")
    html = browser.get("/members/new", headers=ZH).get_data(as_text=True)
    assert "data-picker" in select_tag(html, "city")
    cities = options(html, "city")
    labels = [label for _v, label, _s in cities]
    assert len(cities) > 300
    assert labels.index("北京市 · 北京市") < labels.index("青岛市 · 山东省") < labels.index("厦门市 · 福建省")
    assert [label for label in labels] == sorted(labels, key=pinyin_key)  # the whole list by pinyin
    qingdao = find_city("青岛")
    value, _label, search = next(c for c in cities if c[1] == "青岛市 · 山东省")
    assert value == str(qingdao.id)
    assert "qingdao" in search and "qd" in search  # 青岛市 → qingdaoshi, qds: the filter matches parts of words
    assert "shandong" in search  # the province finds it too

    browser.get("/lang/en")
    html = browser.get("/members/new").get_data(as_text=True)
    labels = [label for _v, label, _s in options(html, "city")]
    assert "Qingdao · Shandong" in labels
    assert labels.index("Beijing · Beijing") < labels.index("Qingdao · Shandong") < labels.index("Xiamen · Fujian")
    assert labels == sorted(labels, key=str.casefold)
    assert not [label for label in labels if re.search(r"[\u4e00-\u9fff]", label)]  # English names only

    # the form posted with the picker's value admits the member in that city
    browser.get("/lang/zh")
    response = browser.post_form("/members/new", {"code": "laoshan", "name": "崂山数据", "name_en": "Laoshan Data",
                                                  "level": "city", "kind": "data_group", "city": value,
                                                  "joined_on": "2025-11-20", "description": ""},
                                 follow_redirects=True)
    assert "崂山数据" in response.get_data(as_text=True)
    assert db.session.scalar(select(Member).where(Member.code == "laoshan")).city_id == qingdao.id


def test_agreement_pickers_post_the_chosen_rows(browser, world):  # noqa: F811  (the fixture imported above)
    browser.login("user@fuzhou.example")
    html = browser.get("/agreements/new", headers=ZH).get_data(as_text=True)
    members = options(html, "members")
    assert "data-picker" in select_tag(html, "members") and "multiple" in select_tag(html, "members")
    labels = [label for _v, label, _s in members]
    assert labels == sorted(labels, key=pinyin_key)
    assert labels[:2] == ["成都数据集团 · 成都市", "福州数据集团 · 福州市"]
    scenario_labels = [label for _v, label, _s in options(html, "scenarios")]
    assert scenario_labels == [f"{world.scenario.title} · {world.scenario.group.name}"]
    chosen = [v for v, label, _s in members if label.startswith(("福州", "厦门"))]
    browser.post_form("/agreements/new", {"subject": "公交数据互通", "signed_on": "2025-10-01", "status": "signed",
                                          "members": chosen, "scenarios": [str(world.scenario.id)], "is_public": "y"})
    agreement = db.session.scalar(select(Agreement))
    assert sorted(p.member.code for p in agreement.parties if p.member) == ["fuzhou", "xiamen"]
    assert [s.id for s in agreement.scenarios] == [world.scenario.id]


def test_the_entry_picker_names_the_linked_entries(browser, world, make_resource):  # noqa: F811
    """The scenario form's entries (numbers without JavaScript) carry their titles for the picker."""
    import json
    bus = make_resource(world.xiamen, "公交实时位置", is_public=True)
    hidden_elsewhere = make_resource(world.fuzhou, "医保结算", domain="health", status="retired")
    browser.login("lead@xiamen.example")
    html = browser.get(f"/scenarios/{world.scenario.id}/edit", headers=ZH).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="resource_ids"[^>]*>', html).group(0)
    assert "data-entry-picker" in tag and 'data-search-url="/api/v1/resources"' in tag
    response = browser.post_form(f"/scenarios/{world.scenario.id}/edit",
                                 {"title": world.scenario.title, "group": world.group.code, "maturity": "proven",
                                  "needs": "公交实时位置数据 | 交通 | 实时位置",
                                  "resource_ids": f"{bus.id}, {hidden_elsewhere.id}, x"})
    html = response.get_data(as_text=True)  # refused (a word among the numbers): the form again, entries named
    tag = re.search(r'<input[^>]*name="resource_ids"[^>]*>', html).group(0)
    chosen = json.loads(re.search(r"data-chosen=\"([^\"]*)\"", tag).group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert chosen == [{"id": bus.id, "label": "公交实时位置 · 厦门大数据有限公司 · 厦门市"}]  # the retired one unnamed
    assert world.scenario.resources == []  # nothing saved


def test_filter_pickers_written_in_templates(browser, make_member):
    """The resource map's member filter: searchable, by pinyin in Chinese, English names in English."""
    make_member("厦门大数据", city="厦门", name_en="Xiamen Big Data", code="xiamen")
    make_member("青岛数据集团", city="青岛", name_en="Qingdao Data Group", code="qingdao")
    make_member("北京数据", city="北京", name_en="Beijing Data", code="beijing")
    html = browser.get("/resources/map", headers=ZH).get_data(as_text=True)
    assert "data-picker" in select_tag(html, "member")
    members = options(html, "member")
    assert [label for _v, label, _s in members] == ["全部", "北京数据", "青岛数据集团", "厦门大数据"]
    assert "qingdao" in members[2][2] and "qdsjjt" in members[2][2]
    browser.get("/lang/en")
    html = browser.get("/resources/map").get_data(as_text=True)
    assert [label for _v, label, _s in options(html, "member")] == ["All", "Beijing Data", "Qingdao Data Group",
                                                                     "Xiamen Big Data"]

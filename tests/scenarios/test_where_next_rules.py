"""Issue 22, where next: a need is met only by data of that kind (its word in the entry's title,
keywords or fields — not in a description), an entry counts at most once per scenario and is shown
under the need it meets, and the "bring to a city" picker offers the city data groups not running
the scenario, by pinyin, with the other members behind "show all"."""
import re

from consortium.extensions import db
from consortium.scenarios import ranking, services
from tests.conftest import Browser

BUS_NEEDS = "公交实时位置数据 | 交通 | 实时位置\n公交线路站点数据 | 交通 | 公交线路"


def _bus_scenario(world):
    s = services.create_scenario(world.users.lead, world.group, title="公交到站与线路服务", description="",
                                 origin_member=None, needs=services.parse_needs(BUS_NEEDS), modes=[],
                                 maturity="pilot", links="")
    db.session.commit()
    return s


def test_metro_ridership_does_not_meet_a_bus_route_need(world, make_member, make_resource):
    dalian = make_member("大连数据集团", city="大连", code="dalian")
    make_resource(dalian, "地铁进出站客流统计", keywords="地铁,客流,轨道交通",
                  description="各公交线路接驳站点、各地铁站点分时段进出站客流。")
    make_resource(dalian, "交通出行“一码通城”乘车记录", keywords="一码通城,乘车码,出行",
                  description="公交、地铁乘车码刷码记录汇总，含车辆实时位置。")
    make_resource(world.fuzhou, "福州公交线路站点数据")
    scenario = _bus_scenario(world)
    ranked = {c.member_name: c for c in ranking.where_next(world.users.lead, scenario)}
    assert ranked["大连数据集团"].score == 0 and ranked["大连数据集团"].has == []
    assert ranked["大连数据集团"].lacks == ["公交实时位置数据", "公交线路站点数据"]
    fz = ranked["福州数据集团"]
    assert [(r.need, r.resource_title, r.matched) for r in fz.has] == [
        ("公交线路站点数据", "福州公交线路站点数据", ["title"])]
    assert fz.score == 40


def test_an_entry_counts_once_and_under_the_need_it_meets(world, make_resource, browser):
    both = make_resource(world.fuzhou, "福州公交线路与实时位置数据")        # names both needs
    make_resource(world.chengdu, "成都公交线路与实时位置数据")
    make_resource(world.chengdu, "车辆定位数据", keywords="实时位置,GPS")   # the word is one of its keywords
    scenario = _bus_scenario(world)
    ranked = {c.member_name: c for c in ranking.where_next(world.users.lead, scenario)}
    fz, cd = ranked["福州数据集团"], ranked["成都数据集团"]
    assert [r.resource_id for r in fz.has] == [both.id] and len(fz.lacks) == 1 and fz.score == 40
    # 成都: the keyword entry meets 实时位置, so the entry naming both is left for 公交线路 — both met
    assert sorted((r.need, r.resource_title) for r in cd.has) == [
        ("公交实时位置数据", "车辆定位数据"), ("公交线路站点数据", "成都公交线路与实时位置数据")]
    assert cd.score == 80 and cd.lacks == []
    assert [r.matched for r in cd.has if r.resource_title == "车辆定位数据"] == [["keywords"]]

    browser.login("lead@xiamen.example")
    html = browser.get(f"/scenarios/{scenario.id}/where-next").get_data(as_text=True)
    row = re.search(r'<tr data-member="chengdu">.*?</tr>', html, re.S).group(0)
    lines = re.findall(r'<div class="text-success meets" data-need="([^"]+)">(.*?)</div>', row, re.S)
    assert [need for need, _ in lines] == ["公交实时位置数据", "公交线路站点数据"]   # one line per entry, naming its need
    assert "满足“公交实时位置数据”" in lines[0][1] and "车辆定位数据" in lines[0][1] and "关键词" in lines[0][1]
    fz_row = re.search(r'<tr data-member="fuzhou">.*?</tr>', html, re.S).group(0)
    assert fz_row.count("福州公交线路与实时位置数据") == 1                     # never twice


def test_the_bring_to_a_city_picker_offers_city_groups_not_running_it_by_pinyin(world, make_member, client):
    make_member("安庆数据集团", city="安庆", code="anqing")
    make_member("郑州数据集团", city="郑州", code="zhengzhou")
    services.start_replication(world.users.lead, world.scenario, world.fuzhou)   # already running
    db.session.commit()
    browser = Browser(client)
    browser.login("lead@xiamen.example")
    html = browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    picker = re.search(r'id="start-replication".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option[^>]*>([^<·]+) ·', picker)
    offered = [o.strip() for o in offered]
    # 安庆, 成都, 厦门, 郑州 by pinyin (an, cheng, xia, zheng); 福州 runs it; the data merchant is not a city
    assert offered == ["安庆数据集团", "成都数据集团", "厦门大数据有限公司", "郑州数据集团"]
    assert 'id="show-all-members"' in html
    html = browser.get(f"/scenarios/{world.scenario.id}?members=all").get_data(as_text=True)
    picker = re.search(r'id="start-replication".*?</select>', html, re.S).group(0)
    assert "贵州数据宝网络科技有限公司" in picker and "福州数据集团" not in picker
    # the lead may still bring it to a member shown only under "show all"
    browser.post_form(f"/scenarios/{world.scenario.id}/replications", {"member": str(world.merchant.id)},
                      form_url=f"/scenarios/{world.scenario.id}?members=all")
    assert services.replication_of(world.scenario, world.merchant) is not None


def test_a_need_is_met_by_an_entrys_fields_and_a_description_alone_meets_none(world, make_member, make_resource):
    """The reason names where the word was found: the fields (names and descriptions) count, a
    description alone does not (it may mention anything)."""
    wenzhou = make_member("温州数据集团", city="温州", code="wenzhou")
    make_resource(wenzhou, "城市交通运行数据", description="含公交线路与站点的说明。")   # a description: nothing
    scenario = _bus_scenario(world)
    assert {c.member_name: c for c in ranking.where_next(world.users.lead, scenario)}["温州数据集团"].score == 0
    make_resource(wenzhou, "城市交通基础数据", description="按公交线路整理。", schema_fields=[
        {"name": "route_name", "type": "string", "description": "公交线路名称"}])
    ranked = {c.member_name: c for c in ranking.where_next(world.users.lead, scenario)}
    assert [(r.need, r.resource_title, r.matched) for r in ranked["温州数据集团"].has] == [
        ("公交线路站点数据", "城市交通基础数据", ["fields"])]
    assert ranked["温州数据集团"].score == 40


def test_a_suspended_city_group_is_not_offered(world, make_member):
    from consortium.members.services import suspend_member
    from consortium.scenarios.services.replications import members_to_bring as bring
    anqing = make_member("安庆数据集团", city="安庆", code="anqing")
    offered = [m.name for m in bring(world.scenario)]
    assert "安庆数据集团" in offered
    suspend_member(None, anqing, "会费未缴")
    db.session.commit()
    assert "安庆数据集团" not in [m.name for m in bring(world.scenario)]
    assert "安庆数据集团" not in [m.name for m in bring(world.scenario, cities_only=False)]

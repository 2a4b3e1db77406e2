"""A city's page (/cities/<adcode>): what the union knows about the city — members, resource-map
entries per domain, scenarios and replications, data spaces and the registration bodies whose
certificates count there — each part filtered by what the viewer may see."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.registers.models import DataSpace, RegistrationBody
from consortium.scenarios.models import Replication
from tests.factories import create_resource
from tests.geo.test_every_map import figures_in, standard_map_problems

ZH = {"Accept-Language": "zh-CN"}  # the default; English is chosen with /lang/en


def part(html: str, element_id: str) -> str:
    """The text of the element with this id (its tags removed, blanks collapsed)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no #{element_id} in the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()


def rows(html: str, element_id: str) -> list[str]:
    match = re.search(rf'id="{element_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, f"no table #{element_id}"
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
            for r in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)]


@pytest.mark.slow
def test_qingdao_as_visitor_member_and_secretariat(demo, client, browser):
    qingdao = find_city("青岛")
    visible_all = db.session.scalar(select(func.count(DataResource.id)).where(
        DataResource.city_id == qingdao.id, DataResource.status == "active"))
    public = db.session.scalar(select(func.count(DataResource.id)).where(
        DataResource.city_id == qingdao.id, DataResource.status == "active", DataResource.is_public.is_(True)))
    assert visible_all > public > 0  # the demo city has members-only entries: the roles differ

    # a visitor, in Chinese
    html = client.get("/cities/370200", headers=ZH).get_data(as_text=True)
    assert part(html, "city-name") == "青岛市"
    assert part(html, "city-members").split(" ")[::2] == ["青岛数据集团", "众淼控股(青岛)股份有限公司"]  # by pinyin
    domains = rows(html, "city-domains")
    assert sum(int(r.rsplit(" ", 1)[1]) for r in domains) == public
    assert re.search(r'<a href="/resources/\?city=370200&amp;domain=finance">金融</a>', html)
    assert "信贷数据宝" in part(html, "city-seeds")  # a seed scenario of 青岛 is a public page
    assert "city-replications" not in html.replace("city-replications-hint", "")
    assert "登录" in part(html, "city-replications-hint")
    assert part(html, "city-spaces").startswith("海洋可信数据空间")
    bodies = rows(html, "city-bodies")
    assert bodies[0] == "青岛市数据资产登记中心 青岛市 本市的登记机构"
    assert "潍坊市数据资产登记中心 潍坊市 经 青岛市数据资产登记中心 认可" in bodies
    local_bodies = db.session.scalar(select(func.count(RegistrationBody.id)).where(
        RegistrationBody.city_id == qingdao.id))
    assert len(bodies) > local_bodies  # bodies it recognises count too
    assert "negotiation" not in html and "谈判" not in html  # negotiations never appear
    figure = figures_in(html)["city-map"]
    assert standard_map_problems(figure) == []
    assert any(t.get("type") == "scattergeo" and 120 < (t.get("lon") or [0])[0] < 121 for t in figure["data"])

    # a member sees every entry and the replications with their stage
    browser.login("xiamen@cdou.example")
    html = client.get("/cities/370200", headers=ZH).get_data(as_text=True)
    assert sum(int(r.rsplit(" ", 1)[1]) for r in rows(html, "city-domains")) == visible_all
    replications = rows(html, "city-replications")
    stored = db.session.scalars(select(Replication).join(Replication.member)
                                .where(Replication.member.has(city_id=qingdao.id))).all()
    assert len(replications) == len(stored) > 0
    first = stored[0]
    assert any(r.startswith(first.scenario.title) and r.endswith(first.stage_label) for r in replications)
    assert "city-replications-hint" not in html

    # the secretariat, in English: the page wholly English
    browser.logout()
    browser.login("secretariat@cdou.example")
    client.get("/lang/en")
    html = client.get("/cities/370200").get_data(as_text=True)
    assert part(html, "city-name") == "Qingdao"
    assert part(html, "city-members").startswith("Qingdao Data Group Data group")  # English names, A to Z
    assert re.search(r'domain=finance">Finance</a>', html)
    assert len(rows(html, "city-replications")) == len(stored)
    space = db.session.scalar(select(DataSpace).where(DataSpace.name == "海洋可信数据空间"))
    assert part(html, "city-spaces").startswith(space.name_en)
    assert rows(html, "city-bodies")[0].endswith("a body of this city")
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<script type="application/json".*?</script>', "", main, flags=re.S)
    leaks = re.findall(r"[\u4e00-\u9fff]+", re.sub(r"<[^>]+>", " ", main))
    shown_zh = {s.name for s in db.session.scalars(select(RegistrationBody)) if not s.name_en}
    assert [w for w in leaks if not any(w in name for name in shown_zh)] == []


def test_a_city_of_two_characters_in_chinese(client, browser, make_member, make_user):
    """青岛 by its short name leads to its page; a new member's entries, members-only ones hidden
    from visitors, counted per domain in Chinese."""
    member = make_member(name="青岛公交", city="青岛")
    create_resource(member, "公交到站数据", domain="transport", is_public=True)
    create_resource(member, "医保结算数据", domain="health", is_public=False)
    make_user("bus@example.org", member=member)

    response = client.get("/cities/青岛", headers=ZH)
    assert response.status_code == 302 and response.headers["Location"].endswith("/cities/370200")
    html = client.get("/cities/370200", headers=ZH).get_data(as_text=True)
    assert part(html, "city-name") == "青岛市"
    assert part(html, "city-members") == "青岛公交 数据集团"
    assert rows(html, "city-domains") == ["交通 1"]  # the members-only 医保 entry is not counted
    assert "医疗" not in part(html, "city-domains")
    assert "city-replications" not in html.replace("city-replications-hint", "")
    assert part(html, "city-no-spaces") == "本市暂无可信数据空间。"

    browser.login("bus@example.org")
    html = client.get("/cities/370200", headers=ZH).get_data(as_text=True)
    assert rows(html, "city-domains") == ["交通 1", "医疗健康 1"]
    assert part(html, "city-no-replications") == "本市暂无复制中的场景。"


def test_an_unknown_city_is_a_404_that_says_so(client):
    response = client.get("/cities/999999", headers=ZH)
    assert response.status_code == 404
    assert "没有行政区划代码或名称为“999999”的城市" in response.get_data(as_text=True)
    client.get("/lang/en")
    response = client.get("/cities/Atlantis")
    assert response.status_code == 404
    assert "No city has the division code or name “Atlantis”" in response.get_data(as_text=True)


def test_a_city_without_anything_yet(client):
    client.get("/lang/en")
    html = client.get("/cities/110000").get_data(as_text=True)
    assert part(html, "city-name") == "Beijing"
    assert part(html, "city-members") == "No member in this city yet."
    assert part(html, "city-no-entries") == "No entry of this city on the resource map yet."
    assert "city-map" not in html  # nothing to draw
    assert "No registration body is recorded in this city" in part(html, "city-no-bodies")


def test_bodies_counting_follow_agreements_in_force(app, make_member):
    """A one-way agreement: the recognising city counts the issuer's certificates, not the other way."""
    from consortium.registers.queries import bodies_counting_in_city
    from consortium.registers.services import bodies as body_services
    from consortium.registers.services import recognitions
    qd, yt = make_member(name="青岛数据", city="青岛"), make_member(name="烟台数据", city="烟台")
    a = body_services.create_body(None, code="qd", name="青岛登记", city=qd.city, member=qd)
    b = body_services.create_body(None, code="yt", name="烟台登记", city=yt.city, member=yt)
    recognitions.create_recognition(None, recognising_body=a, issuing_body=b, mutual=False,
                                    effective_from=date(2025, 1, 1), document_ref="互认协议 1")
    db.session.commit()
    here = bodies_counting_in_city(qd.city.id)
    assert [(c.body.code, c.local, [v.code for v in c.via]) for c in here] == [("qd", True, []), ("yt", False, ["qd"])]
    there = bodies_counting_in_city(yt.city.id)
    assert [(c.body.code, c.local) for c in there] == [("yt", True)]


def test_the_overview_in_the_api(client, browser, make_member, make_user):
    """/api/v1/cities/<adcode>/overview: the page's content as JSON, with the same rules."""
    member = make_member("青岛公交", city="青岛", name_en="Qingdao Bus")
    create_resource(member, "公交到站数据", domain="transport", is_public=True)
    create_resource(member, "医保结算数据", domain="health", is_public=False)
    make_user("bus@example.org", member=member)
    answer = client.get("/api/v1/cities/370200/overview", headers={"Accept-Language": "zh-CN"}).get_json()
    assert answer["city"]["adcode"] == "370200" and answer["members"] == [{"code": member.code, "name": "青岛公交"}]
    assert answer["entries"] == [{"code": "transport", "name": "交通", "entries": 1,
                                  "search": "/resources/?city=370200&domain=transport"}]
    assert answer["replications_visible"] is False and answer["replications"] == []
    assert answer["registration_bodies"] == [] and answer["data_spaces"] == []
    browser.login("bus@example.org")
    browser.get("/lang/en")
    answer = client.get("/api/v1/cities/370200/overview").get_json()
    assert [(e["name"], e["entries"]) for e in answer["entries"]] == [("Transport", 1), ("Health care", 1)]
    assert answer["members"][0]["name"] == "Qingdao Bus" and answer["replications_visible"] is True
    missing = client.get("/api/v1/cities/999999/overview")
    assert missing.status_code == 404 and "999999" in missing.get_json()["error"]["message"]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "CityOverviewOut" in str(spec["paths"]["/api/v1/cities/{adcode}/overview"])

"""Names in notifications and in the workspace are read when shown, in the reader's language:
what a Chinese-speaking member did reads in English on an English page (members, cities, groups,
scenarios by their English names) and in Chinese on a Chinese page; a notification written before
ids were kept shows the names it stored."""
import pytest
from sqlalchemy import select

from consortium.extensions import db
from consortium.notifications.models import Notification
from consortium.scenarios import services
from tests.core.test_language_whole import leaks, users_wrote
from tests.scenarios.conftest import approve, days_ago, world  # noqa: F401  (the scenarios' small union)

ENGLISH = {"xiamen": "Xiamen Big Data Co.", "fuzhou": "Fuzhou Data Group", "chengdu": "Chengdu Data Group"}


@pytest.fixture
def named_world(world):  # noqa: F811
    for code, name in ENGLISH.items():
        getattr(world, code).name_en = name
    world.group.name_en = "Transport scenarios group"
    world.scenario.title_en = "Smart bus information"
    db.session.commit()
    return world


def _written_en(w):
    """What users wrote, but the Chinese names that have an English one (and the labels holding them):
    those must not appear on an English page."""
    names = [w.xiamen.name, w.fuzhou.name, w.chengdu.name, w.group.name, w.scenario.title, "福州", "福州市"]
    return [v for v in users_wrote("en") if not any(n in v for n in names)]


def _act_in_chinese(browser, w):
    """Chinese-page actions: 成都 asks to join the group, 福州 moves its replication on, the lead invites 成都."""
    browser.login("user@chengdu.example")
    assert browser.post_form("/scenarios/groups/transport/join", {"motivation": "成都有公交实时数据"},
                             form_url="/scenarios/groups/transport").status_code == 302
    browser.logout()
    approve(w, w.fuzhou)
    rep = services.start_replication(w.users.fuzhou, w.scenario, w.fuzhou, occurred_on=days_ago(10))
    services.change_stage(w.users.fuzhou, rep, "matching", occurred_on=days_ago(5), note="已对接交通局")
    services.invite_city(w.users.lead, w.scenario, w.chengdu, note="欢迎加入")
    db.session.commit()


def test_notifications_and_the_workspace_read_in_the_pages_language(browser, named_world):
    w = named_world
    _act_in_chinese(browser, w)
    written = _written_en(w)

    browser.login("lead@xiamen.example")
    browser.get("/lang/en")
    notes = browser.get("/notifications/").get_data(as_text=True)
    assert "Chengdu Data Group asks to join Transport scenarios group." in notes
    assert "Smart bus information in Fuzhou moved from Interest to Matching." in notes
    me = browser.get("/me").get_data(as_text=True)
    assert "Chengdu Data Group asks to join Transport scenarios group" in me
    for html in (notes, me):
        assert "成都数据集团" not in html and "交通场景小组" not in html and "公交信息智能服务" not in html
        assert leaks(html, "en", written) == []
    browser.get("/lang/zh_CN")
    notes = browser.get("/notifications/").get_data(as_text=True)
    assert "成都数据集团" in notes and "交通场景小组" in notes and "Chengdu Data Group" not in notes
    browser.logout()

    browser.login("user@chengdu.example")
    browser.get("/lang/en")
    notes = browser.get("/notifications/").get_data(as_text=True)
    assert "Xiamen Big Data Co. invites your organisation to replicate Smart bus information." in notes
    me = browser.get("/me").get_data(as_text=True)
    assert "Invitation to replicate Smart bus information" in me
    assert "Transport scenarios group · 厦门牵头人 · Xiamen Big Data Co." in me  # the person's name as written
    for html in (notes, me):
        assert "厦门大数据有限公司" not in html and leaks(html, "en", written) == []


def test_the_api_names_the_sender_in_the_readers_language(client, browser, named_world):
    w = named_world
    _act_in_chinese(browser, w)
    browser.login("user@chengdu.example")
    browser.get("/lang/en")
    [item] = [i for i in client.get("/api/v1/notifications?lang=en").get_json()["items"]
              if i["kind"]["code"] == "scenarios.invitation"]
    assert item["created_by"] == "Xiamen Big Data Co."
    assert item["message"] == "Xiamen Big Data Co. invites your organisation to replicate Smart bus information."


def test_a_notification_stored_with_names_only_still_reads(browser, named_world):
    """Rows written before ids were kept: the stored names are shown; a sender stored as a member's
    Chinese name is named in the page's language, an unknown one as stored."""
    w = named_world
    services.invite_city(w.users.lead, w.scenario, w.chengdu, note="欢迎加入")
    db.session.commit()
    invited = db.session.scalars(select(Notification).where(Notification.member_id == w.chengdu.id)).one()
    invited.payload = {"scenario": "公交信息智能服务", "group": "交通场景小组"}  # as written before ids were kept
    db.session.add_all([
        Notification(member_id=w.xiamen.id, kind="scenarios.join_requested", target_type="scenario_group",
                     target_id=w.group.id, payload={"group": "交通场景小组", "group_code": "transport",
                                                    "member": "旧名称数据集团"}),
        Notification(member_id=w.chengdu.id, kind="scenarios.invitation", target_type="invitation",
                     target_id=invited.target_id, payload=invited.payload, created_by_label="已改名的牵头单位")])
    db.session.commit()
    browser.login("lead@xiamen.example")
    browser.get("/lang/en")
    assert "旧名称数据集团 asks to join 交通场景小组." in browser.get("/notifications/").get_data(as_text=True)
    browser.logout()
    browser.login("user@chengdu.example")
    browser.get("/lang/en")
    notes = browser.get("/notifications/").get_data(as_text=True)
    assert "Xiamen Big Data Co. invites your organisation to replicate 公交信息智能服务." in notes
    assert "已改名的牵头单位 invites your organisation to replicate 公交信息智能服务." in notes


def test_the_api_names_members_cities_and_authors_in_the_readers_language(browser, named_world):
    """The API's display fields (a member's name beside its code, a replication's city, who acted)
    follow the reader's language like the pages; codes and what users wrote stay as they are."""
    w = named_world
    _act_in_chinese(browser, w)
    rep_id = db.session.scalar(select(Notification.target_id).where(Notification.target_type == "replication"))
    browser.login("lead@xiamen.example")

    def read():
        me = browser.get("/api/v1/me").get_json()
        reps = browser.get(f"/api/v1/scenarios/{w.scenario.id}/replications").get_json()["items"]
        events = browser.get(f"/api/v1/replications/{rep_id}/events").get_json()["items"]
        invitations = browser.get("/api/v1/invitations?mine=0").get_json()
        return me, reps, events, invitations

    me, reps, events, _inv = read()  # Chinese by default
    assert me["member"] == w.xiamen.code and me["member_name"] == w.xiamen.name
    assert {(r["member"], r["member_name"], r["city"]) for r in reps} == {(w.fuzhou.code, w.fuzhou.name, "福州市")}
    assert {e["author"] for e in events} == {f"{w.users.fuzhou.name} · {w.fuzhou.name}"}

    browser.get("/lang/en")
    me, reps, events, _inv = read()
    assert me["member"] == w.xiamen.code and me["member_name"] == "Xiamen Big Data Co."
    assert {(r["member"], r["member_name"], r["city"]) for r in reps} == {(w.fuzhou.code, "Fuzhou Data Group",
                                                                           "Fuzhou")}
    assert {e["author"] for e in events} == {f"{w.users.fuzhou.name} · Fuzhou Data Group"}
    assert {e["note"] for e in events} >= {"已对接交通局"}  # what the member wrote, as written

from sqlalchemy import func, select

from consortium.audit.models import AuditLog
from consortium.auth.models import User
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members.models import Member


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_directory_lists_demo_members_and_filters_by_province(client, demo):
    html = client.get("/members/?province=33").get_data(as_text=True)
    assert "宁波数字产业集团" in html and "温州大数据公司" in html
    assert "青岛数据集团" not in html
    assert "共 4 家成员" in html  # 宁波, 温州, 杭州, 湖州


def test_directory_filters_by_kind_and_date(client, demo):
    html = client.get("/members/?kind=data_merchant").get_data(as_text=True)
    assert "贵州数据宝网络科技有限公司" in html and "青岛数据集团" not in html
    html = client.get("/members/?joined_from=2025-08-01&joined_to=2025-12-31").get_data(as_text=True)
    assert "苏州中科先进技术研究院" in html and "宁波数字产业集团" not in html


def test_bad_date_filter_gets_a_message_not_an_error(client, demo):
    html = client.get("/members/?joined_from=2025-13-45", follow_redirects=True).get_data(as_text=True)
    assert "已忽略格式不是 YYYY-MM-DD 的日期" in html
    assert "贵州数据宝网络科技有限公司" in html  # the unfiltered directory


def test_member_page_hides_accounts_from_anonymous(client, demo):
    html = client.get("/members/qingdao").get_data(as_text=True)
    assert "青岛数据集团" in html and "140 余个数据产品" in html
    assert "qingdao@cdou.example" not in html


def test_english_switch(client, demo):
    response = client.get("/lang/en?next=/members/qingdao", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Qingdao Data Group" in html and "Data group" in html
    assert "中文" in html  # the switch back is visible
    html = client.get("/lang/zh_CN?next=/members/", follow_redirects=True).get_data(as_text=True)
    assert "成员名录" in html


def test_secretariat_admits_member_through_the_form(browser, demo):
    browser.login("secretariat@cdou.example")
    before = _count(Member)
    city = find_city("东莞")
    html = browser.post_form("/members/new", {"code": "dongguan", "name": "东莞数据集团",
                                              "name_en": "Dongguan Data Group", "level": "city",
                                              "kind": "data_group", "city": str(city.id),
                                              "joined_on": "2025-11-20", "description": "新成员"},
                             follow_redirects=True).get_data(as_text=True)
    assert "已接纳 东莞数据集团 为成员" in html
    assert _count(Member) == before + 1
    row = db.session.scalars(select(AuditLog).where(AuditLog.object_label == "东莞数据集团")).one()
    assert row.actor_label == "secretariat@cdou.example"
    assert db.session.scalar(select(Member.code).where(Member.name == "东莞数据集团")) == "dongguan"


def test_form_errors_keep_input_and_write_nothing(browser, demo):
    browser.login("secretariat@cdou.example")
    before = _count(Member)
    html = browser.post_form("/members/new", {"code": "qingdao-2", "level": "city", "name": "青岛数据集团",
                                              "kind": "data_group",
                                              "city": str(find_city("青岛").id), "joined_on": "2025-11-20",
                                              "description": "重复的名称"}).get_data(as_text=True)
    assert "已有同名成员" in html
    assert "重复的名称" in html  # what the user typed is still there
    assert _count(Member) == before


def test_member_user_cannot_reach_admin_pages(browser, demo):
    browser.login("qingdao@cdou.example")
    assert browser.get("/members/new").status_code == 403
    response = browser.post_form("/members/wenzhou/suspend", {"reason": "测试"}, form_url="/members/wenzhou")
    assert response.status_code == 403
    assert db.session.scalar(select(Member.status).where(Member.code == "wenzhou")) == "active"


def test_secretariat_creates_account_and_suspends_member(app, browser, demo):
    browser.login("secretariat@cdou.example")
    html = browser.post_form("/members/chaozhou/users/new",
                             {"email": "Chaozhou@CDOU.example", "name": "潮州", "role": "member",
                              "password": "潮州数字集团-2025-口令"}, follow_redirects=True).get_data(as_text=True)
    assert "账号 chaozhou@cdou.example 已创建" in html
    user = db.session.scalar(select(User).where(User.email == "chaozhou@cdou.example"))
    assert user.member.code == "chaozhou"
    from tests.conftest import Browser
    staff = Browser(app.test_client())
    staff.login("chaozhou@cdou.example", "潮州数字集团-2025-口令")
    assert staff.get("/api/v1/me").get_json()["member"] == "chaozhou"
    browser.post_form("/members/chaozhou/suspend", {"reason": "未按期更新资源目录"})
    assert staff.get("/api/v1/me").status_code == 401
    assert "潮州市数字集团" not in browser.client.application.test_client().get("/members/").get_data(as_text=True)


def test_reset_password_ends_sessions(app, browser, demo):
    from tests.conftest import Browser
    staff = Browser(app.test_client())
    staff.login("wenzhou@cdou.example")
    browser.login("secretariat@cdou.example")
    user = db.session.scalar(select(User).where(User.email == "wenzhou@cdou.example"))
    new = "温州-重置后的口令-1"
    html = browser.post_form(f"/members/users/{user.id}/password", {"password": new, "confirm": new},
                             follow_redirects=True).get_data(as_text=True)
    assert "密码已重置" in html
    assert staff.get("/api/v1/me").status_code == 401
    assert "欢迎" in Browser(app.test_client()).login("wenzhou@cdou.example", new).get_data(as_text=True)


def test_secretariat_suspends_an_account_and_its_sessions_end(app, browser, demo):
    from tests.conftest import Browser
    staff = Browser(app.test_client())
    staff.login("shujubao@cdou.example")
    user = db.session.scalar(select(User).where(User.email == "shujubao@cdou.example"))
    browser.login("secretariat@cdou.example")
    html = browser.post_form(f"/members/users/{user.id}/enabled", {"enabled": "0"}, form_url="/members/shujubao",
                             follow_redirects=True).get_data(as_text=True)
    assert "账号 shujubao@cdou.example 已停用" in html
    assert staff.get("/api/v1/me").status_code == 401
    assert "账号已停用" in Browser(app.test_client()).login("shujubao@cdou.example").get_data(as_text=True)
    browser.post_form(f"/members/users/{user.id}/enabled", {"enabled": "1"}, form_url="/members/shujubao")
    assert "欢迎" in Browser(app.test_client()).login("shujubao@cdou.example").get_data(as_text=True)


def test_suspend_is_confirmed_with_a_reason_and_province_level_admission(browser, demo):
    browser.login("secretariat@cdou.example")
    page = browser.get("/members/wenzhou/suspend").get_data(as_text=True)
    assert "暂停 温州大数据公司？" in page and 'name="reason"' in page
    browser.post_form("/members/wenzhou/suspend", {"reason": ""})
    assert db.session.scalar(select(Member.status).where(Member.code == "wenzhou")) == "active"
    html = browser.post_form("/members/new", {"code": "fujian", "name": "福建省大数据集团", "level": "province",
                                              "kind": "data_group", "city": str(find_city("福州").id),
                                              "joined_on": "2025-11-20"}, follow_redirects=True).get_data(as_text=True)
    assert "福建省大数据集团" in html and "省级" in html
    assert db.session.scalar(select(Member.level).where(Member.code == "fujian")) == "province"

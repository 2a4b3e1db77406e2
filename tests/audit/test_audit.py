from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.audit.models import AuditLog
from consortium.auth.services import reset_password
from consortium.extensions import db
from consortium.members.models import Member
from consortium.members.services import update_member


def test_every_create_update_delete_is_recorded(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    member = make_member(name="青岛数据集团")
    update_member(sec, member, website="https://qingdao.example")
    db.session.commit()
    db.session.delete(member)
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "Member").order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[1].changes == {"website": ["", "https://qingdao.example"]}
    assert rows[2].changes["name"] == ["青岛数据集团", None]
    assert rows[0].actor_label == "system" and rows[1].actor_label == "sec@cdou.example"


def test_secrets_never_written_to_the_audit(make_member, make_user):
    user = make_user("qd@cdou.example", member=make_member())
    reset_password(None, user, "一个全新的长口令-2026")
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "User").order_by(AuditLog.id)).all()
    create, update = rows
    assert "password_hash" not in create.changes
    assert update.changes == {"password_hash": ["***", "***"]}
    assert all(user.password_hash not in str(r.changes) for r in rows)


def test_secretariat_browses_and_filters_the_log(browser, demo):
    browser.login("secretariat@cdou.example")
    browser.post_form("/members/wenzhou/suspend", {"reason": "会费未缴"})
    html = browser.get("/audit/?type=Member&action=update").get_data(as_text=True)
    assert "温州大数据公司" in html and "状态</strong>：正常 → 已暂停" in html  # labels and values in words
    assert "会费未缴" in html and "secretariat@cdou.example" not in html  # the actor by name: 秘书处 赵敏
    assert "秘书处 赵敏" in html
    table = html[html.index('class="card p-2"'):]
    assert "青岛数据集团" not in table  # only created, not updated
    html = browser.get("/audit/?type=Member&q=温州").get_data(as_text=True)
    assert "共 2 条记录" in html  # its admission and its suspension
    member_page = browser.get("/members/wenzhou").get_data(as_text=True)
    assert "变更历史" in member_page and "秘书处 赵敏" in member_page


def test_the_log_names_members_in_the_pages_language(browser, demo):
    """What a row is about was labelled in Chinese when written (温州大数据公司); an English reader
    reads the member's English name, the person's name as written."""
    wenzhou = db.session.scalar(select(Member).where(Member.code == "wenzhou"))
    assert wenzhou.name_en
    browser.login("secretariat@cdou.example")
    browser.post_form("/members/wenzhou/suspend", {"reason": "会费未缴"})
    browser.get("/lang/en")
    html = browser.get("/audit/?type=Member&action=update").get_data(as_text=True)
    table = html[html.index('class="card p-2"'):]
    assert wenzhou.name_en in table and "温州大数据公司" not in table
    assert "会费未缴" in table  # the reason as written


def test_audit_log_is_secretariat_only(browser, client, demo):
    assert client.get("/audit/").status_code == 302
    browser.login("ningbo@cdou.example")
    assert browser.get("/audit/").status_code == 403
    assert "变更历史" not in browser.get("/members/ningbo").get_data(as_text=True)


def test_history_reads_in_words_and_a_sign_in_writes_no_row(browser, demo):
    from consortium.catalog.models import DataResource
    from consortium.catalog.services import update_resource
    from consortium.auth.services import get_user_by_email
    user = get_user_by_email("wenzhou@cdou.example")
    entry = db.session.scalar(select(DataResource).where(DataResource.member.has(code="wenzhou"),
                                                         DataResource.openness == "conditional").limit(1))
    update_resource(user, entry, openness="authorised")
    db.session.commit()
    before = db.session.scalar(select(func.count(AuditLog.id)))
    browser.login("wenzhou@cdou.example")
    assert db.session.scalar(select(func.count(AuditLog.id))) == before  # signing in is not an audited change
    html = browser.get(f"/resources/{entry.id}").get_data(as_text=True)
    assert "开放属性</strong>：有条件开放 → 授权运营" in html
    assert "林晓 · 温州大数据公司" in html and "wenzhou@cdou.example" not in html[html.index("audit-table"):]
    browser.client.get("/lang/en")
    html = browser.get(f"/resources/{entry.id}").get_data(as_text=True)
    assert "Openness</strong>: Open on conditions → Authorised operation" in html


def test_audit_filters_by_type_actor_member_and_dates_and_exports_csv(browser, demo):
    from datetime import timedelta

    from consortium.auth.services import get_user_by_email
    browser.login("secretariat@cdou.example")
    browser.post_form("/members/wenzhou/suspend", {"reason": "会费未缴"})
    sec = get_user_by_email("secretariat@cdou.example")
    page = browser.get("/audit/").get_data(as_text=True)
    assert '<option value="Member" >成员单位</option>' in page  # object types in words
    html = browser.get(f"/audit/?actor={sec.id}&type=Member").get_data(as_text=True)  # (the demo dashboards
    assert "共 1 条记录" in html and "会费未缴" in html                                 # were published by 赵敏 too)
    qingdao = db.session.scalar(select(Member.id).where(Member.code == "qingdao"))
    by_qingdao = browser.get(f"/audit/?member={qingdao}").get_data(as_text=True)
    rows = by_qingdao[by_qingdao.index("audit-table"):]
    assert "会费未缴" not in rows and "秘书处 赵敏" not in rows  # only what 青岛's users did
    today = local_today()
    assert "共 0 条记录" in browser.get(
        f"/audit/?type=Member&to={(today - timedelta(days=2)).isoformat()}").get_data(as_text=True)
    response = browser.get(f"/audit/export.csv?actor={sec.id}&type=Member")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert "北京时间" in lines[0] and len(lines) == 2
    assert "秘书处 赵敏" in lines[1] and "成员单位" in lines[1] and "正常 → 已暂停" in lines[1]

"""Notifications are shown only while their recipient may still see the target: the rule
is applied when they are read (list, badge, mark-read), not only when they are sent."""
import pytest
from sqlalchemy import func, select

from consortium.core.exceptions import NotFound
from consortium.extensions import db
from consortium.notifications import registry, services
from consortium.notifications.models import Notification


def test_notify_writes_one_row_for_the_member_and_reads_through_the_kind(people, secret_target):
    liu, lin, qingdao, _wenzhou = people
    note = services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=7,
                           payload={"title": "信贷数据宝定价"}, text="请于周五前答复")
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    assert note.created_by_label == "温州大数据公司" and note.member_id == qingdao.id
    secret_target.add((liu.id, 7))
    assert registry.message_of(note) == "议题邀请：信贷数据宝定价"
    assert registry.url_of(note) == "/dossiers/7"
    assert [n.id for n in services.list_notifications(liu)] == [note.id]
    assert services.list_notifications(lin) == []  # another member's


def test_a_recipient_who_lost_access_no_longer_sees_or_counts_it(people, secret_target):
    liu, lin, qingdao, _ = people
    note = services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=9,
                           payload={"title": "联合谈判"})
    db.session.commit()
    secret_target.add((liu.id, 9))
    assert services.unread_count(liu) == 1
    secret_target.clear()  # e.g. withdrawn from the dossier after the notification was sent
    assert services.list_notifications(liu) == [] and services.unread_count(liu) == 0
    with pytest.raises(NotFound):
        services.mark_read(liu, note.id)
    assert services.mark_read(liu) == 0
    assert db.session.get(Notification, note.id).read_at is None


def test_an_unregistered_target_type_is_shown_to_nobody(people):
    liu, lin, qingdao, _ = people
    services.notify(lin, qingdao, "test.unknown", target_type="nobody_said", target_id=1)
    db.session.commit()
    assert services.list_notifications(liu) == [] and services.unread_count(liu) == 0


def test_page_lists_marks_read_and_hides_what_the_reader_may_not_see(browser, people, secret_target):
    liu, lin, qingdao, _ = people
    seen = services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=1,
                           payload={"title": "可见议题"})
    services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=2,
                    payload={"title": "保密议题"})
    db.session.commit()
    secret_target.add((liu.id, 1))
    browser.login("liu@qingdao.example")
    page = browser.get("/notifications/").get_data(as_text=True)
    assert "议题邀请：可见议题" in page and "保密议题" not in page
    assert 'id="notification-badge">1<' in page
    browser.post_form("/notifications/read", {}, form_url="/notifications/")
    db.session.expire_all()
    assert db.session.get(Notification, seen.id).read_at is not None
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.read_at.is_(None))) == 1
    assert 'id="notification-badge"' not in browser.get("/notifications/").get_data(as_text=True)

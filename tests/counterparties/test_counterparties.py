"""The counterparty register: credit-code checksum, contacts, who writes, and that a
counterparty can never sign in."""
import pytest
from sqlalchemy import func, select

from consortium.auth.models import User
from stdnum.cn.uscc import calc_check_digit

from consortium.core import uscc
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.counterparties import services
from consortium.counterparties.models import Counterparty, CounterpartyContact
from consortium.extensions import db


def _valid(first17="91330100MA2CF1234"):
    return first17 + calc_check_digit(first17)


def _refusal(value):
    with pytest.raises(DomainError) as err:
        uscc.check_uscc(value, field="credit_code")
    assert err.value.field == "credit_code"
    return str(err.value)


def test_credit_code_checksum_one_check_for_every_domain():
    # a code widely used to illustrate the check character
    assert uscc.check_uscc("91350100M000100Y43") == "91350100M000100Y43"
    good = _valid()
    assert uscc.check_uscc(good) == good and uscc.check_uscc(" " + good.lower()[:9] + " " + good.lower()[9:]) == good
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert _refusal(wrong) == f"统一社会信用代码 {wrong} 校验码不正确（应为 {good[17]}）。"
    assert _refusal(good[:17]) == "统一社会信用代码应为 18 位（当前 17 位）。"
    assert _refusal("91330100MA2CF123I0") == "91330100MA2CF123I0 不是有效的统一社会信用代码。"  # I: not in the alphabet


def test_counterparty_with_bad_credit_code_is_not_saved(make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    with pytest.raises(DomainError) as err:
        services.add_counterparty(sec, name="某平台公司", credit_code="913301001234567890")
    assert err.value.field == "credit_code"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Counterparty.id))) == 0
    cp = services.add_counterparty(sec, name="某平台公司", credit_code=_valid().lower())
    assert cp.credit_code == _valid()


def test_only_the_secretariat_records(make_member, make_user):
    user = make_user("qd@cdou.example", member=make_member())
    with pytest.raises(PermissionDenied):
        services.add_counterparty(user, name="某平台公司")


def test_secretariat_records_edits_and_adds_contacts_in_the_browser(browser, demo):
    browser.login("secretariat@cdou.example")
    html = browser.post_form("/counterparties/manage", {"name": "某平台公司", "kind": "platform",
                                                        "credit_code": _valid()},
                             follow_redirects=True).get_data(as_text=True)
    assert "已登记对手方 某平台公司" in html and "蚂蚁集团" in html
    cp = db.session.scalar(select(Counterparty).where(Counterparty.name == "某平台公司"))
    html = browser.post_form(f"/counterparties/{cp.id}/contacts", {"name": "王经理", "title": "商务总监",
                                                                  "email": "wang@example.com"},
                             form_url=f"/counterparties/{cp.id}", follow_redirects=True).get_data(as_text=True)
    assert "王经理" in html and "商务总监" in html
    bad = browser.post_form(f"/counterparties/{cp.id}/edit", {"name": "某平台公司", "kind": "platform",
                                                              "credit_code": "ABC"}).get_data(as_text=True)
    assert "统一社会信用代码" in bad
    db.session.expire_all()
    assert db.session.get(Counterparty, cp.id).credit_code == _valid()
    # accounts can only point at member organisations: no foreign key to counterparties exists
    assert {fk.column.table.name for fk in User.__table__.foreign_keys} == {"members"}


def test_visitors_see_the_register_but_no_contacts(client, browser, demo):
    cp = db.session.scalar(select(Counterparty).where(Counterparty.name == "蚂蚁集团"))
    services.add_contact(None, cp, name="李联系人", phone="0571-1234")
    db.session.commit()
    html = client.get(f"/counterparties/{cp.id}").get_data(as_text=True)
    assert "蚂蚁集团" in html and "李联系人" not in html
    assert "contacts" not in client.get(f"/api/v1/counterparties/{cp.id}").get_json()
    browser.login("qingdao@cdou.example")
    assert "李联系人" in browser.get(f"/counterparties/{cp.id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(CounterpartyContact.id))) == 1


def test_a_counterparty_answer_is_counterparty_out(client, demo):
    """counterparties.schemas.CounterpartyOut: the same keys for everyone, contacts only for members."""
    from consortium.auth.services import create_api_token, get_user_by_email
    cp = db.session.scalar(select(Counterparty).where(Counterparty.name == "蚂蚁集团"))
    services.add_contact(None, cp, name="李联系人", title="合作经理", email="li@example.org", phone="0571-1234")
    _t, raw = create_api_token(None, get_user_by_email("qingdao@cdou.example"), "青岛")
    db.session.commit()
    public = client.get(f"/api/v1/counterparties/{cp.id}").get_json()
    assert public == {"id": cp.id, "name": "蚂蚁集团", "name_en": cp.name_en, "kind": cp.kind,
                      "credit_code": cp.credit_code, "website": cp.website, "description": cp.description}
    member = client.get(f"/api/v1/counterparties/{cp.id}", headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert member.pop("contacts") == [{"name": "李联系人", "title": "合作经理", "email": "li@example.org",
                                       "phone": "0571-1234"}]
    assert member == public
    listed = client.get("/api/v1/counterparties").get_json()["items"]
    assert "contacts" not in next(c for c in listed if c["id"] == cp.id)

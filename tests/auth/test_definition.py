"""An account and an API token each have one definition (auth/schemas.py); the services' rules
and the forms come from it, and an e-mail address is checked the one way whatever the way in."""
import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.auth import forms, services
from consortium.auth.models import ApiToken, User
from consortium.auth.schemas import UserFields
from consortium.core.entity import Text, clean_values, described, form_class
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.members.models import Member

PASSWORD = "青岛数据集团-2025-口令"


class WithPhone(UserFields):
    phone = Text(40, label=_l("Contact phone"))


def test_a_field_added_to_the_account_reaches_the_form_and_the_rules(app):
    with app.test_request_context():
        form = form_class("F", forms._UserFormBase, WithPhone)(meta={"csrf": False})
        assert [f.name for f in form] == [*described(UserFields), "phone", "password", "submit"]
        with pytest.raises(DomainError) as e:
            clean_values(WithPhone, {"phone": "1" * 41})
        assert e.value.field == "phone"
        real = forms.UserForm(meta={"csrf": False})
        assert [f.name for f in real] == ["email", "name", "role", "password", "submit"]
        assert real.email.type == "EmailField"


def test_the_account_rules_come_from_the_definition(demo):
    secretariat = services.get_user_by_email("secretariat@cdou.example")
    member = db.session.scalar(select(Member).where(Member.code == "qingdao"))
    n = db.session.scalar(select(func.count(User.id)))
    for fields, field in (({"email": "两个@地址, b@example.org"}, "email"), ({"name": "名" * 101}, "name"),
                          ({"role": "admin"}, "role"), ({"email": ""}, "email")):
        kw = {"email": "新用户@example.org", "password": PASSWORD, "member": member, **fields}
        with pytest.raises(DomainError) as e:
            services.create_user(secretariat, **kw)
        assert e.value.field == field
        db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == n
    user = services.create_user(secretariat, email=" Li.Na@Example.ORG ", name=" 李娜 ", password=PASSWORD,
                                member=member)
    assert (user.email, user.name, user.role) == ("li.na@example.org", "李娜", "member")
    with pytest.raises(DomainError) as e:
        services.create_api_token(user, user, "令" * 101)
    assert e.value.field == "name"
    db.session.rollback()
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 0


def test_a_field_added_to_the_account_is_taken_and_stored_by_the_service(app, make_member, monkeypatch):
    member = make_member(name="青岛数据集团", code="qingdao")
    monkeypatch.setattr(services, "UserFields", WithPhone)
    monkeypatch.setattr(User, "phone", None, raising=False)  # stands for the new column
    n = db.session.scalar(select(func.count(User.id)))
    with pytest.raises(DomainError) as e:
        services.create_user(None, email="li.na@example.org", password=PASSWORD, member=member, phone="1" * 41)
    assert e.value.field == "phone" and "40" in e.value.message
    assert db.session.scalar(select(func.count(User.id))) == n  # nothing added to the session (the count flushes it)
    user = services.create_user(None, email="li.na@example.org", password=PASSWORD, member=member,
                                phone=" 0532-8888 ", name="李娜")
    assert (user.phone, user.email, user.name, user.role, user.member_id) == (
        "0532-8888", "li.na@example.org", "李娜", "member", member.id)
    assert db.session.scalar(select(func.count(User.id))) == n + 1
    monkeypatch.undo()
    with pytest.raises(DomainError) as e:  # the real definition has no such field: refused by name
        services.create_user(None, email="wang@example.org", password=PASSWORD, member=member, phone="0532")
    assert e.value.field == "phone"


def test_the_account_page_hands_a_new_field_to_the_service(app, browser, make_member, make_user, monkeypatch):
    from consortium.members import views as member_views
    member = make_member(name="潮州市数字集团", city="潮州", code="chaozhou")
    make_user("sec@example.org", role="secretariat")
    monkeypatch.setattr(services, "UserFields", WithPhone)
    monkeypatch.setattr(member_views, "UserForm", form_class("UserForm", forms._UserFormBase, WithPhone))
    monkeypatch.setattr(User, "phone", None, raising=False)
    stored = []
    real = services.create_user

    def spy(actor, **kw):
        user = real(actor, **kw)
        stored.append(user.phone)  # the attribute stands for a column: read it before the request ends
        return user
    monkeypatch.setattr(services, "create_user", spy)
    browser.login("sec@example.org")
    url = f"/members/{member.code}/users/new"
    form = {"email": "Chaozhou@Example.org", "name": "潮州", "role": "member", "password": "潮州数字集团-2025-口令"}
    page = browser.get(url).get_data(as_text=True)
    assert 'name="phone"' in page
    bad = browser.post_form(url, {**form, "phone": "1" * 41})
    html = bad.get_data(as_text=True)
    field = html[html.index('id="phone"'):html.index('for="password"')]
    assert bad.status_code == 200 and "40 个字符" in field and 'value="' + "1" * 41 + '"' in field  # kept
    assert stored == []
    assert db.session.scalar(select(User.id).where(User.email == "chaozhou@example.org")) is None
    assert browser.post_form(url, {**form, "phone": "0768-2222"}).status_code == 302
    assert stored == ["0768-2222"]
    user = db.session.scalar(select(User).where(User.email == "chaozhou@example.org"))
    assert (user.name, user.member_id) == ("潮州", member.id)


def test_the_create_user_command_offers_and_passes_a_new_field(app, make_member, monkeypatch):
    """``flask create-user`` has an option for each field of the account's definition."""
    from types import SimpleNamespace

    from flask.cli import AppGroup

    from consortium import cli
    make_member(name="青岛数据集团", code="qingdao")
    monkeypatch.setattr(cli, "UserFields", WithPhone)
    monkeypatch.setattr(services, "UserFields", WithPhone)
    monkeypatch.setattr(User, "phone", None, raising=False)
    stored = []
    real = services.create_user

    def spy(actor, **kw):
        user = real(actor, **kw)
        stored.append(user.phone)
        return user
    monkeypatch.setattr(cli, "create_user", spy)  # the name the command calls
    commands = SimpleNamespace(cli=AppGroup("commands"))
    cli.register(commands)  # the commands as registered with the widened definition
    runner = app.test_cli_runner()
    args = ["create-user", "li@qingdao.example", "--member", "qingdao", "--name", "李工"]
    typed = "青岛-足够长的口令-9\n青岛-足够长的口令-9\n"
    assert "--phone" in runner.invoke(commands.cli, args=["create-user", "--help"]).output
    refused = runner.invoke(commands.cli, args=[*args, "--phone", "1" * 41], input=typed)
    assert refused.exit_code != 0 and "40" in refused.output and stored == []
    assert db.session.scalar(select(User.id).where(User.email == "li@qingdao.example")) is None
    done = runner.invoke(commands.cli, args=[*args, "--phone", "0532-8888"], input=typed)
    assert done.exit_code == 0, done.output
    assert stored == ["0532-8888"]
    user = db.session.scalar(select(User).where(User.email == "li@qingdao.example"))
    assert (user.name, user.role, user.member.code) == ("李工", "member", "qingdao")

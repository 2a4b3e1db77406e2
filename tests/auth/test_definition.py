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

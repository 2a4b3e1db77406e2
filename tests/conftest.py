"""Shared fixtures. One app and schema per test session; every test starts
from empty domain tables (reference cities kept) and a fresh rate limiter."""
import re
from datetime import date

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import delete

from consortium import create_app
from consortium.config import TestConfig
from consortium.extensions import db, limiter

PASSWORD = "cdou-demo-2025"
KEEP = {"provinces", "cities"}


def _compile_translations():
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for po in Path(__file__).parent.parent.glob("consortium/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as f:
                catalog = read_po(f)
            with open(mo, "wb") as f:
                write_mo(f, catalog)


class FreshGlobalsClient(FlaskClient):
    """Tests keep one app context (and db session) pushed while they send
    requests; give every request a fresh ``g`` as production does, so nothing
    cached there (the signed-in user, the locale) leaks into the next request."""

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is not None:
            ctx.g = ctx.app.app_ctx_globals_class()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    _compile_translations()
    app = create_app(TestConfig)
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        from consortium.geo.services import load_reference_data
        load_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean(app):
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP:
                db.session.execute(delete(table))
        db.session.commit()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Browser:
    """Drives the test client the way a person does: forms carry their CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post_form(self, url, data=None, form_url=None, **kw):
        page = self.client.get(form_url or url)
        data = dict(data or {})
        data["csrf_token"] = csrf_from(page.get_data(as_text=True))
        return self.client.post(url, data=data, **kw)

    def login(self, email, password=PASSWORD):
        return self.post_form("/auth/login", {"email": email, "password": password}, follow_redirects=True)

    def logout(self):
        return self.post_form("/auth/logout", {}, form_url="/")


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def make_member():
    from consortium.geo.services import find_city
    from consortium.members.services import admit_member

    def make(name="测试数据集团", city="青岛", kind="data_group", code=None, joined_on=date(2025, 4, 18), **kw):
        member = admit_member(None, name=name, kind=kind, city=find_city(city), code=code, joined_on=joined_on, **kw)
        db.session.commit()
        return member
    return make


@pytest.fixture
def make_user():
    from consortium.auth.services import create_user

    def make(email, member=None, role="member", password=PASSWORD, name=""):
        user = create_user(None, email=email, password=password, role=role, member=member, name=name)
        db.session.commit()
        return user
    return make


@pytest.fixture
def demo(app):
    """The demo data of `flask seed-demo`."""
    from consortium.core.demo import seed_demo
    created = seed_demo(PASSWORD)
    db.session.commit()
    return created

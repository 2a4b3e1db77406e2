"""Shared fixtures. One app and schema per test session (per pytest-xdist worker: on
PostgreSQL each worker has its own database); every test starts from empty domain tables
(reference cities kept) and a fresh rate limiter. Only the tables a test wrote to are
emptied after it (the rest are still empty), which keeps the teardown cheap."""
import os
import re
from datetime import date

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, event, text

from consortium import create_app
from consortium.config import TestConfig
from consortium.extensions import db, limiter

PASSWORD = "cdou-demo-2025"
KEEP = {"provinces", "cities"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Browser tests are slow tests too: `make test-fast` leaves them out."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


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


def _worker_database() -> None:
    """Under pytest-xdist on PostgreSQL, each worker gets its own database on the server named
    by TEST_DATABASE_URL (created afresh), so the workers' tests never see each other's rows.
    SQLite's in-memory database is per process already."""
    url, worker = os.environ.get("TEST_DATABASE_URL", ""), os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgres"):
        return
    base, name = url.rsplit("/", 1)
    name = f"{name.split('?')[0]}_{worker}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["TEST_DATABASE_URL"] = f"{base}/{name}"  # subprocesses a test starts use it too


WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I)
_written: set[str] = set()


def _note_write(conn, cursor, statement, parameters, context, executemany):
    match = WRITE.match(statement)
    if match:
        _written.add(match.group(1))


@pytest.fixture(scope="session")
def app():
    _worker_database()
    _compile_translations()
    app = create_app(TestConfig)
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        from consortium.geo.services import load_reference_data
        load_reference_data()
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", _note_write)
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
        # the tables written to (triggers fill the resource map's change log and search index)
        written = _written | ({"catalog_changes"} if _written else set())
        for table in reversed(db.metadata.sorted_tables):
            if table.name in written and table.name not in KEEP:
                db.session.execute(delete(table))
        db.session.commit()
        from consortium.catalog import dcat_pages
        dcat_pages.clear()  # kept per change mark, which the next test's database may repeat
        _written.clear()
    limiter.reset()


@pytest.fixture
def queued_broker(tmp_path):
    """The job engine on a huey SQLite file of the test's own instead of immediate mode, with a
    pretend worker's beat (so starts are accepted): jobs wait until the test runs them
    (``tests.jobs.helpers.run_queued``)."""
    from consortium.jobs import engine
    engine.set_broker(f"sqlite:///{tmp_path / 'broker.db'}")
    engine._beat(engine.WORKER_KEY)
    yield engine.huey
    engine.set_broker("immediate")


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
        html = page.get_data(as_text=True)
        data["csrf_token"] = csrf_from(html)
        version = re.search(r'name="version"[^>]*value="(\d+)"', html)
        if version and "version" not in data:  # as a browser posts the form's hidden version
            data["version"] = version.group(1)
        return self.client.post(url, data=data, **kw)

    def login(self, email, password=PASSWORD):
        return self.post_form("/auth/login", {"email": email, "password": password}, follow_redirects=True)

    def logout(self):
        return self.post_form("/auth/logout", {}, form_url="/")


@pytest.fixture
def smtp(app):
    """A real SMTP server for this test; the portal's mail goes to it (``tests/smtp.py``)."""
    from tests import smtp as smtp_server
    server = smtp_server.start(app)
    yield server
    server.stop()


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def make_member():
    from consortium.geo.services import find_city
    from consortium.members.services import admit_member

    counter = iter(range(1, 10_000))

    def make(name="测试数据集团", city="青岛", kind="data_group", code=None, joined_on=date(2025, 4, 18), **kw):
        code = code or f"t{next(counter):04d}"  # the secretariat chooses codes; tests number theirs
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
    from consortium.portal.demo import seed_demo
    created = seed_demo(PASSWORD)
    db.session.commit()
    return created


def require_tool(name: str):
    """Skip when a system tool is missing — but never in CI, where .ci/run installs it."""
    import os
    import shutil
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a loopback port in a background thread, for the browser."""
    import threading

    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page; every request that leaves the machine is recorded and blocked."""
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()
    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    yield page
    context.close()

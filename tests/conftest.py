"""Shared fixtures. One app and schema per test session (per pytest-xdist worker: on
PostgreSQL each worker has its own database), with the reference cities loaded once.

Every test runs inside a transaction rolled back at its end: the test's connection begins it,
the app's sessions join it (their commits become savepoints: SQLAlchemy's "joining a session
into an external transaction" recipe), so nothing is deleted after a test. A test whose rows
must be seen by another thread or process (a live server, worker processes) is marked
``committed`` (the fixtures that start them mark it): it commits for real, and the tables it
wrote to are emptied after it. The demo data is seeded once per worker and kept while tests
that use it follow each other (the collection puts them together)."""
import contextlib
import os
import re
from datetime import date

import pytest
from flask import current_app
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, delete, event, text

from consortium import create_app
from consortium.config import TestConfig
from consortium.extensions import db, limiter

PASSWORD = "cdou-demo-2025"
KEEP = {"provinces", "cities"}


# the fixtures whose threads or processes read the test's rows through connections of their own,
# and the queued job engine: the task runner's session reads, the job's own session commits, then the
# runner's ends — nested savepoints would lose the job's work when the runner's is rolled back
COMMITTING_FIXTURES = {"live_server", "shared", "queued_broker"}


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Before the other plug-ins (so `-m "not slow"` sees the marks): browser tests are slow
    too, and tests that start a live server or worker processes commit. After them (pytest-randomly
    included): slow tests first, so that none is left to start near the end; then the tests that
    use the demo data, next to each other, so a worker seeds it once for all of them (the order
    within each part is kept). `make test` runs pytest-xdist with ``--dist worksteal``: its default
    (``load``) hands each worker a consecutive slice at the start, which gave one worker every slow
    test (330 s) while the other finished its share in 160 s and waited; with work stealing an
    idle worker takes half of another's queue, and both end within seconds of each other."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        if COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.committed)
    result = yield
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None,
                                 "demo" not in getattr(item, "fixturenames", ())))
    return result


SLOW_SECONDS = 5
_unmarked_slow: list[tuple[float, str]] = []


def pytest_runtest_logreport(report):
    """Remember the tests that took seconds without being marked slow (under pytest-xdist the
    reports of every worker reach the controller, which prints them at the end)."""
    if report.when == "call" and report.duration >= SLOW_SECONDS and "slow" not in report.keywords:
        _unmarked_slow.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter):
    if _unmarked_slow:
        terminalreporter.section(f"tests over {SLOW_SECONDS} s not marked slow (mark them @pytest.mark.slow)")
        for duration, nodeid in sorted(_unmarked_slow, reverse=True):
            terminalreporter.write_line(f"{duration:6.1f} s  {nodeid}")


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


class _State:
    """This worker's database: the test's connection while its transaction is open (None when the
    test commits), the tables written to (by whom), and the demo data when it is in the database."""
    app = None
    connection = None
    written: set[str] = set()  # every table written to since the last cleaning
    foreign: set[str] = set()  # those written through another connection (PostgreSQL: committed)
    demo: dict | None = None  # the demo's counts while its rows are committed in the database
    demo_tables: set[str] = set()
    demo_image = None  # SQLite: the database just after seeding, restored instead of seeding again


def _note_write(conn, cursor, statement, parameters, context, executemany):
    match = WRITE.match(statement)
    if match:
        _State.written.add(match.group(1))
        if _State.connection is not None and conn is not _State.connection and conn.dialect.name != "sqlite":
            _State.foreign.add(match.group(1))


class JoiningSession(FlaskSession):
    """Mixed into the app's session class in the tests: while a test's transaction is open, a
    session of the test's app joins the test's connection, and its commits and rollbacks are
    savepoints. (Mixed into the class the session maker made, which carries the app's session
    event listeners: the audit guard, the search's snapshot hooks.)"""

    def __init__(self, db, **kwargs):
        if _State.connection is not None and current_app._get_current_object() is _State.app:
            kwargs.update(bind=_State.connection, join_transaction_mode="create_savepoint")
        super().__init__(db, **kwargs)

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper, clause, bind, **kwargs)


def _sqlite_begin(conn):
    """SQLite in the rolled-back mode: the driver in autocommit mode, and BEGIN emitted by us
    (SQLAlchemy's recipe for savepoints with pysqlite); the in-memory database has one connection,
    which every SQLAlchemy connection shares, so only the first one begins."""
    dbapi = conn.connection.dbapi_connection
    if dbapi.isolation_level is None and not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def app():
    _worker_database()
    _compile_translations()
    app = create_app(TestConfig)
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        db.session.remove()
        factory = db.session.session_factory
        factory.class_ = type("JoiningSession", (JoiningSession, factory.class_), {})
        db.drop_all()
        db.create_all()
        from consortium.geo.services import load_reference_data
        load_reference_data()
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", _note_write)
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "begin", _sqlite_begin)
    _State.app = app
    _State.written.clear()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _empty_written_tables(also=()) -> None:
    """Delete the rows of every table written to (the reference cities kept), and commit."""
    db.session.rollback()
    db.session.remove()
    written = _State.written | set(also)
    if written:  # triggers fill the resource map's change log and search index
        written.add("catalog_changes")
    for table in reversed(db.metadata.sorted_tables):
        if table.name in written and table.name not in KEEP:
            db.session.execute(delete(table))
    db.session.commit()
    db.session.remove()
    _State.written.clear()
    _State.foreign.clear()
    if _State.demo is not None:
        _State.demo = None
        _forget_cached_content()


def _forget_cached_content() -> None:
    """The per-process caches of derived content: kept per change mark, which the next
    database state may repeat."""
    from consortium.catalog import dcat_pages, export_cache
    from consortium.catalog.search.columns import forget_snapshots
    dcat_pages.clear()
    export_cache.clear()
    forget_snapshots()


def _load_demo() -> None:
    """The demo data, committed: seeded, or (SQLite) copied back from the image taken after seeding."""
    if _State.demo is not None:
        return
    _empty_written_tables()
    dbapi = db.session.connection().connection.dbapi_connection
    db.session.remove()
    if _State.demo_image is not None:
        _State.demo_image.backup(dbapi)
        _State.demo = _State.demo_image_counts
    else:
        from consortium.portal.demo import seed_demo
        _State.demo = seed_demo(PASSWORD)
        db.session.commit()
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            import sqlite3
            _State.demo_image = sqlite3.connect(":memory:")
            dbapi.backup(_State.demo_image)
            _State.demo_image_counts = _State.demo
        _State.demo_tables = set(_State.written)
    _State.written.clear()
    _forget_cached_content()


@contextlib.contextmanager
def _rolled_back():
    """The test inside one transaction of its own connection, rolled back at its end."""
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"
    connection = engine.connect()
    if sqlite:
        connection.connection.dbapi_connection.isolation_level = None
    outer = connection.begin()
    if sqlite:  # other SQLAlchemy connections share the one in-memory database: their commit is ours
        engine.dialect.do_commit = engine.dialect.do_rollback = lambda dbapi_connection: None
    _State.connection = connection
    try:
        yield
    finally:
        db.session.remove()
        _State.connection = None
        if sqlite:
            del engine.dialect.do_commit, engine.dialect.do_rollback
        outer.rollback()
        if sqlite:
            connection.connection.dbapi_connection.isolation_level = ""
        connection.close()
    if _State.foreign:  # written through a connection of its own, hence committed (PostgreSQL)
        _empty_written_tables(_State.demo_tables)
    else:
        _State.written.clear()


@pytest.fixture(autouse=True)
def _database(request, app):
    """Each test in a transaction rolled back at its end, or, marked ``committed``, committing
    for real and the tables it wrote to emptied after it; with the demo data when it asks for it."""
    with app.app_context():
        uses_demo = "demo" in request.node.fixturenames
        if uses_demo:
            _load_demo()
        elif _State.demo is not None:
            _empty_written_tables(_State.demo_tables)
        if request.node.get_closest_marker("committed"):
            yield
            db.session.rollback()
            if _State.written:  # and the demo data is no longer what was seeded
                _empty_written_tables(_State.demo_tables if _State.demo is not None else ())
            db.session.remove()
        else:
            with _rolled_back():
                yield
        from consortium.catalog import dcat_pages
        dcat_pages.clear()  # kept per change mark, which the next test's database may repeat
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
def demo(_database):
    """The demo data of `flask seed-demo` (seeded once per worker, see ``_database``): its counts."""
    return dict(_State.demo)


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

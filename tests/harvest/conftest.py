"""Fixtures of the harvest tests: a local HTTP server inside the test process (127.0.0.1 only;
no outside address is ever contacted) serving whatever each test puts on it, members, users
and sources."""
import http.server
import threading
import time
from pathlib import Path

import pytest

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.harvest import services

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


class Route:
    def __init__(self, body=b"", status=200, content_type="text/plain; charset=utf-8", headers=None, delay=0.0,
                 stream=0, handler=None):
        self.body, self.status, self.content_type = body, status, content_type
        self.headers, self.delay, self.stream, self.handler = headers or {}, delay, stream, handler


class LocalSite:
    """Routes by path (the query string ignored unless the route is a handler of the whole URL)."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits.append(self.path)
                path = self.path.split("?", 1)[0]
                route = site.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                if route.handler is not None:
                    route = route.handler(self.path)
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                body = route.body if isinstance(route.body, bytes) else route.body.encode("utf-8")
                length = route.stream or len(body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                try:
                    if route.stream:  # a huge body, written as long as the client reads
                        chunk = b"x" * 65536
                        for _ in range(route.stream // len(chunk)):
                            self.wfile.write(chunk)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path, body=b"", **kw):
        self.routes[path] = Route(body, **kw)
        return self.url(path)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(app):
    """The local server, and the harvester allowed to read it (as HARVEST_ALLOWED_HOSTS would in production)."""
    server = LocalSite()
    saved = {k: app.config.get(k) for k in ("HARVEST_ALLOWED_HOSTS", "HARVEST_READ_TIMEOUT", "HARVEST_MAX_BYTES")}
    app.config.update(HARVEST_ALLOWED_HOSTS="127.0.0.1", HARVEST_READ_TIMEOUT=2, HARVEST_MAX_BYTES=2 * 1024 * 1024)
    yield server
    app.config.update(saved)
    server.stop()


@pytest.fixture
def people(make_member, make_user):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    xm = make_member(name="厦门大数据有限公司", city="厦门", code="xiamen")
    users = {"qd": make_user("qd@cdou.example", member=qd), "xm": make_user("xm@cdou.example", member=xm),
             "sec": make_user("sec@cdou.example", role="secretariat")}
    tokens = {k: create_api_token(None, u, "test")[1] for k, u in users.items()}
    db.session.commit()
    return {"qd": qd, "xm": xm, "users": users, "tokens": tokens}


@pytest.fixture
def make_source(people):
    def make(kind, url, member="xm", approve=True, maps=None, **kw):
        source = services.propose_source(people["users"][member], people[member], kind=kind, name=f"{kind} 源",
                                         url=url, **kw)
        if maps:
            services.set_maps(people["users"][member], source, maps)
        if approve:
            services.decide_source(people["users"]["sec"], source, True, "")
        db.session.commit()
        return source
    return make


def auth(token):
    return {"Authorization": f"Bearer {token}"}

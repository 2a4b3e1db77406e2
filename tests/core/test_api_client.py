"""A client generated from the OpenAPI description (openapi-python-client, as an outside
developer would) pages through every paginated list of /api/v1 to its end: the description
declares ``page`` and ``per_page`` and the page's shape, so nothing is out of the client's reach
(the review's generated client saw 20 of 21 members, 20 of 337 cities)."""
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db
from tests.route_walk import first_ids, fresh_request_globals

PER_PAGE = 7  # small, so every list of the demo data takes several pages
MEMBER_LISTS = {"/api/v1/notifications"}  # a member organisation's (the secretariat has none)


def _generate(spec: dict, where: Path):
    (where / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff hook
    subprocess.run([str(bin_dir / "openapi-python-client"), "generate", "--path", str(where / "openapi.json"),
                    "--output-path", str(where / "cdou_client"), "--meta", "none"],
                   check=True, env=env, capture_output=True, timeout=300)
    sys.path.insert(0, str(where))
    return importlib.import_module("cdou_client")


def _paginated(spec):
    for path, item in spec["paths"].items():
        op = item.get("get")
        if op and any(p["name"] == "page" and p["in"] == "query" for p in op.get("parameters", [])):
            yield path, op


@pytest.mark.slow
def test_a_generated_client_pages_through_every_list_to_its_end(app, client, demo, tmp_path):
    spec = client.get("/api/v1/openapi.json").get_json()
    generated = _generate(spec, tmp_path)
    try:
        tokens = {who: create_api_token(None, get_user_by_email(f"{who}@cdou.example"), "generated client")[1]
                  for who in ("secretariat", "qingdao")}
        db.session.commit()
        clients = {}
        for who, raw in tokens.items():
            http = httpx.Client(base_url="http://localhost", transport=httpx.WSGITransport(app=app),
                                headers={"Authorization": f"Bearer {raw}"},
                                event_hooks={"request": [fresh_request_globals]})
            clients[who] = generated.AuthenticatedClient(base_url="http://localhost", token=raw).set_httpx_client(http)
        ids, walked = first_ids(), {}
        for path, op in _paginated(spec):
            who = "qingdao" if path in MEMBER_LISTS else "secretariat"
            api, raw = clients[who], tokens[who]
            module = importlib.import_module(
                f"cdou_client.api.{op['tags'][0]}.{op['operationId'].replace('.', '_')}")
            path_args = {p["name"]: ids[p["name"]] for p in spec["paths"][path].get("parameters", [])}
            seen, page = [], 1
            while True:
                answer = module.sync(client=api, page=page, per_page=PER_PAGE, **path_args)
                assert type(answer).__name__.endswith("Page"), (path, page, answer)
                assert (answer.page, answer.per_page) == (page, PER_PAGE)
                seen.extend(answer.items)
                if page * PER_PAGE >= answer.total:
                    break
                page += 1
            assert len(seen) == answer.total, path
            # the same rows the API gives in one page, in the same order
            url = path.format(**path_args)
            fresh_request_globals()
            whole = client.get(url, query_string={"per_page": 100},
                               headers={"Authorization": f"Bearer {raw}"}).get_json()
            assert whole["total"] == answer.total, path
            if answer.total <= 100:
                assert [item.to_dict() for item in seen] == whole["items"], path
            walked[path] = answer.total
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "cdou_client" or m.startswith("cdou_client.")]:
            del sys.modules[name]
    assert len(walked) >= 10, sorted(walked)
    assert walked["/api/v1/members"] == 21 and walked["/api/v1/cities"] == 337

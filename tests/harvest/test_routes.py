"""Every route of the harvest, as anonymous, the source's member (厦门), another member (青岛)
and the secretariat; writes by anonymous and by 青岛 on 厦门's source change nothing."""
import re

import pytest
from sqlalchemy import select

from consortium.extensions import db
from consortium.harvest.models import HarvestRun, HarvestSource
from tests.route_walk import endpoints_of, url_of, walk_gets

from .test_runs import run

ROLES = (None, "xm@cdou.example", "qd@cdou.example", "sec@cdou.example")
SIGNED_IN = (302, 200, 200, 200)
OWNER = (302, 200, 404, 200)
API_OWNER = (401, 200, 404, 200)

GET_ACCESS = {
    "harvest.index": SIGNED_IN,
    "harvest.source": OWNER,
    "harvest.run_report": OWNER,
    "harvest_api.index": (401, 200, 200, 200),
    "harvest_api.detail": API_OWNER,
    "harvest_api.runs": API_OWNER,
    "harvest_api.run_detail": API_OWNER,
}
# POST by anonymous and by 青岛 on 厦门's source
WRITES = {
    "harvest.create": (302, 403),
    "harvest.edit": (302, 404),
    "harvest.maps": (302, 404),
    "harvest.attach": (302, 404),
    "harvest.decide": (302, 404),
    "harvest.preview": (302, 404),
    "harvest.run": (302, 404),
    "harvest_api.create": (401, 403),
    "harvest_api.update": (401, 404),
    "harvest_api.approve": (401, 404),
    "harvest_api.refuse": (401, 404),
    "harvest_api.preview": (401, 404),
    "harvest_api.run": (401, 404),
}


@pytest.fixture
def ids(site, make_source, people):
    url = site.serve("/c.csv", "资源编码,资源名称,领域,更新频率,开放属性\nXM-1,公交客流,交通,每日,无条件开放\n",
                     content_type="text/csv")
    source = make_source("spreadsheet", url)
    harvest_run = run(source)
    return {"source_id": source.id, "run_id": harvest_run.id}


def test_every_route_is_listed(app):
    assert endpoints_of(app, "harvest.", "harvest_api.") == set(GET_ACCESS) | set(WRITES)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "owner", "other member", "secretariat"])
def test_get_routes(app, browser, ids, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda e: url_of(app, e, ids))


@pytest.mark.parametrize("who", [0, 1], ids=["anonymous", "other member"])
def test_writes_of_others_change_nothing(app, browser, ids, who):
    client = browser.client
    if who:
        browser.login(ROLES[2])
    page = browser.get("/auth/account" if who else "/auth/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    before = [(s.state, s.name, s.url, dict(s.vocabulary_maps)) for s in db.session.scalars(select(HarvestSource))]
    runs = db.session.scalar(select(db.func.count(HarvestRun.id)))
    for endpoint, expected in WRITES.items():
        url = url_of(app, endpoint, ids)
        if endpoint.startswith("harvest_api."):
            body = {"kind": "dcat", "url": "https://x.example.cn/", "name": "x", "member": "xiamen"} \
                if endpoint == "harvest_api.create" else {"comment": "x"} if endpoint.endswith(("approve", "refuse")) \
                else {"name": "偷改"} if endpoint.endswith("update") else {}
            answer = client.post(url, json=body, headers={"X-CSRFToken": csrf}) if not endpoint.endswith("update") \
                else client.patch(url, json=body, headers={"X-CSRFToken": csrf})
        else:
            answer = client.post(url, data={"csrf_token": csrf, "member": "xiamen",
                                            "decision": "approve", "name": "偷改", "url": "https://x.example.cn/"})
        assert answer.status_code == expected[who], (endpoint, answer.status_code, re.findall(r"<(?:h1|p)[^>]*>([^<]{3,})", answer.get_data(as_text=True))[:4])
    db.session.expire_all()
    assert [(s.state, s.name, s.url, dict(s.vocabulary_maps))
            for s in db.session.scalars(select(HarvestSource))] == before
    assert db.session.scalar(select(db.func.count(HarvestRun.id))) == runs

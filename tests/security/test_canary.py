"""The non-public-entry canary: an entry whose every text field holds a unique
canary string is requested through every GET route of the app (real ids, and a
search for the canary), as a visitor and as an unrelated member. The canary must
appear nowhere; its owner sees it (so the sweep can fail).

Two canaries, because member users may read non-public entries by design
(README, security): A is non-public (hidden from visitors), B is non-public and
retired (hidden from everyone but its owner and the secretariat). Both are linked
to a scenario by the group's lead, the way finding 1 leaked them."""
import io

import openpyxl
import pytest
from sqlalchemy import select

from consortium.auth.services import get_user_by_email
from werkzeug.datastructures import MultiDict

from consortium.catalog import services as catalog
from consortium.catalog.export_jobs import start_export
from consortium.extensions import db
from consortium.members.services import get_member_by_code
from consortium.scenarios import services as scenarios
from consortium.agreements.models import Agreement
from consortium.scenarios.models import GroupMembership, Replication, Scenario
from tests.route_walk import every_get_url, first_ids, url_of

TEXT_FIELDS = ("code", "title", "description", "keywords", "department", "contact_name", "spatial_coverage",
               "registration_no", "formats")
SKIP = {"static", "bootstrap.static", "core.plotly_js", "core.set_language"}


def _canary(tag):
    values = {f: f"Canary{tag}{f.replace('_', '')}Zq" for f in TEXT_FIELDS}
    values["contact_email"] = f"canary{tag.lower()}@canary-{tag.lower()}.example"
    values["keywords"] = f"Canary{tag}kw1Zq,Canary{tag}kw2Zq"
    return values


@pytest.fixture
def sweep(demo):
    wenzhou = get_member_by_code("wenzhou")
    a = catalog.create_resource(None, wenzhou, domain="transport", frequency="daily", openness="conditional",
                                is_public=False, record_count=42, size_mb=1.5, **_canary("A"))
    b = catalog.create_resource(None, wenzhou, domain="transport", frequency="daily", openness="conditional",
                                is_public=False, **_canary("B"))
    lead = get_user_by_email("xiamen@cdou.example")
    scenario = db.session.scalar(select(Scenario).where(Scenario.title == "两客一危动态监管"))
    scenarios.update_scenario(lead, scenario, title=scenario.title, description=scenario.description,
                              origin_member=scenario.origin_member, needs=[(n.domain, n.label, n.keyword)
                                                                           for n in scenario.needs],
                              modes=scenario.circulation_modes, maturity=scenario.maturity, links=scenario.links,
                              resource_ids=[a.id, b.id])
    catalog.retire_resource(None, b)
    db.session.commit()
    # the owner's export job (run at once in the tests' immediate mode): its file holds canary A
    job = start_export(get_user_by_email("wenzhou@cdou.example"), "csv", MultiDict(), "zh_CN")
    db.session.commit()
    rep = db.session.scalar(select(Replication).where(Replication.scenario_id == scenario.id))
    args = {"resource_id": a.id, "code": "wenzhou", "adcode": wenzhou.city.adcode, "group_code": "transport",
            "scenario_id": scenario.id, "replication_id": rep.id, "fmt": "csv",
            "agreement_id": db.session.scalar(select(Agreement.id).order_by(Agreement.id)),
            "membership_id": db.session.scalar(select(GroupMembership.id)),
            "user_id": get_user_by_email("wenzhou@cdou.example").id, "job_id": job.id}
    return {"a": a, "b": b, "args": {**first_ids(), **args}}


def _markers(tag) -> list[str]:
    return [part.lower() for value in _canary(tag).values() for part in value.split(",")]


def _text(response) -> str:
    body = response.get_data()
    if body[:2] == b"PK":  # xlsx: read the cells
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                         if c is not None)
    return body.decode("utf-8", "replace")


def _urls(app, args, resource_ids):
    urls = []
    for endpoint, url in every_get_url(app, args, SKIP):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and "GET" in r.methods)
        for rid in (resource_ids if "resource_id" in rule.arguments else [None]):
            if rid is not None:
                url = url_of(app, endpoint, {**args, "resource_id": rid}, "GET")
            urls += [url, url + "?q=canary", url + "?q=CanaryAtitle&status=all&page=1"]
    return urls


@pytest.mark.slow
@pytest.mark.parametrize("who", [None, "qingdao@cdou.example"], ids=["anonymous", "unrelated-member"])
def test_the_canary_appears_nowhere(app, browser, sweep, who):
    if who:
        browser.login(who)
    hidden = _markers("B") + (_markers("A") if who is None else [])  # searches echo no "Zq"
    urls = _urls(app, sweep["args"], [sweep["a"].id, sweep["b"].id])
    assert len(urls) > 150
    for url in urls:
        response = browser.get(url)
        assert response.status_code < 500, url
        text = _text(response).lower()
        for canary in hidden:
            assert canary not in text, (url, canary)


def test_the_owner_sees_both_canaries(browser, sweep):
    browser.login("wenzhou@cdou.example")
    for key in ("a", "b"):
        page = _text(browser.get(f"/resources/{sweep[key].id}"))
        for field, value in _canary(key.upper()).items():
            assert value.split(",")[0] in page, (key, field)
    assert "CanaryAtitleZq" in _text(browser.get("/resources/export.csv"))
    assert "CanaryAtitleZq" in _text(browser.get(f"/jobs/{sweep['args']['job_id']}/file"))
    assert "CanaryAtitleZq" in _text(browser.get(f"/scenarios/{sweep['args']['scenario_id']}"))

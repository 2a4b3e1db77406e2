"""The acceptance criterion: a dossier exists only for its current participants and the
secretariat. A unique canary goes into every text field of a dossier; then every GET
route of the application (app.url_map, with real ids) is requested as anonymous, as a
non-participant member, as the lead of an unrelated group and as a withdrawn
participant — the canary is nowhere. The same sweep as a participant finds it where it
belongs, so the test can fail."""
import logging
from datetime import date

import pytest
from sqlalchemy import select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db
from consortium.members.services import get_member_by_code
from consortium.negotiations import services
from consortium.negotiations.models import Amendment
from consortium.notifications.services import list_notifications, unread_count
from tests.route_walk import every_get_url, first_ids

from .conftest import open_sign_on

CANARY = "CANARY-7f3a-金丝雀"

# routes that take a query string worth sweeping too (search, filters, pages of a dossier)
EXTRA_QUERIES = {
    "negotiations.index": ["q=CANARY-7f3a", "status=consultation"],
    "negotiations.detail": ["simulate=split&amount=1000000"],
    "negotiations.diff": ["from=1&to=2"],
    "negotiations_api.index": ["q=CANARY-7f3a", "status=consultation"],
    "negotiations_api.diff": ["from=1&to=2"],
    "catalog.index": ["q=CANARY-7f3a"],
    "catalog_api.index": ["q=CANARY-7f3a"],
    "members.index": ["q=CANARY-7f3a"],
    "audit.index": ["q=CANARY-7f3a"],
    "scenarios.board": [""],
}
# where a participant must find the canary (the proof the sweep can see it)
PARTICIPANT_SEES = {"negotiations.detail", "negotiations.versions", "negotiations.version", "negotiations.diff",
                    "negotiations.paper", "negotiations.outcome", "negotiations.index", "negotiations_api.index",
                    "negotiations_api.detail", "negotiations_api.version", "negotiations_api.diff",
                    "negotiations_api.stances", "negotiations_api.amendments", "negotiations_api.sign_on",
                    "negotiations_api.outcome", "counterparties.detail", "notifications.index"}
SKIP = {"static", "bootstrap.static", "portal.set_language", "openapi.docs_asset"}


def _text_term(label, value):
    return {"key": "canary_text", "label": label, "type": "text", "value": value, "rationale": CANARY + " 理由"}


@pytest.fixture
def canary(demo):
    """温州 coordinates with 青岛 and 宁波 (withdrawn later) on a dossier full of canaries."""
    wz, qd, nb = (get_user_by_email(f"{c}@cdou.example") for c in ("wenzhou", "qingdao", "ningbo"))
    from consortium.counterparties.models import Counterparty
    ant = db.session.scalar(select(Counterparty).where(Counterparty.name == "蚂蚁集团"))
    d = services.create_dossier(wz, title=f"{CANARY} 标题", counterparty=ant, coordinator=wz.member,
                                subject=f"{CANARY} 议题", deadline=date(2030, 1, 1))
    for user in (qd, nb):
        services.invite(wz, d, user.member)
        services.respond(user, d, accept=True, reason=f"{CANARY} 接受")
    split = {"key": "split", "label": f"{CANARY} 分成", "type": "tiered", "rationale": f"{CANARY} 分成理由",
             "value": {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                                 {"upto": None, "supplier": "60", "operator": "40"}]}}
    services.save_position(wz, d, [_text_term(f"{CANARY} 条款", f"{CANARY} 取值"), split], base_version=0,
                           note=f"{CANARY} 版本说明")
    services.transition(wz, d, "consultation", note=f"{CANARY} 状态说明")
    services.record_stance(qd, d, stance="reserve", comment=f"{CANARY} 整体意见")
    services.record_stance(nb, d, term_key="canary_text", stance="oppose", comment=f"{CANARY} 条款意见")
    a = services.propose_amendment(nb, d, term_key="canary_text", value=f"{CANARY} 建议值",
                                   reason=f"{CANARY} 建议理由")
    services.decide_amendment(wz, d, a, accept=True, decision_reason=f"{CANARY} 采纳说明")
    b = services.propose_amendment(qd, d, term_key="canary_text", value="另一个值", reason=f"{CANARY} 第二条理由")
    services.decide_amendment(wz, d, b, accept=False, decision_reason=f"{CANARY} 驳回理由")
    open_sign_on(d, wz, qd, nb)
    services.sign(wz, d, signed=True, comment=f"{CANARY} 联署意见")
    services.sign(qd, d, signed=True)
    services.sign(nb, d, signed=True)
    services.complete_sign_on(wz, d, note=f"{CANARY} 共识说明")
    services.transition(wz, d, "negotiating")
    services.record_outcome(wz, d, results={"canary_text": ("partly", f"{CANARY} 结果")},
                            summary=f"{CANARY} 总结", review_on=date(2026, 1, 1))
    services.notify_due_reviews(date(2026, 1, 2))
    db.session.commit()
    assert list_notifications(nb), "宁波 received notifications about the dossier before it was withdrawn"
    services.withdraw(wz, d, nb.member, reason=f"{CANARY} 移出理由")
    db.session.commit()
    token, _raw = create_api_token(None, get_user_by_email("qingdao@cdou.example"), "sweep")
    from consortium.agreements.models import Agreement
    from consortium.scenarios.models import GroupMembership, Replication, Scenario
    from consortium.catalog.models import DataResource
    from consortium.negotiations.models import PricingModel
    from consortium.counterparties.models import CounterpartyContact
    from consortium.counterparties.services import add_contact
    add_contact(None, ant, name="联系人")
    db.session.commit()
    ids = {
        "dossier_id": d.id, "number": 1, "amendment_id": a.id, "counterparty_id": ant.id,
        "contact_id": db.session.scalar(select(CounterpartyContact.id)),
        "model_id": db.session.scalar(select(PricingModel.id)),
        "code": "wenzhou", "adcode": "330300", "user_id": wz.id, "token_id": token.id, "token": "no-such-preview",
        "resource_id": db.session.scalar(select(DataResource.id).order_by(DataResource.id)),
        "group_code": "transport", "scenario_id": db.session.scalar(select(Scenario.id).order_by(Scenario.id)),
        "replication_id": db.session.scalar(select(Replication.id).order_by(Replication.id)),
        "membership_id": db.session.scalar(select(GroupMembership.id).order_by(GroupMembership.id)),
        "agreement_id": db.session.scalar(select(Agreement.id).order_by(Agreement.id)), "fmt": "csv",
    }
    return d, {**first_ids(), **ids, "name": "none"}


def _urls(app, ids):
    urls = []
    for endpoint, url in every_get_url(app, ids, SKIP):
        urls.append((endpoint, url))
        for query in EXTRA_QUERIES.get(endpoint, []):
            urls.append((endpoint, f"{url}?{query}" if query else url))
        if endpoint in ("members.detail", "members_api.detail"):   # every participant's member page
            for code in ("qingdao", "ningbo"):
                urls.append((endpoint, url.replace("/wenzhou", f"/{code}")))
    return urls


def _contains_canary(body: bytes) -> bool:
    """In the body as sent, and inside zipped formats (xlsx exports) too."""
    if CANARY.encode() in body:
        return True
    if body[:2] == b"PK":
        import io
        import zipfile
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return any(CANARY.encode() in z.read(name) for name in z.namelist())
    return False


def _sweep(app, client, ids):
    found, statuses = set(), {}
    for endpoint, url in _urls(app, ids):
        response = client.get(url)
        assert response.status_code < 500, (endpoint, url)
        statuses[url] = response.status_code
        if _contains_canary(response.data) or CANARY in str(response.headers):
            found.add(endpoint)
    return found, statuses


OUTSIDERS = [(None, "anonymous"), ("shujubao@cdou.example", "non-participant member"),
             ("xiamen@cdou.example", "lead of an unrelated group"), ("ningbo@cdou.example", "withdrawn participant")]


@pytest.mark.slow
@pytest.mark.parametrize("email,who", OUTSIDERS, ids=[w for _e, w in OUTSIDERS])
def test_the_canary_is_nowhere_for_outsiders(app, browser, canary, caplog, email, who):
    d, ids = canary
    caplog.set_level(logging.INFO)
    if email:
        browser.login(email)
    found, statuses = _sweep(app, browser.client, ids)
    assert found == set(), f"{who} sees the dossier on {sorted(found)}"
    dossier_urls = [u for u in statuses if f"/negotiations/{d.id}" in u]
    assert dossier_urls and all(statuses[u] == 404 for u in dossier_urls), \
        {u: statuses[u] for u in dossier_urls if statuses[u] != 404}
    assert all(CANARY not in r.getMessage() for r in caplog.records)
    if email:
        user = get_user_by_email(email)
        assert all(n.target_id != d.id for n in list_notifications(user))
        assert unread_count(user) == len([n for n in list_notifications(user, unread_only=True)])


def test_withdrawn_participant_keeps_nothing_through_the_api(app, client, canary):
    d, _ids = canary
    nb = get_user_by_email("ningbo@cdou.example")
    _token, raw = create_api_token(None, nb, "宁波")
    db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    for url in (f"/api/v1/negotiations/{d.id}", f"/api/v1/negotiations/{d.id}/versions/1",
                f"/api/v1/negotiations/{d.id}/stances", f"/api/v1/negotiations/{d.id}/amendments"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404 and CANARY not in response.get_data(as_text=True)
    listing = client.get("/api/v1/negotiations?per_page=200", headers=headers).get_json()
    assert listing["total"] == len(listing["items"]) and d.id not in {i["id"] for i in listing["items"]}
    # its writes are refused as if the dossier did not exist, and write nothing
    before = db.session.scalar(select(Amendment.id).order_by(Amendment.id.desc()))
    response = client.post(f"/api/v1/negotiations/{d.id}/amendments", headers=headers,
                           json={"term": "canary_text", "value": "x", "reason": "y"})
    assert response.status_code == 404
    assert db.session.scalar(select(Amendment.id).order_by(Amendment.id.desc())) == before


@pytest.mark.slow
@pytest.mark.parametrize("email", ["qingdao@cdou.example", "secretariat@cdou.example"])
def test_the_same_sweep_finds_the_canary_for_a_participant_and_the_secretariat(app, browser, canary, email):
    _d, ids = canary
    browser.login(email)
    found, _statuses = _sweep(app, browser.client, ids)
    expected = PARTICIPANT_SEES - ({"notifications.index"} if email.startswith("secretariat") else set())
    assert expected <= found, sorted(expected - found)
    if email.startswith("secretariat"):
        assert "audit.index" in found       # the secretariat sees the dossier's audit rows
    else:
        assert "audit.index" not in found


def test_member_pages_show_no_dossier_history_even_to_the_secretariat(app, browser, canary):
    """The member page shows the member's own audit rows only; dossier rows stay in /audit/."""
    browser.login("secretariat@cdou.example")
    for code in ("wenzhou", "qingdao", "ningbo"):
        assert get_member_by_code(code) is not None
        assert CANARY not in browser.get(f"/members/{code}").get_data(as_text=True)

"""Finding 16: two people open the same edit form; the second save is refused with
"changed since you opened it" and nothing of it is written — for every form that
edits a row. A form posted without its version is refused, never unchecked."""
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.members.models import Member
from consortium.agreements.models import Agreement
from consortium.scenarios.models import Replication, Scenario, ScenarioGroup

CONFLICT = "自您打开后已被他人修改"


class _Form(HTMLParser):
    """The values a browser would post for the page's main form (the one with a version)."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value", "y" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1].append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data.lstrip("\n") if not value else value + data)


def form_values(html: str) -> dict:
    parser = _Form()
    parser.feed(html)
    form = next(f for f in parser.forms if any(name == "version" for name, _v in f))
    values: dict = {}
    for name, value in form:
        values.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 or k in ("members", "counterparties", "scenarios", "modes", "circulation_modes")
            else v[0] for k, v in values.items()}


def _cases():
    wz = lambda: db.session.scalar(select(DataResource).where(DataResource.member.has(code="wenzhou"))  # noqa: E731
                                   .order_by(DataResource.id).limit(1))
    return {
        "resource": ("wenzhou@cdou.example", lambda: f"/resources/{wz().id}/edit", "description",
                     lambda: wz().description, DataResource),
        "member": ("secretariat@cdou.example", lambda: "/members/wenzhou/edit", "description",
                   lambda: db.session.scalar(select(Member.description).where(Member.code == "wenzhou")), Member),
        "group": ("xiamen@cdou.example", lambda: "/scenarios/groups/transport/edit", "description",
                  lambda: db.session.scalar(select(ScenarioGroup.description).where(ScenarioGroup.code == "transport")),
                  ScenarioGroup),
        "scenario": ("xiamen@cdou.example",
                     lambda: f"/scenarios/{db.session.scalar(select(Scenario.id).where(Scenario.title == '两客一危动态监管'))}/edit",
                     "description",
                     lambda: db.session.scalar(select(Scenario.description).where(Scenario.title == "两客一危动态监管")),
                     Scenario),
        "agreement": ("secretariat@cdou.example",
                      lambda: f"/agreements/{db.session.scalar(select(Agreement.id).order_by(Agreement.id))}/edit",
                      "description",
                      lambda: db.session.scalar(select(Agreement.description).order_by(Agreement.id).limit(1)),
                      Agreement),
    }


@pytest.mark.parametrize("case", ["resource", "member", "group", "scenario", "agreement"])
def test_the_second_of_two_concurrent_edits_is_refused(browser, demo, case):
    user, url_of, field, current, _model = _cases()[case]
    browser.login(user)
    url = url_of()
    first = form_values(browser.get(url).get_data(as_text=True))
    second = dict(first)
    assert first["version"]
    saved = browser.client.post(url, data=dict(first, **{field: "第一次保存的说明"}))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert current() == "第一次保存的说明"
    refused = browser.client.post(url, data=dict(second, **{field: "第二次保存的说明"}))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and CONFLICT in html and "第二次保存的说明" in html  # input kept
    db.session.expire_all()
    assert current() == "第一次保存的说明"
    without = {k: v for k, v in second.items() if k != "version"}
    html = browser.client.post(url, data=dict(without, **{field: "没有版本号"})).get_data(as_text=True)
    assert "表单缺少版本号，请重新加载页面。" in html
    db.session.expire_all()
    assert current() == "第一次保存的说明"


def test_the_api_answers_409_to_a_stale_version(client, demo):
    owner = get_user_by_email("wenzhou@cdou.example")
    _token, raw = create_api_token(None, owner, "同步")
    db.session.commit()
    h = {"Authorization": f"Bearer {raw}"}
    r = db.session.scalar(select(DataResource).where(DataResource.member_id == owner.member_id).order_by(DataResource.id).limit(1))
    read = client.get(f"/api/v1/resources/{r.id}", headers=h).get_json()["version"]
    assert client.patch(f"/api/v1/resources/{r.id}", json={"version": read, "title": "第一次"},
                        headers=h).status_code == 200
    stale = client.patch(f"/api/v1/resources/{r.id}", json={"version": read, "title": "第二次"}, headers=h)
    assert stale.status_code == 409 and stale.get_json()["error"]["field"] == "version"
    db.session.expire_all()
    assert db.session.get(DataResource, r.id).title == "第一次"


def test_a_replication_form_without_version_is_refused(browser, demo):
    rep = db.session.scalar(select(Replication).where(Replication.member.has(code="fuzhou")).order_by(Replication.id).limit(1))
    before = (rep.next_step, rep.version)
    browser.login("secretariat@cdou.example")
    url = f"/scenarios/replications/{rep.id}"
    from tests.conftest import csrf_from
    token = csrf_from(browser.get(url).get_data(as_text=True))
    r = browser.client.post(url + "/edit", data={"csrf_token": token, "owner": "李工", "next_step": "绕过版本检查"})
    assert r.status_code == 400
    db.session.expire_all()
    rep = db.session.get(Replication, rep.id)
    assert (rep.next_step, rep.version) == before

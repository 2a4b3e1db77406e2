"""Issue 22, dashboards: the home page features the dashboard the secretariat chose (publishing
never changes it); two secretariat editors saving the same dashboard, or the same panel's
caption — the second save is refused with "changed since you opened it", keeps what was typed, and
writes nothing; a form without its version is refused."""
import re
from html.parser import HTMLParser

import pytest

from sqlalchemy import select

from consortium.core.exceptions import Conflict, DomainError
from consortium.dashboards import services
from consortium.dashboards.models import Dashboard, DashboardPanel
from consortium.extensions import db
from tests.conftest import Browser

CONFLICT = "自您打开后已被他人修改"


class _Forms(HTMLParser):
    """Every form of a page as a browser would post it (inputs, selected options, textareas)."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag in ("select", "textarea"):
            self._select = self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data.lstrip("\n") if not self.forms[-1][self._textarea] else data


def _form_with(html, field):
    parser = _Forms()
    parser.feed(html)
    return dict(next(f for f in parser.forms if field in f))


@pytest.fixture
def editors(union, make_dashboard, app):
    dashboard = make_dashboard(slug="jiaotong", kinds=("key_figures", "resource_map"))
    first, second = Browser(app.test_client()), Browser(app.test_client())
    for b in (first, second):
        b.login("secretariat@cdou.example")
    return dashboard, first, second


def test_the_second_of_two_dashboard_saves_is_refused_and_keeps_its_input(editors):
    dashboard, first, second = editors
    url = "/dashboards/jiaotong/edit"
    mine = _form_with(first.get(url).get_data(as_text=True), "version")
    theirs = _form_with(second.get(url).get_data(as_text=True), "version")
    assert mine["version"] == theirs["version"] == "1"
    assert first.client.post(url, data=dict(mine, intro="交通看板（第一位编辑）")).status_code == 302
    refused = second.client.post(url, data=dict(theirs, intro="交通看板（第二位编辑）"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and CONFLICT in html and "交通看板（第二位编辑）" in html   # kept, said
    db.session.expire_all()
    assert db.session.get(Dashboard, dashboard.id).intro == "交通看板（第一位编辑）"            # not written
    without = {k: v for k, v in theirs.items() if k != "version"}
    second.client.post(url, data=dict(without, intro="没有版本号"))
    db.session.expire_all()
    assert db.session.get(Dashboard, dashboard.id).intro == "交通看板（第一位编辑）"
    # reloaded, the second editor saves on the current version
    fresh = _form_with(second.get(url).get_data(as_text=True), "version")
    assert second.client.post(url, data=dict(fresh, intro="交通看板（合并后）")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Dashboard, dashboard.id).intro == "交通看板（合并后）"


def test_the_second_of_two_caption_saves_is_refused(editors):
    dashboard, first, second = editors
    panel = dashboard.panels[1]
    key = f"p{panel.id}-version"
    url = f"/dashboards/jiaotong/panels/{panel.id}"
    mine = _form_with(first.get("/dashboards/jiaotong/edit").get_data(as_text=True), key)
    theirs = _form_with(second.get("/dashboards/jiaotong/edit").get_data(as_text=True), key)
    assert first.client.post(url, data=dict(mine, **{f"p{panel.id}-caption": "公交数据覆盖"})).status_code == 302
    refused = second.client.post(url, data=dict(theirs, **{f"p{panel.id}-caption": "地铁数据覆盖"}))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and CONFLICT in html and "地铁数据覆盖" in html
    db.session.expire_all()
    assert db.session.get(DashboardPanel, panel.id).caption == "公交数据覆盖"


def test_the_services_check_the_version(union, make_dashboard):
    dashboard = make_dashboard(slug="jiaotong")
    services.update_dashboard(union.secretariat, dashboard, version=1, slug="jiaotong", title="交通", audience="public")
    db.session.commit()
    with pytest.raises(Conflict):
        services.update_dashboard(union.secretariat, dashboard, version=1, slug="jiaotong", title="交通二",
                                  audience="public")
    with pytest.raises(Conflict):
        services.configure_panel(union.secretariat, dashboard.panels[0], caption="说明",
                                 version=dashboard.panels[0].version + 1)


def _featured(browser) -> str:
    home = browser.get("/").get_data(as_text=True)
    return re.search(r'<section class="card p-3 mb-4 featured-dashboard".*?</section>', home, re.S).group(0)


def test_publishing_never_changes_the_featured_dashboard_silently(union, make_dashboard, browser, app):
    """The issue's case: publishing a topical dashboard replaced the quarterly one on the home page."""
    topical = make_dashboard(slug="jiaotong", title="交通专题看板")
    services.publish(union.secretariat, topical)
    db.session.commit()
    assert "季度看板" in _featured(browser) and "交通专题看板" not in _featured(browser)
    editor = Browser(app.test_client())
    editor.login("secretariat@cdou.example")
    compose = editor.get("/dashboards/jiaotong/edit").get_data(as_text=True)
    assert "首页当前展示" in compose and 'id="feature-button"' in compose
    editor.post_form("/dashboards/jiaotong/feature", {}, form_url="/dashboards/jiaotong/edit")
    assert "交通专题看板" in _featured(browser) and "季度看板" not in _featured(browser)
    assert [d.slug for d in db.session.scalars(select(Dashboard).where(Dashboard.is_featured.is_(True)))] == ["jiaotong"]
    # a dashboard with no public version cannot be featured: refused, the choice unchanged
    inner = make_dashboard(slug="neibu", title="内部看板", audience="members")
    services.publish(union.secretariat, inner)
    db.session.commit()
    with pytest.raises(DomainError):
        services.feature(union.secretariat, inner)
    reply = editor.post_form("/dashboards/neibu/feature", {}, form_url="/dashboards/neibu/edit", follow_redirects=True)
    assert "公开版本" in reply.get_data(as_text=True)
    db.session.expire_all()
    assert services.featured_dashboard().slug == "jiaotong"
    editor.post_form("/dashboards/jiaotong/feature", {"remove": "1"}, form_url="/dashboards/jiaotong/edit")
    assert 'featured-dashboard' not in browser.get("/").get_data(as_text=True)


def test_key_figures_narrow_to_a_group_and_a_domain(union, make_dashboard):
    """The issue's case: a 交通 dashboard showed union-wide figures."""
    from consortium.catalog.models import DataResource
    from consortium.scenarios.models import GroupMembership, Replication, Scenario, ScenarioGroup
    group = db.session.scalar(select(ScenarioGroup).order_by(ScenarioGroup.id).limit(1))
    ids = {group.lead_member_id, *db.session.scalars(select(GroupMembership.member_id).where(
        GroupMembership.group_id == group.id, GroupMembership.status == "approved"))}
    whole = make_dashboard(slug="quanbu")
    narrow = make_dashboard(slug="jiaotong", kinds=(("key_figures", {"group": group.code, "domain": "transport"}),))
    everything = services.collect_panels(whole)[1]
    figures = services.collect_panels(narrow)[1]
    public = db.session.scalars(select(DataResource).where(DataResource.is_public.is_(True),
                                                           DataResource.status == "active")).all()
    assert figures["entries"] == len([r for r in public if r.member_id in ids and r.domain == "transport"])
    holders = {r.member_id for r in public if r.member_id in ids and r.domain == "transport"}
    assert figures["members"] == len(holders) < everything["members"]  # the group's members holding 交通 data
    live = db.session.scalars(select(Replication).join(Scenario).where(Scenario.group_id == group.id,
                                                                       Replication.stage == "live")).all()
    assert figures["live"] == len(live) and figures["entries"] < everything["entries"]
    with pytest.raises(DomainError):
        services.configure_panel(union.secretariat, narrow.panels[0], filters={"group": "nonexistent"})

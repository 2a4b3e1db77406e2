"""The plug-in mechanism (core.signals): a domain contributes by connecting a receiver; what it
returns reaches the page in its order, equal orders keep the order of connection, a second
``create_app`` connects nothing twice, and a declaration connected later is seen at once."""
from blinker import Namespace
from flask_login import AnonymousUserMixin

from consortium import create_app
from consortium.audit import signals as audit_signals
from consortium.catalog import signals as catalog_signals
from consortium.config import TestConfig
from consortium.core import signals
from consortium.counterparties import signals as counterparty_signals
from consortium.members import signals as member_signals
from consortium.notifications import registry as kinds
from consortium.notifications import signals as notification_signals
from consortium.scenarios import signals as scenario_signals

EVERY_SIGNAL = (signals.nav, signals.demo_seeders, signals.home_sections, signals.workspace_sections,
                signals.page_sections, signals.digest_sections, signals.profile_facts, signals.health_checks,
                audit_signals.model_labels,
                notification_signals.kinds, notification_signals.targets, catalog_signals.extra_filters,
                catalog_signals.delivery_spaces, catalog_signals.facet_panels, catalog_signals.entry_sections,
                catalog_signals.value_links, catalog_signals.needed_by, catalog_signals.dcat_records,
                counterparty_signals.page_panels, member_signals.name_refused, scenario_signals.stage_changing)


def _cities_entry(sender, **kwargs):
    return signals.NavEntry("portal.cities", "城市测试入口", order=15, element_id="nav-test-entry")


def test_a_receiver_connected_by_a_domain_adds_its_nav_entry_in_its_order(client):
    with signals.nav.connected_to(_cities_entry):
        html = client.get("/").get_data(as_text=True)
        shown = [e.element_id or e.endpoint for e in signals.nav_entries(AnonymousUserMixin())]
    assert 'id="nav-test-entry"' in html and "城市测试入口" in html
    # order 15: after the members' entry (10), before the cities' own (20)
    assert shown.index("members.index") < shown.index("nav-test-entry") < shown.index("portal.cities")
    assert "城市测试入口" not in client.get("/").get_data(as_text=True)   # disconnected: gone


def test_nav_entries_follow_their_order_and_the_connection_order_on_a_tie(app):
    entries = [(e.endpoint, e.order) for e in signals.nav_entries(AnonymousUserMixin())]
    assert entries == sorted(entries, key=lambda e: e[1])
    # registers and negotiations both say 50: registers connected first (consortium.DOMAINS)
    every = [e.endpoint for e in signals.declarations(signals.nav, signals.by_order)]
    assert every.index("registers.index") < every.index("negotiations.index")


def _first(sender, **kwargs):
    return ["第一", "第二"]


def _second(sender, **kwargs):
    return "第三"


def _nothing(sender, **kwargs):
    return None


def test_values_come_in_connection_order_whatever_the_receivers_ids():
    for order in ((_first, _nothing, _second), (_second, _nothing, _first)):
        signal = Namespace().signal("test")
        for receiver in order:
            signal.connect(receiver)
        expected = [v for r in order for v in {_first: ["第一", "第二"], _second: ["第三"], _nothing: []}[r]]
        assert signals.values_from(signal) == expected


def test_a_second_app_connects_nothing_twice(app):
    before = {signal.name: len(signal.receivers) for signal in EVERY_SIGNAL}
    nav = [(e.endpoint, e.menu) for e in signals.declarations(signals.nav, signals.by_order)]
    create_app(TestConfig)
    assert {signal.name: len(signal.receivers) for signal in EVERY_SIGNAL} == before
    assert [(e.endpoint, e.menu) for e in signals.declarations(signals.nav, signals.by_order)] == nav
    assert len(nav) == len(set(nav))   # no entry twice
    assert len(signals.workspace_section_list()) == len({s.key for s in signals.workspace_section_list()})


def _test_kind(sender, **kwargs):
    return kinds.Kind("test.kind", label="测试通知", action=None, message=lambda n: "测试")


def test_a_declaration_connected_later_is_seen_at_once_and_gone_when_disconnected(app):
    assert kinds.get_kind("test.kind") is None
    with notification_signals.kinds.connected_to(_test_kind):
        assert kinds.get_kind("test.kind").label == "测试通知"
        assert kinds.get_kind("scenarios.invitation") is not None   # the domains' own kinds stay
    assert kinds.get_kind("test.kind") is None

"""Fixtures of the dashboards tests: the demo union, plus a canary — a member in
拉萨 (no other member there) with one NON-public entry whose title is unique."""
from types import SimpleNamespace

import pytest

from consortium.auth.services import get_user_by_email
from consortium.catalog import services as catalog_services
from consortium.extensions import db

CANARY = "金丝雀CANARY9f2c内部数据"


@pytest.fixture(autouse=True)
def _fresh_version_states():
    """Every test starts from fresh tables: no version state kept from the previous one."""
    from consortium.dashboards.services import forget_version_states
    forget_version_states()
    yield
    forget_version_states()


@pytest.fixture
def union(demo, make_member):
    lhasa = make_member("拉萨数据集团", city="拉萨", code="lhasa", name_en="Lhasa Data Group")
    canary = catalog_services.create_resource(
        None, lhasa, code="LS-001", title=CANARY, description="仅成员可见", keywords="", domain="energy",
        department="市能源局", frequency="daily", openness="closed", circulation_modes=["in_domain"], is_public=False)
    db.session.commit()
    return SimpleNamespace(lhasa=lhasa, canary=canary,
                           secretariat=get_user_by_email("secretariat@cdou.example"),
                           member=get_user_by_email("qingdao@cdou.example"))


@pytest.fixture
def make_dashboard():
    from consortium.dashboards import services

    def make(slug="test-board", audience="public", kinds=("key_figures",), actor=None, **fields):
        dashboard = services.create_dashboard(actor, slug=slug, title=fields.pop("title", "测试看板"),
                                              title_en=fields.pop("title_en", "Test board"), audience=audience,
                                              **fields)
        for kind in kinds:
            kind, filters = (kind, {}) if isinstance(kind, str) else kind
            services.add_panel(actor, dashboard, kind, filters=filters)
        db.session.commit()
        return dashboard
    return make

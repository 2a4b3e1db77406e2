"""A small union for the scenarios tests: a transport group led by 厦门,
two more city members, a data merchant, their users and one seed scenario."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from consortium.core.clock import local_today
from consortium.extensions import db
from consortium.scenarios import services
from tests.factories import create_resource


@pytest.fixture
def world(make_member, make_user):
    xiamen = make_member("厦门大数据有限公司", city="厦门", code="xiamen")
    fuzhou = make_member("福州数据集团", city="福州", code="fuzhou")
    chengdu = make_member("成都数据集团", city="成都", code="chengdu")
    merchant = make_member("贵州数据宝网络科技有限公司", city="贵阳", kind="data_merchant", code="shujubao")
    users = SimpleNamespace(
        secretariat=make_user("sec@cdou.example", role="secretariat", name="秘书处"),
        lead=make_user("lead@xiamen.example", member=xiamen, name="厦门牵头人"),
        fuzhou=make_user("user@fuzhou.example", member=fuzhou, name="福州用户"),
        chengdu=make_user("user@chengdu.example", member=chengdu, name="成都用户"),
        merchant=make_user("user@shujubao.example", member=merchant, name="数据宝用户"),
    )
    group = services.create_group(users.secretariat, code="transport", name="交通场景小组", lead_member=xiamen,
                                  description="交通领域垂直场景联合攻坚小组", target_count=3,
                                  target_date=date(2026, 12, 31))
    scenario = services.create_scenario(
        users.lead, group, title="公交信息智能服务", description="实时到站与客流分析", origin_member=xiamen,
        needs=services.parse_needs("公交实时位置数据 | 交通 | 实时位置\n线路站点数据 | 交通 | 线路"),
        modes=["in_domain", "privacy"], maturity="proven", links="https://example.org/bus")
    db.session.commit()
    return SimpleNamespace(xiamen=xiamen, fuzhou=fuzhou, chengdu=chengdu, merchant=merchant, users=users,
                           group=group, scenario=scenario)


@pytest.fixture
def make_resource():
    def make(member, title, domain="transport", modes=("in_domain",), **fields):
        return create_resource(member, title, domain=domain, circulation_modes=list(modes), **fields)
    return make


def days_ago(n: int) -> date:
    return local_today() - timedelta(days=n)


def approve(world, *members):
    """Make members approved members of the world's group (they may then record replications)."""
    from consortium.scenarios.models import GroupMembership
    for member in members:
        db.session.add(GroupMembership(group=world.group, member=member, status="approved"))
    db.session.commit()

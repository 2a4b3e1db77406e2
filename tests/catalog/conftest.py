"""Fixtures of the resource-map tests: two members, their users, a few entries."""
import pytest

from consortium.auth.services import create_api_token
from consortium.catalog import services
from consortium.extensions import db


def entry(code, title, **kw):
    data = dict(code=code, title=title, description="", keywords="", domain="health", department="市卫健委",
                frequency="daily", openness="conditional", circulation_modes=["in_domain"], is_public=False)
    data.update(kw)
    return data


@pytest.fixture
def catalog(make_member, make_user):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    xm = make_member(name="厦门大数据有限公司", city="厦门", code="xiamen")
    users = {"qd": make_user("qd@cdou.example", member=qd), "xm": make_user("xm@cdou.example", member=xm),
             "sec": make_user("sec@cdou.example", role="secretariat")}
    r = {
        "yb": services.create_resource(None, qd, **entry("QD-001", "参保人员医保结算数据", keywords="医保,结算",
                                                         is_public=True, circulation_modes=["privacy"])),
        "bus": services.create_resource(None, xm, **entry("XM-001", "公交车辆实时定位", domain="transport",
                                                          department="市交通运输局", keywords="公交,GPS",
                                                          frequency="realtime", is_public=True)),
        "secret": services.create_resource(None, qd, **entry("QD-002", "医保基金内部稽核明细",
                                                             description="仅成员可见的医保数据")),
        "credit": services.create_resource(None, xm, **entry("XM-002", "企业信用评价", domain="finance",
                                                             department="市发改委", openness="authorised")),
    }
    db.session.commit()
    token = create_api_token(None, users["qd"], "test")[1]
    db.session.commit()
    return {"qd": qd, "xm": xm, "users": users, "r": r, "token": token}

"""Fixtures of the resource-map tests: members, their users, a few entries public and not."""
from datetime import date

import pytest

from consortium.auth.services import create_api_token
from consortium.catalog import services
from consortium.extensions import db


from tests.factories import ResourceFields


def entry(code, title, **kw):
    return ResourceFields(code=code, title=title, **kw)


def described(code, title, **kw):
    """An entry whose description repeats its title (the import/export and DCAT data)."""
    return entry(code, title, **{"description": title + "的详细说明", **kw})


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


@pytest.fixture
def io_catalog(make_member, make_user):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    xm = make_member(name="厦门大数据有限公司", city="厦门", code="xiamen")
    nb = make_member(name="宁波数字产业集团", city="宁波", code="ningbo")
    users = {"qd": make_user("qd@cdou.example", member=qd), "xm": make_user("xm@cdou.example", member=xm),
             "sec": make_user("sec@cdou.example", role="secretariat")}
    mk = services.create_resource
    r = {
        "yb": mk(None, qd, **described("QD-001", "参保人员医保结算数据", keywords="医保,结算", is_public=True,
                                   circulation_modes=["privacy", "in_domain"], formats="CSV,XLSX", has_api=True,
                                   contact_name="王工", contact_email="data@qd.example", record_count=1200000,
                                   size_mb=512.5, temporal_start=date(2020, 1, 1), temporal_end=date(2025, 6, 30),
                                   spatial_coverage="青岛市全域", registration_no="QD-DJ-2025-001",
                                   data_updated_on=date(2025, 7, 1))),
        "evil": mk(None, qd, **described("QD-003", "=HYPERLINK(\"http://evil.example\",\"点我\")", domain="transport",
                                     keywords="公交", description="+cmd|' /C calc'!A0", department="@SUM(1+1)",
                                     is_public=True, frequency="monthly")),
        "bus": mk(None, xm, **described("XM-001", "公交车辆实时定位", domain="transport", department="市交通运输局",
                                    keywords="公交,GPS", frequency="realtime", is_public=True, formats="JSON",
                                    circulation_modes=["central"])),
        "secret": mk(None, qd, **described("QD-002", "医保基金内部稽核明细", description="仅成员可见的医保数据")),
        "credit": mk(None, xm, **described("XM-002", "企业信用评价", domain="finance", department="市发改委",
                                       openness="authorised", circulation_modes=["privacy"])),
        "nb_health": mk(None, nb, **described("NB-001", "医检互认检验报告", domain="health", is_public=False,
                                          circulation_modes=["privacy"])),
    }
    db.session.commit()
    return {"qd": qd, "xm": xm, "nb": nb, "users": users, "r": r}

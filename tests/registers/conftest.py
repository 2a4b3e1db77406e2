"""A small registers world: 青岛, 湖州 and 潍坊 bodies (operated by their data groups),
one user per member, a secretariat user, and certificates of 青岛."""
from datetime import date
from types import SimpleNamespace

import pytest
from stdnum.cn import uscc

from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.registers import services

QINGDAO_CODE = "91370200MA3C5L1Y4" + uscc.calc_check_digit("91370200MA3C5L1Y4")


def valid_uscc(base17="91370212MA3P8K2X0"):
    return base17 + uscc.calc_check_digit(base17)


@pytest.fixture
def world(make_member, make_user):
    qingdao = make_member("青岛数据集团", "青岛", code="qingdao")
    huzhou = make_member("湖州数据集团", "湖州", code="huzhou")
    weifang = make_member("潍坊数据集团", "潍坊", code="weifang")
    users = SimpleNamespace(qingdao=make_user("qd@example.cn", qingdao), huzhou=make_user("hz@example.cn", huzhou),
                            weifang=make_user("wf@example.cn", weifang),
                            secretariat=make_user("sec@example.cn", role="secretariat"))
    bodies = SimpleNamespace(
        qingdao=services.create_body(None, code="qd", name="青岛市数据资产登记中心", city=find_city("青岛"), member=qingdao),
        huzhou=services.create_body(None, code="hz", name="湖州市数据资产登记中心", city=find_city("湖州"), member=huzhou),
        weifang=services.create_body(None, code="wf", name="潍坊市数据资产登记中心", city=find_city("潍坊"), member=weifang))
    cert = services.create_certificate(None, bodies.qingdao, number="QD-001", holder_name="青岛海洋科技有限公司",
                                       holder_uscc=QINGDAO_CODE, product_name="近海水文数据",
                                       issued_on=date(2025, 1, 10), valid_until=date(2027, 1, 9))
    db.session.commit()
    return SimpleNamespace(members=SimpleNamespace(qingdao=qingdao, huzhou=huzhou, weifang=weifang), users=users,
                           bodies=bodies, cert=cert)

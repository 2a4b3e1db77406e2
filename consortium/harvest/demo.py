"""Demo harvest sources: 厦门's DCAT catalogue, approved (run by hand only: its example address
answers nothing), and 青岛's CKAN site, waiting for the secretariat."""
from sqlalchemy import func, select

from consortium.audit.services import set_actor
from consortium.extensions import db

from .constants import APPROVED, PROPOSED
from .models import HarvestSource

DEMO = (("xiamen", "dcat", "厦门市公共数据开放平台（DCAT-AP）", "https://data.xiamen.example.cn/catalog.ttl", APPROVED,
         "地址与目录格式已核实。"),
        ("qingdao", "ckan", "青岛公共数据开放网（CKAN）", "https://data.qingdao.example.cn/", PROPOSED, ""))


def seed(members_by_code: dict) -> int:
    if db.session.scalar(select(func.count(HarvestSource.id))):
        return 0
    set_actor(None)
    created = 0
    for code, kind, name, url, state, comment in DEMO:
        member = members_by_code.get(code)
        if member is None:
            continue
        db.session.add(HarvestSource(member_id=member.id, kind=kind, name=name, url=url, schedule="manual",
                                     state=state, decision_comment=comment, vocabulary_maps={}, archive_after=2,
                                     make_public=False))
        created += 1
    db.session.flush()
    return created

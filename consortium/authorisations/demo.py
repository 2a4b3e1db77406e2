"""Illustrative authorisation applications (labelled 示例): 杭州 and 温州 apply
一场景一申请一审批, as the source says; the applications themselves are made up."""
from datetime import timedelta

from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.audit.services import set_actor
from consortium.extensions import db
from consortium.scenarios.models import Scenario
from consortium.scenarios.services import replication_of

from .models import AuthorisationApplication

ILLUSTRATIVE = "（示例数据 / illustrative demo entry）"

# Illustrative authorisation applications (一场景一申请一审批):
# (scenario, member, authority, status, submitted days ago, decided days ago, reference, resources)
AUTHORISATIONS = [
    ("交通出行“一码通城”", "hangzhou", "杭州市数据资源管理局", "submitted", 85, None, "",
     "公交地铁乘车码刷码记录（脱敏汇总）\n实名认证核验接口"),
    ("医保结算", "wenzhou", "温州市大数据发展管理局", "approved", 150, 110, "温数授〔2025〕示例-001",
     "参保人员医保结算明细（隐私计算环境内使用）"),
]


def seed(members_by_code: dict) -> int:
    """Idempotent: nothing once any application exists."""
    if db.session.scalar(select(AuthorisationApplication.id).limit(1)) is not None:
        return 0
    set_actor(None)
    today = local_today()
    created = 0
    for title, member, authority, status, submitted, decided, reference, resources in AUTHORISATIONS:
        scenario = db.session.scalar(select(Scenario).where(Scenario.title == title))
        rep = replication_of(scenario, members_by_code[member]) if scenario and member in members_by_code else None
        if rep is None:
            continue
        db.session.add(AuthorisationApplication(
            replication=rep, resources=resources, scope="在场景约定的范围内使用。" + ILLUSTRATIVE, authority=authority,
            reference_no=reference, status=status, submitted_on=today - timedelta(days=submitted),
            decided_on=today - timedelta(days=decided) if decided else None,
            decision_note="限定在隐私计算环境内使用。" + ILLUSTRATIVE if status == "approved" else ""))
        created += 1
    db.session.flush()
    return created

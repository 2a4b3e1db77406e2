"""Demo data of the agreements domain: the three agreements the 2025 report names,
recorded by the system (so every party counts as having confirmed)."""
from datetime import date

from sqlalchemy import select

from consortium.extensions import db
from consortium.counterparties.models import Counterparty
from consortium.scenarios.services import list_scenarios

from . import services
from .models import Agreement

# subject, date, status, member codes, counterparty names, scenario titles, description
AGREEMENTS = [
    ("信贷数据宝合作", date(2025, 9, 1), "signed", ["qingdao", "wenzhou"], [], ["信贷数据宝"],
     "青岛数据集团与温州大数据就信贷数据宝签约合作，推动该场景在温州复制。"),
    ("数据要素合作", date(2025, 9, 1), "signed", ["chaozhou", "sz-casit"], [], [],
     "潮州市数字集团与苏州中科先进技术研究院签约合作。"),
    ("三方战略合作", date(2025, 9, 1), "signed", ["qingdao", "zhongmiao"], ["蚂蚁集团"], ["信贷数据宝"],
     "青岛数据集团、蚂蚁集团、众淼控股(青岛)三方签约合作。"),
]


def seed(members_by_code: dict) -> int:
    """Idempotent: does nothing once an agreement exists. Returns rows created."""
    if db.session.scalar(select(Agreement.id).limit(1)) is not None:
        return 0
    counterparties = {c.name: c for c in db.session.scalars(select(Counterparty))}
    scenarios = {s.title: s for s in db.session.scalars(list_scenarios())}
    created = 0
    for subject, signed_on, status, members, cps, titles, desc in AGREEMENTS:
        if not all(m in members_by_code for m in members):
            continue
        services.record_agreement(
            None, subject=subject, signed_on=signed_on, status=status, description=desc,
            members=[members_by_code[m] for m in members],
            counterparties=[counterparties[c] for c in cps if c in counterparties],
            scenarios=[scenarios[t] for t in titles if t in scenarios], is_public=True)
        created += 1
    db.session.flush()
    return created

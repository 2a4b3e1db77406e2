from consortium.extensions import db

from . import services


def seed(members_by_code) -> int:
    if "蚂蚁集团" in {c.name for c in services.list_counterparties()}:
        return 0
    services.add_counterparty(None, name="蚂蚁集团", name_en="Ant Group", kind="platform",
                              description="互联网平台公司；联合谈判的对手方，不是成员。")
    db.session.flush()
    return 1

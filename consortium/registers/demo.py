"""Demo registers. From the source: 青岛数据集团 recognises data-asset registrations with
11 cities, of which it names 湖州, 潍坊, 东营 and 巴州; the national plan expects 100+
trusted data spaces by 2028; 青岛 runs a marine trusted data space (海洋可信数据空间).
Everything else — the other seven cities, body names, agreement dates and document
numbers, certificates, the other spaces — is illustrative and labelled 示例."""
from datetime import date

from sqlalchemy import func, select
from stdnum.cn import uscc

from consortium.audit.services import set_actor
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.geo.services import find_city

from . import services
from .models import DataSpace, DataSpaceResource, Recognition, RegistrationBody

EXAMPLE = "（示例）"

# code, name, name_en, city, operating member code, illustrative?
BODIES = [
    ("qingdao", "青岛市数据资产登记中心", "Qingdao Data Asset Registration Centre", "青岛", "qingdao", False),
    ("huzhou", "湖州市数据资产登记中心", "Huzhou Data Asset Registration Centre", "湖州", "huzhou", False),
    ("weifang", "潍坊市数据资产登记中心", "Weifang Data Asset Registration Centre", "潍坊", "weifang", False),
    ("dongying", "东营市数据资产登记中心", "Dongying Data Asset Registration Centre", "东营", "dongying", False),
    ("bazhou", "巴州数据资产登记中心", "Bayingolin Data Asset Registration Centre", "巴音郭楞蒙古自治州",
     "bazhou", False),
    ("yantai", "烟台市数据资产登记中心" + EXAMPLE, "Yantai Data Asset Registration Centre (example)", "烟台", None, True),
    ("weihai", "威海市数据资产登记中心" + EXAMPLE, "Weihai Data Asset Registration Centre (example)", "威海", None, True),
    ("rizhao", "日照市数据资产登记中心" + EXAMPLE, "Rizhao Data Asset Registration Centre (example)", "日照", None, True),
    ("zibo", "淄博市数据资产登记中心" + EXAMPLE, "Zibo Data Asset Registration Centre (example)", "淄博", None, True),
    ("jining", "济宁市数据资产登记中心" + EXAMPLE, "Jining Data Asset Registration Centre (example)", "济宁", None, True),
    ("wenzhou", "温州市数据资产登记中心" + EXAMPLE, "Wenzhou Data Asset Registration Centre (example)", "温州",
     "wenzhou", True),
    ("fuzhou", "福州市数据资产登记中心" + EXAMPLE, "Fuzhou Data Asset Registration Centre (example)", "福州",
     "fuzhou", True),
]

# recognising, issuing, mutual, effective from, document number
AGREEMENTS = [
    ("qingdao", "huzhou", True, date(2025, 3, 18)),
    ("qingdao", "weifang", True, date(2025, 4, 10)),
    ("qingdao", "dongying", True, date(2025, 4, 10)),
    ("qingdao", "bazhou", True, date(2025, 5, 20)),
    ("qingdao", "yantai", True, date(2025, 6, 6)),
    ("qingdao", "weihai", True, date(2025, 6, 6)),
    ("qingdao", "rizhao", False, date(2025, 7, 1)),   # one way: 青岛 accepts 日照's certificates
    ("qingdao", "zibo", True, date(2025, 8, 15)),
    ("qingdao", "jining", True, date(2025, 8, 15)),
    ("qingdao", "wenzhou", True, date(2025, 9, 9)),
    ("qingdao", "fuzhou", True, date(2025, 10, 28)),
    ("huzhou", "wenzhou", True, date(2025, 11, 3)),
]


def _code(base17: str) -> str:
    return base17 + uscc.calc_check_digit(base17)


# body, number, holder, USCC (first 17 characters), product, issued, valid until, status, changed on, reason
CERTIFICATES = [
    ("qingdao", "QDDJ2025000123", "青岛示例金融科技有限公司" + EXAMPLE, "91370200MA3C5L1Y4", "信贷数据宝企业信用画像",
     date(2025, 5, 12), date(2028, 5, 11), "valid", None, ""),
    ("qingdao", "QDDJ2025000156", "青岛示例海洋科技有限公司" + EXAMPLE, "91370212MA3P8K2X0", "近海水文气象数据产品",
     date(2025, 6, 30), date(2028, 6, 29), "valid", None, ""),
    ("qingdao", "QDDJ2025000201", "青岛示例港航物流有限公司" + EXAMPLE, "91370220MA3R1N6T5", "港口集装箱动态数据集",
     date(2025, 8, 8), date(2026, 8, 7), "valid", None, ""),
    ("qingdao", "QDDJ2025000233", "青岛示例医疗信息有限公司" + EXAMPLE, "91370203MA3T9W4B2", "区域医学影像数据集",
     date(2025, 9, 1), date(2028, 8, 31), "revoked", date(2026, 2, 10), "登记材料不实（示例）"),
    ("huzhou", "HZDJ-2025-0042", "湖州示例绿色能源有限公司" + EXAMPLE, "91330500MA2B7C3D1", "工业园区能耗数据产品",
     date(2025, 7, 15), date(2028, 7, 14), "valid", None, ""),
    ("weifang", "WFDJ2025-0007", "潍坊示例农业科技有限公司" + EXAMPLE, "91370700MA3M2H8J6", "蔬菜产销数据产品",
     date(2025, 8, 20), None, "valid", None, ""),
    ("rizhao", "RZDJ-2025-011", "日照示例港口数据有限公司" + EXAMPLE, "91371100MA3Q4F7K3", "港口吞吐量数据集",
     date(2025, 9, 12), date(2027, 9, 11), "valid", None, ""),
]

# name, name_en, kind, operator, city, domains, modes, status, launched on, description, illustrative?
SPACES = [
    ("海洋可信数据空间", "Marine trusted data space", "industry", "qingdao", "青岛",
     ["environment", "agriculture", "transport", "science"], ["in_domain", "privacy"], "running", date(2025, 6, 8),
     "青岛数据集团建设的海洋领域可信数据空间（名称据来源报告；功能与日期为示例）。", False),
    ("青岛城市可信数据空间" + EXAMPLE, "Qingdao city trusted data space (example)", "city", "qingdao", "青岛",
     ["government", "finance", "transport"], ["in_domain", "privacy", "central"], "building", None, "", True),
    ("温州城市可信数据空间" + EXAMPLE, "Wenzhou city trusted data space (example)", "city", "wenzhou", "温州",
     ["finance", "market"], ["privacy"], "running", date(2025, 10, 20), "", True),
    ("医疗健康行业可信数据空间" + EXAMPLE, "Health-care trusted data space (example)", "industry", "ningbo", "宁波",
     ["health"], ["in_domain", "privacy"], "building", None, "", True),
    ("交通出行可信数据空间" + EXAMPLE, "Transport trusted data space (example)", "industry", "xiamen", "厦门",
     ["transport"], ["in_domain", "demand_side"], "planned", None, "", True),
    ("数商企业可信数据空间" + EXAMPLE, "Data-merchant enterprise trusted data space (example)", "enterprise",
     "shujubao", "贵阳", ["finance", "market"], ["demand_side"], "planned", None, "", True),
]


def seed(members_by_code: dict) -> int:
    """Idempotent: nothing when registration bodies exist."""
    if db.session.scalar(select(func.count(RegistrationBody.id))):
        return 0
    set_actor(None)
    created = 0
    bodies = {}
    for code, name, name_en, city, member, example in BODIES:
        bodies[code] = services.create_body(None, code=f"{code}-dar", name=name, name_en=name_en,
                                            city=find_city(city), member=members_by_code.get(member),
                                            is_example=example)
        created += 1
    for n, (a, b, mutual, start) in enumerate(AGREEMENTS, start=1):
        services.create_recognition(None, recognising_body=bodies[a], issuing_body=bodies[b], mutual=mutual,
                                    effective_from=start, document_ref=f"数据资产登记互认协议〔2025〕{n}号{EXAMPLE}")
        created += 1
    weihai = db.session.scalar(select(Recognition).where(Recognition.issuing_body_id == bodies["weihai"].id))
    services.suspend_recognition(None, weihai, on=date(2025, 9, 1), reason="登记规则修订中" + EXAMPLE)
    services.resume_recognition(None, weihai, on=date(2025, 10, 15), reason="新规则已对齐" + EXAMPLE)
    jining = db.session.scalar(select(Recognition).where(Recognition.issuing_body_id == bodies["jining"].id))
    services.revoke_recognition(None, jining, on=date(2026, 3, 1), reason="登记机构整合" + EXAMPLE)
    for body, number, holder, base, product, issued, until, status, changed, reason in CERTIFICATES:
        services.create_certificate(None, bodies[body], number=number, holder_name=holder, holder_uscc=_code(base),
                                    product_name=product, issued_on=issued, valid_until=until, status=status,
                                    status_changed_on=changed, status_reason=reason)
        created += 1
    for name, name_en, kind, operator, city, domains, modes, status, launched, desc, example in SPACES:
        services.create_space(None, name=name, name_en=name_en, kind=kind, operator=members_by_code.get(operator),
                              city=find_city(city), domains=domains, circulation_modes=modes, status=status,
                              launched_on=launched, description=desc, is_example=example)
        created += 1
    created += _link_marine_resources(members_by_code)
    db.session.flush()
    return created


def _link_marine_resources(members_by_code) -> int:
    qingdao = members_by_code.get("qingdao")
    marine = db.session.scalar(select(DataSpace).where(DataSpace.name == "海洋可信数据空间"))
    if qingdao is None or marine is None:
        return 0
    ids = db.session.scalars(select(DataResource.id).where(  # its marine data, nothing else
        DataResource.member_id == qingdao.id, DataResource.keywords.contains("海洋"))
        .order_by(DataResource.id).limit(6)).all()
    for resource_id in ids:
        db.session.add(DataSpaceResource(space_id=marine.id, resource_id=resource_id))
    return len(ids)



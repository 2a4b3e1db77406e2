"""Demo data: the union as the 2025 source report describes it, plus clearly
labelled illustrative members (their descriptions say 示例 / illustrative)."""
from datetime import date

from sqlalchemy import func, select

from consortium.audit.services import set_actor
from consortium.auth import services as auth_services
from consortium.auth.models import ROLE_SECRETARIAT, User
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import visible_clause
from consortium.core import signals
from consortium.extensions import db
from consortium.geo.services import find_city, load_reference_data
from consortium.members import services as member_services
from consortium.members.models import Member
from consortium.members.services import member_stats
from consortium.scenarios.services import list_groups

ILLUSTRATIVE = "（示例数据 / illustrative demo entry）"

# code, name, name_en, kind, city, joined_on, description
MEMBERS = [
    ("qingdao", "青岛数据集团", "Qingdao Data Group", "data_group", "青岛", date(2025, 4, 18),
     "青岛市公共数据授权运营主体，140 余个数据产品、247 个应用场景；与 11 个城市开展数据资产登记互认。"),
    ("xiamen", "厦门大数据有限公司", "Xiamen Big Data Co.", "data_group", "厦门", date(2025, 4, 18),
     "交通场景小组牵头单位。"),
    ("ningbo", "宁波数字产业集团", "Ningbo Digital Industry Group", "data_group", "宁波", date(2025, 4, 18),
     "2025 年 7 月牵头成立医疗健康场景小组。"),
    ("wenzhou", "温州大数据公司", "Wenzhou Big Data Co.", "data_group", "温州", date(2025, 4, 18),
     "与青岛数据集团就信贷数据宝签约合作；实行“一场景一申请一审批”。"),
    ("chaozhou", "潮州市数字集团有限公司", "Chaozhou Digital Group", "data_group", "潮州", date(2025, 4, 18),
     "与苏州中科先进技术研究院有限公司签约合作。"),
    ("shujubao", "贵州数据宝网络科技有限公司", "Guizhou Shujubao Network Technology Co.", "data_merchant",
     "贵阳", date(2025, 9, 1), "场景小组成员（数商）。"),
    ("sz-casit", "苏州中科先进技术研究院有限公司", "Suzhou CAS Advanced Technology Institute",
     "research_institute", "苏州", date(2025, 9, 1), "场景小组成员；与潮州市数字集团有限公司签约合作。"),
    ("zhongmiao", "众淼控股(青岛)股份有限公司", "Zhongmiao Holdings (Qingdao)", "data_merchant", "青岛",
     date(2025, 9, 1), "与青岛数据集团、蚂蚁集团三方签约合作。"),
    ("hangzhou", "杭州数据集团", "Hangzhou Data Group", "data_group", "杭州", date(2025, 4, 18),
     "实行“一场景一申请一审批”。" + ILLUSTRATIVE),
    ("huzhou", "湖州数据集团", "Huzhou Data Group", "data_group", "湖州", date(2025, 4, 18),
     "交通场景小组首批成员；与青岛数据集团数据资产登记互认。" + ILLUSTRATIVE),
    ("weifang", "潍坊数据集团", "Weifang Data Group", "data_group", "潍坊", date(2025, 9, 1),
     "与青岛数据集团数据资产登记互认。" + ILLUSTRATIVE),
    ("dongying", "东营数据集团", "Dongying Data Group", "data_group", "东营", date(2025, 9, 1),
     "与青岛数据集团数据资产登记互认。" + ILLUSTRATIVE),
    ("bazhou", "巴州数据集团", "Bayingolin Data Group", "data_group", "巴音郭楞蒙古自治州", date(2025, 9, 1),
     "与青岛数据集团数据资产登记互认。" + ILLUSTRATIVE),
    ("fuzhou", "福州数据集团", "Fuzhou Data Group", "data_group", "福州", date(2025, 4, 18),
     "执行福建省公共数据运营服务费累进阶梯收费标准。" + ILLUSTRATIVE),
    # The transport group's first members named by the source (厦门、青岛、烟台、漳州、泉州、大连、湖州、三明);
    # the source names the cities, not the companies: the names and joining dates below are illustrative.
    ("yantai", "烟台数据集团", "Yantai Data Group", "data_group", "烟台", date(2025, 9, 1),
     "交通场景小组首批成员。" + ILLUSTRATIVE),
    ("zhangzhou", "漳州数据集团", "Zhangzhou Data Group", "data_group", "漳州", date(2025, 9, 1),
     "交通场景小组首批成员。" + ILLUSTRATIVE),
    ("quanzhou", "泉州数据集团", "Quanzhou Data Group", "data_group", "泉州", date(2025, 9, 1),
     "交通场景小组首批成员。" + ILLUSTRATIVE),
    ("dalian", "大连数据集团", "Dalian Data Group", "data_group", "大连", date(2025, 9, 1),
     "交通场景小组首批成员。" + ILLUSTRATIVE),
    ("sanming", "三明数据集团", "Sanming Data Group", "data_group", "三明", date(2025, 9, 1),
     "交通场景小组首批成员。" + ILLUSTRATIVE),
    ("chengdu", "成都数据集团", "Chengdu Data Group", "data_group", "成都", date(2025, 4, 18), ILLUSTRATIVE),
    ("shanghai", "上海数据集团", "Shanghai Data Group", "data_group", "上海", date(2025, 4, 18), ILLUSTRATIVE),
]

ACCOUNTS = [
    ("secretariat@cdou.example", "秘书处 赵敏", None),
    ("qingdao@cdou.example", "刘洋", "qingdao"),
    ("xiamen@cdou.example", "陈静", "xiamen"),
    ("ningbo@cdou.example", "王磊", "ningbo"),
    ("wenzhou@cdou.example", "林晓", "wenzhou"),
    ("shujubao@cdou.example", "张伟", "shujubao"),
]

def is_empty() -> bool:
    return db.session.scalar(select(func.count(Member.id))) == 0


def seed_demo(password: str) -> dict:
    """Idempotent: existing rows (by code / e-mail) are left as they are."""
    set_actor(None)
    load_reference_data()
    created = {"members": 0, "users": 0}
    by_code = {m.code: m for m in db.session.scalars(select(Member))}
    for code, name, name_en, kind, city, joined, desc in MEMBERS:
        if code not in by_code:
            by_code[code] = member_services.admit_member(
                None, code=code, name=name, name_en=name_en, kind=kind, city=find_city(city),
                joined_on=joined, description=desc)
            created["members"] += 1
    for email, name, member_code in ACCOUNTS:
        if auth_services.get_user_by_email(email) is None:
            auth_services.create_user(None, email=email, password=password, name=name,
                                      role=ROLE_SECRETARIAT if member_code is None else "member",
                                      member=by_code.get(member_code))
            created["users"] += 1
    db.session.flush()
    for seeder in signals.demo_seeder_list():  # each domain's own demo data
        created[seeder.name] = seeder.seed(by_code)
        db.session.flush()
    return created


def home_figures_line() -> str:
    """The figures the home page shows, computed by the same queries, for the demo log line."""
    stats = member_stats()
    visitor = db.session.scalar(select(func.count(DataResource.id)).where(visible_clause(None)))
    member_user = db.session.scalar(select(User).where(User.member_id.is_not(None)).order_by(User.id).limit(1))
    signed_in = db.session.scalar(select(func.count(DataResource.id)).where(visible_clause(member_user))) \
        if member_user is not None else visitor
    return (f"{stats['members']} member organisations, {stats['cities']} cities covered, "
            f"{visitor} resources for visitors ({signed_in} for signed-in members), "
            f"{len(list_groups())} scenario groups")

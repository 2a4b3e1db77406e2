"""Demo data of the scenarios domain: the seed scenarios the 2025 report names,
group targets, a finance group for 信贷数据宝, and replications/events that are illustrative (marked so on every page)."""
from datetime import date, timedelta

from sqlalchemy import select

from consortium.extensions import db

from .services import groups as group_services
from .services import replications as replication_services
from .services import scenarios as scenario_services
from consortium.core.clock import utcnow, local_today

from .models import GroupMembership, Invitation, Scenario, ScenarioGroup

ILLUSTRATIVE = "（示例数据 / illustrative demo entry）"

# group code -> (target_count, target_date); the transport target comes from the source.
TARGETS = {"transport": (3, date(2026, 12, 31))}

FINANCE_GROUP = ("finance", "金融场景小组", "Finance scenario group", "qingdao",
                 "金融领域种子场景（信贷数据宝，青岛数据集团首创）。本小组为演示而设，来源报告未提及金融场景小组。" + ILLUSTRATIVE)

# group, title, title_en, origin, modes, maturity, needs "label|domain|keyword" lines, description
SCENARIOS = [
    ("transport", "两客一危动态监管", "Dynamic supervision of coaches, tourist buses and hazardous-goods vehicles",
     "xiamen", ["privacy", "in_domain"], "proven",
     "车辆定位数据|交通|定位\n营运车辆资质数据|交通|营运\n危险货物电子运单|交通|危险货物",
     "“两客一危”车辆动态监管：融合车辆定位、资质与电子运单数据，识别疲劳驾驶与违规运输。"),
    ("transport", "货运平台协同调度", "Freight platform dispatch", "xiamen", ["privacy", "central"], "pilot",
     "货运车辆轨迹数据|交通|轨迹\n道路运输许可数据|交通|道路运输\n企业信用数据|市场监管|信用",
     "货运平台协同调度：跨城共享车辆轨迹与运力，降低空驶率。"),
    ("transport", "公交信息智能服务", "Smart bus information", "xiamen", ["in_domain", "demand_side"], "mature",
     "公交实时位置数据|交通|公交\n公交线路站点数据|交通|线路",
     "公交信息智能服务：实时到站、线路规划与客流分析。"),
    ("transport", "交通出行“一码通城”", "One code for all city transit", "xiamen", ["central", "in_domain"], "pilot",
     "公交地铁乘车码数据|交通|乘车码\n实名认证数据|政务|实名",
     "交通出行“一码通城”：一个乘车码通行公交、地铁、轮渡。"),
    ("healthcare", "护理服务", "Nursing services", "ningbo", ["in_domain", "privacy"], "pilot",
     "护理机构数据|医疗健康|护理\n老年人健康档案|医疗健康|健康档案",
     "“互联网+护理服务”：护理需求与护理机构、护士资源匹配。"),
    ("healthcare", "医检互认", "Cross-city recognition of medical test results", "ningbo", ["privacy"], "proven",
     "医检结果数据|医疗健康|检验\n医学影像数据|医疗健康|影像",
     "医疗数据“跨城互认”：检查检验结果在城市间互认，减少重复检查。"),
    ("healthcare", "医保结算", "Medical insurance settlement", "ningbo", ["privacy", "in_domain"], "mature",
     "医保结算数据|医疗健康|医保\n参保人员数据|社会保障|参保",
     "异地医保结算：跨城直接结算与基金监管。"),
    ("healthcare", "专病数据应用", "Specialised disease data applications", "ningbo", ["privacy"], "idea",
     "专病诊疗数据|医疗健康|诊疗\n医检结果数据|医疗健康|检验",
     "专病数据库与科研应用：在隐私计算环境中联合多城专病数据。"),
    ("finance", "信贷数据宝", "Credit data product", "qingdao", ["privacy", "in_domain"], "mature",
     "企业纳税数据|金融|纳税\n企业社保缴纳数据|社会保障|社保\n企业信用数据|市场监管|信用",
     "信贷数据宝：以公共数据辅助普惠金融授信，青岛数据集团首创，已与温州大数据签约合作。"),
]

# Illustrative progress: scenario title -> [(member code, [(stage, days ago)], owner, next step, blockers)]
REPLICATIONS = {
    "两客一危动态监管": [("xiamen", [("interest", 400), ("matching", 360), ("data_ready", 300), ("pilot", 240),
                                  ("live", 150)], "厦门大数据 交通事业部", "", ""),
                   ("fuzhou", [("interest", 200), ("matching", 160), ("data_ready", 120), ("pilot", 40)],
                    "福州数据集团 项目组", "试点评估", ""),
                   ("chengdu", [("interest", 150), ("matching", 100)], "成都数据集团", "签署数据共享协议",
                    "等待交通局授权")],
    "公交信息智能服务": [("xiamen", [("interest", 500), ("pilot", 420), ("live", 380)], "", "", ""),
                 ("qingdao", [("interest", 300), ("data_ready", 250), ("pilot", 200), ("live", 120)], "", "", ""),
                 ("ningbo", [("interest", 280), ("matching", 230), ("pilot", 170), ("live", 90)], "", "", ""),
                 ("shanghai", [("interest", 90)], "上海数据集团", "确认数据接口", "")],
    "交通出行“一码通城”": [("xiamen", [("interest", 200), ("matching", 170), ("pilot", 100)], "", "扩大试点线路", ""),
                   ("hangzhou", [("interest", 130), ("matching", 110), ("data_ready", 95), ("stalled", 80)],
                    "杭州数据集团", "", "一场景一申请一审批，授权审批中")],
    "医保结算": [("ningbo", [("interest", 300), ("data_ready", 250), ("pilot", 200), ("live", 120)], "", "", ""),
             ("wenzhou", [("interest", 160), ("matching", 130), ("data_ready", 70)], "温州大数据公司",
              "联调隐私计算节点", ""),
             ("hangzhou", [("interest", 100)], "", "", "")],
    "医检互认": [("ningbo", [("interest", 260), ("pilot", 200), ("live", 100)], "", "", ""),
             ("huzhou", [("interest", 40), ("matching", 20)], "湖州数据集团", "对接检验结果标准", "")],
    "信贷数据宝": [("qingdao", [("interest", 500), ("pilot", 420), ("live", 360)], "", "", ""),
              ("wenzhou", [("interest", 200), ("matching", 170), ("data_ready", 120), ("pilot", 60)],
               "温州大数据公司", "上线评审", ""),
              ("weifang", [("interest", 90), ("matching", 75)], "潍坊数据集团", "", "")],
}

# The transport group's first members as the source names them, then illustrative ones.
SOURCE_NOTE = "交通场景小组首批成员（来源报告）。"
MEMBERSHIPS = [("transport", "shujubao", "approved", SOURCE_NOTE), ("transport", "qingdao", "approved", SOURCE_NOTE),
               ("transport", "yantai", "approved", SOURCE_NOTE), ("transport", "zhangzhou", "approved", SOURCE_NOTE),
               ("transport", "quanzhou", "approved", SOURCE_NOTE), ("transport", "dalian", "approved", SOURCE_NOTE),
               ("transport", "huzhou", "approved", SOURCE_NOTE), ("transport", "sanming", "approved", SOURCE_NOTE),
               ("transport", "fuzhou", "approved", ILLUSTRATIVE), ("healthcare", "wenzhou", "approved", ILLUSTRATIVE),
               ("healthcare", "sz-casit", "pending", ILLUSTRATIVE), ("finance", "wenzhou", "approved", ILLUSTRATIVE)]

# Illustrative invitations from the lead's "where next": (scenario, member, status, note, reason)
INVITATIONS = [("公交信息智能服务", "zhangzhou", "pending", "漳州公交数据覆盖较好，欢迎复制。" + ILLUSTRATIVE, ""),
               ("两客一危动态监管", "quanzhou", "declined", "欢迎复制两客一危动态监管。" + ILLUSTRATIVE,
                "今年交通数据治理排期已满，明年再议。" + ILLUSTRATIVE)]


GROUPS = [
    ("transport", "交通场景小组", "Transport scenario group", "xiamen",
     "交通领域垂直场景联合攻坚小组：两客一危动态监管、货运平台协同调度、公交信息智能服务、交通出行“一码通城”。"
     "目标：2026 年底前形成 3–5 个可推广的解决方案。"),
    ("healthcare", "医疗健康场景小组", "Healthcare scenario group", "ningbo",
     "2025 年 7 月成立：护理服务、医检互认、医保结算、专病数据应用。"),
]


def seed_groups(members_by_code: dict) -> int:
    """The two groups the source names, led by their founding members (idempotent)."""
    existing = set(db.session.scalars(select(ScenarioGroup.code)))
    created = 0
    for code, name, name_en, lead, desc in GROUPS:
        if code not in existing and lead in members_by_code:
            db.session.add(ScenarioGroup(code=code, name=name, name_en=name_en, description=desc,
                                         lead_member=members_by_code[lead]))
            created += 1
    db.session.flush()
    return created


def seed(members_by_code: dict) -> int:
    """Idempotent: does nothing once the scenarios exist. Returns rows created."""
    if db.session.scalar(select(Scenario.id).limit(1)) is not None:
        return 0
    created = 0
    groups = {g.code: g for g in db.session.scalars(select(ScenarioGroup))}
    for code, (count, when) in TARGETS.items():
        if code in groups:
            groups[code].target_count, groups[code].target_date = count, when
    code, name, name_en, lead, desc = FINANCE_GROUP
    if code not in groups and lead in members_by_code:
        groups[code] = group_services.create_group(None, code=code, name=name, name_en=name_en,
                                             lead_member=members_by_code[lead], description=desc)
        created += 1
    scenarios = {}
    for group, title, title_en, origin, modes, maturity, needs, desc in SCENARIOS:
        if group not in groups:
            continue
        scenarios[title] = scenario_services.create_scenario(
            None, groups[group], title=title, title_en=title_en, description=desc,
            origin_member=members_by_code.get(origin), needs=scenario_services.parse_needs(needs.replace("|", " | ")),
            modes=modes, maturity=maturity, links="")
        created += 1
    for group, member, status, motivation in MEMBERSHIPS:
        if group in groups and member in members_by_code:
            db.session.add(GroupMembership(group=groups[group], member=members_by_code[member], status=status,
                                           motivation=motivation))
            created += 1
    today = local_today()
    for title, reps in REPLICATIONS.items():
        for member, steps, owner, next_step, blockers in reps:
            if title not in scenarios or member not in members_by_code:
                continue
            first_stage, first_days = steps[0]
            rep = replication_services.start_replication(None, scenarios[title], members_by_code[member], owner=owner,
                                             next_step=next_step, note=ILLUSTRATIVE,
                                             occurred_on=today - timedelta(days=first_days), is_illustrative=True)
            rep.blockers = blockers
            for stage, days in steps[1:]:
                replication_services.change_stage(None, rep, stage, note=ILLUSTRATIVE,
                                      occurred_on=today - timedelta(days=days))
            created += 1
    for title, member, status, note, reason in INVITATIONS:
        if title in scenarios and member in members_by_code:
            db.session.add(Invitation(scenario=scenarios[title], member=members_by_code[member], status=status,
                                      note=note, reason=reason, invited_by_label="陈静",
                                      answered_at=None if status == "pending" else utcnow()))
            created += 1
    db.session.flush()
    return created


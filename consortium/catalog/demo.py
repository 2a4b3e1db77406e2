"""Demo inventory of the resource map: each demo data group lists the public-data
resources its city can offer, in realistic Chinese (deterministic; several public).
The same catalogue of typical resources feeds ``flask seed-scale``."""
import random
import zlib
from datetime import date, timedelta

from pypinyin import Style, lazy_pinyin
from sqlalchemy import func, select

from consortium.core import phones
from consortium.core.clock import local_today
from consortium.audit.services import set_actor
from consortium.extensions import db

from .constants import CIRCULATION_MODES
from .models import DataResource

# domain: [(title, department, keywords, description, frequency)]
CATALOGUE = {
    "transport": [
        ("公交车辆实时定位数据", "市交通运输局", "公交,GPS,实时公交", "全市公交车辆 GPS 定位、线路与到站信息，支撑公交信息智能服务。", "realtime"),
        ("地铁进出站客流统计", "市轨道交通集团", "地铁,客流,轨道交通", "各线路、各站点分时段进出站客流。", "daily"),
        ("“两客一危”车辆动态监管数据", "市交通运输局", "两客一危,危化品运输,动态监管", "客运班车、旅游包车和危险货物运输车辆的轨迹、报警与处置记录。", "realtime"),
        ("货运平台车辆调度记录", "市交通运输局", "货运,网络货运,调度", "网络货运平台的运单、车辆与调度记录，用于货运平台协同调度。", "daily"),
        ("道路拥堵指数", "市公安局交警支队", "交通拥堵,路况,交通指数", "主要道路分时段拥堵指数与平均车速。", "realtime"),
        ("公共停车场泊位数据", "市城管局", "停车,泊位,智慧停车", "公共停车场位置、泊位总数与实时空余泊位。", "realtime"),
        ("出租车与网约车运营订单", "市交通运输局", "出租车,网约车,出行", "巡游出租车和网约车订单起讫点、里程与时长（已脱敏）。", "daily"),
        ("交通出行“一码通城”乘车记录", "市交通运输局", "一码通城,乘车码,出行", "公交、地铁乘车码刷码记录汇总，支撑一码通城场景。", "daily"),
    ],
    "health": [
        ("参保人员医保结算明细", "市医保局", "医保,结算,门诊,住院", "参保人员门诊、住院医保结算明细，可用于医保结算与商保快赔。", "daily"),
        ("医学检验检查结果互认数据", "市卫健委", "医检互认,检验,检查", "二级以上医院检验检查结果，支撑医疗数据“跨城互认”。", "daily"),
        ("居民电子健康档案", "市卫健委", "健康档案,基本公共卫生", "居民电子健康档案摘要与慢病随访记录。", "monthly"),
        ("护理服务机构与护理人员名录", "市卫健委", "护理服务,护理院,养老护理", "护理机构资质、床位与执业护理人员信息。", "quarterly"),
        ("专病数据库（糖尿病）", "市卫健委", "专病数据,糖尿病,慢病", "糖尿病患者诊疗、用药与随访专病数据。", "monthly"),
        ("医疗机构名录", "市卫健委", "医院,医疗机构,诊所", "医疗机构名称、等级、地址与诊疗科目。", "quarterly"),
        ("药品零售与医保目录数据", "市医保局", "药品,医保目录,零售药店", "定点零售药店药品销售与医保目录对照。", "weekly"),
    ],
    "finance": [
        ("信贷数据宝企业信用画像", "市大数据局", "信贷数据宝,企业信用,普惠金融", "融合税务、社保、公积金、水电等数据形成的企业信用画像，服务信贷审批。", "monthly"),
        ("企业纳税信用等级", "市税务局", "纳税信用,税务,企业信用", "企业纳税信用评价等级与变化记录。", "annual"),
        ("住房公积金缴存数据", "市住房公积金管理中心", "公积金,缴存,个人信用", "单位与个人公积金缴存基数、状态与连续缴存月数。", "monthly"),
        ("动产融资登记信息", "市地方金融管理局", "动产融资,供应链金融", "动产与权利担保登记信息汇总。", "weekly"),
    ],
    "market": [
        ("企业登记注册信息", "市市场监管局", "企业登记,工商,营业执照", "企业名称、统一社会信用代码、注册资本、经营范围与状态。", "daily"),
        ("行政处罚公示信息", "市市场监管局", "行政处罚,信用监管", "市场监管领域行政处罚决定公示。", "weekly"),
        ("食品生产经营许可数据", "市市场监管局", "食品安全,许可证", "食品生产、经营许可证发证与变更信息。", "weekly"),
    ],
    "government": [
        ("政务服务事项办件数据", "市政务服务和数据管理局", "政务服务,办件,一网通办", "政务服务事项受理、办结与评价数据。", "daily"),
        ("12345 热线工单数据", "市政务服务和数据管理局", "12345,热线,诉求", "市民热线诉求工单的分类、办理部门与办理结果。", "daily"),
        ("电子证照目录", "市政务服务和数据管理局", "电子证照,证照", "已归集电子证照的类型与数量。", "monthly"),
    ],
    "urban": [
        ("城市部件与网格事件", "市城管局", "网格化,城市管理,事件", "城市部件普查与网格化管理事件处置记录。", "daily"),
        ("建筑物与门牌地址库", "市自然资源和规划局", "地址,门牌,建筑物", "标准地址、门牌与建筑物轮廓。", "quarterly"),
        ("供水管网运行数据", "市水务集团", "供水,管网,水压", "供水管网压力、流量监测数据。", "realtime"),
    ],
    "environment": [
        ("空气质量监测小时数据", "市生态环境局", "空气质量,AQI,PM2.5", "国控、省控站点空气质量小时值。", "realtime"),
        ("气象观测站逐小时观测", "市气象局", "气象,降水,气温", "自动气象站气温、降水、风向风速逐小时观测。", "realtime"),
        ("重点排污单位在线监测", "市生态环境局", "排污,在线监测,环保", "重点排污单位废水、废气在线监测数据。", "realtime"),
    ],
    "tourism": [
        ("A 级景区客流数据", "市文化和旅游局", "景区,客流,文旅", "A 级旅游景区分时客流与承载量。", "daily"),
        ("旅游住宿接待数据", "市文化和旅游局", "酒店,民宿,住宿", "旅游住宿单位入住人次与平均房价。", "monthly"),
        ("文化场馆与演出活动目录", "市文化和旅游局", "博物馆,演出,文化场馆", "博物馆、图书馆、剧院与演出活动信息。", "weekly"),
    ],
    "industry": [
        ("规模以上工业企业能耗数据", "市工信局", "工业能耗,节能,规上企业", "规模以上工业企业月度能耗与产值。", "monthly"),
        ("工业互联网标识解析数据", "市工信局", "工业互联网,标识解析", "二级节点标识注册与解析量。", "daily"),
    ],
    "education": [
        ("中小学校名录与学位数据", "市教育局", "学校,学位,招生", "中小学校名称、学区与学位供给。", "annual"),
    ],
    "agriculture": [
        ("农产品批发市场价格", "市农业农村局", "农产品,价格,批发市场", "主要农产品批发市场日价格。", "daily"),
    ],
    "energy": [
        ("企业用电量数据", "国网市供电公司", "用电,电力,企业经营", "企业月度用电量，可反映企业经营状况。", "monthly"),
        ("居民用水用气数据", "市公用事业集团", "用水,燃气,公用事业", "居民户用水、用气量（按小区汇总）。", "monthly"),
    ],
    "social": [
        ("社会保险参保缴费数据", "市人社局", "社保,参保,缴费", "单位与个人社会保险参保与缴费状态。", "monthly"),
        ("就业登记与失业登记", "市人社局", "就业,失业,人社", "就业登记、失业登记与职业培训记录。", "monthly"),
    ],
    "science": [
        ("高新技术企业名录", "市科技局", "高新技术企业,科技型中小企业", "高新技术企业认定、复审与研发投入。", "annual"),
        ("专利授权数据", "市市场监管局（知识产权局）", "专利,知识产权", "本市专利申请与授权数据。", "monthly"),
    ],
}

# Records about identifiable people or companies' private affairs: never 无条件开放 (open),
# at most on conditions or through authorised operation.
PERSONAL = {"参保人员医保结算明细", "居民电子健康档案", "专病数据库（糖尿病）", "医学检验检查结果互认数据",
            "出租车与网约车运营订单", "交通出行“一码通城”乘车记录", "住房公积金缴存数据", "社会保险参保缴费数据",
            "就业登记与失业登记", "居民用水用气数据", "企业用电量数据", "信贷数据宝企业信用画像",
            "药品零售与医保目录数据", "12345 热线工单数据", "政务服务事项办件数据", "货运平台车辆调度记录",
            "“两客一危”车辆动态监管数据"}
# Registers and statistics the government publishes anyway: open or on conditions.
PUBLISHED = {"医疗机构名录", "企业登记注册信息", "行政处罚公示信息", "食品生产经营许可数据", "空气质量监测小时数据",
             "气象观测站逐小时观测", "A 级景区客流数据", "文化场馆与演出活动目录", "中小学校名录与学位数据",
             "农产品批发市场价格", "高新技术企业名录", "专利授权数据", "道路拥堵指数", "公共停车场泊位数据",
             "公交车辆实时定位数据", "电子证照目录"}

FORMATS = ["CSV", "XLSX", "JSON", "CSV,JSON", "API", "JSON,API", "XLSX,CSV"]
MODE_CODES = list(CIRCULATION_MODES)


def plausible_openness(rng: random.Random, title: str) -> str:
    if title in PERSONAL:
        return rng.choices(["conditional", "authorised", "closed"], weights=[3, 6, 1])[0]
    if title in PUBLISHED:
        return rng.choices(["open", "conditional"], weights=[3, 2])[0]
    return rng.choices(["open", "conditional", "authorised", "closed"], weights=[2, 4, 3, 1])[0]


def catalogue_items() -> list[tuple[str, tuple]]:
    """Every typical resource as (domain, (title, department, keywords, description, frequency))."""
    return [(domain, item) for domain, items in CATALOGUE.items() for item in items]


def make_resource_values(rng: random.Random, city_name: str, index: int, code_prefix: str, item=None,
                         today: date | None = None) -> dict:
    """One realistic resource for a city, drawn from CATALOGUE (used by demo and seed-scale); ``item``
    (domain, entry) names the catalogue entry, otherwise one is drawn at random."""
    if item is None:
        domain = rng.choice(list(CATALOGUE))
        item = (domain, rng.choice(CATALOGUE[domain]))
    domain, (title, department, keywords, description, frequency) = item
    short = city_name[:-1] if city_name.endswith("市") and len(city_name) > 2 else city_name
    year = rng.choice([2019, 2020, 2021, 2022, 2023])
    n_modes = rng.choice([1, 1, 2, 2, 3])
    modes = rng.sample(MODE_CODES, n_modes)
    openness = plausible_openness(rng, title)
    records = int(10 ** rng.uniform(3, 8))
    # Most entries are kept up to date for their frequency; about one in five is overdue.
    max_age = {"realtime": 1, "daily": 2, "weekly": 7, "monthly": 30, "quarterly": 90, "annual": 365}.get(frequency, 365)
    age = rng.randint(0, max_age) if rng.random() < 0.8 else rng.randint(max_age * 2 + 3, max_age * 4 + 30)
    updated = (today or date(2025, 11, 26)) - timedelta(days=age)
    return {
        "code": f"{code_prefix}-{index:06d}",
        "title": f"{short}{title}" if rng.random() < 0.7 else title,
        "description": f"{description}数据范围：{short}，{year} 年起。",
        "keywords": keywords,
        "domain": domain,
        "department": department,
        "frequency": frequency,  # as the title and description say (实时, 逐小时, 月度 …)
        "openness": openness,
        "circulation_mask": CIRCULATION_MODES.mask_of(modes),
        "record_count": records,
        "size_mb": round(records * rng.uniform(0.0002, 0.002), 1),
        "temporal_start": date(year, 1, 1),
        "temporal_end": None if rng.random() < 0.5 else date(2025, 6, 30),
        "spatial_coverage": city_name,
        "registration_no": f"DJ{year}{rng.randint(100000, 999999)}" if rng.random() < 0.25 else "",
        "formats": rng.choice(FORMATS),
        "has_api": rng.random() < 0.4,
        "data_updated_on": updated,
        "is_public": openness == "open" or rng.random() < 0.15,
        "contact_name": "",
        "contact_email": "",
        "status": "active",
    }


LICENCE_BY_OPENNESS = {"open": "cc_by_4", "conditional": "custom", "authorised": "authorised_agreement"}
DEMO_CONDITIONS = "示例：仅限在可信数据空间内用于双方约定的应用场景；结果数据经供方审核后方可对外提供。"
DEMO_FIELDS = {
    "transport": [("vehicle_id", "string", "车辆编号（脱敏）"), ("line_no", "string", "线路编号"),
                  ("lon", "decimal", "经度（WGS84）"), ("lat", "decimal", "纬度（WGS84）"),
                  ("reported_at", "datetime", "定位时间")],
    "health": [("settle_id", "string", "结算单号（脱敏）"), ("insured_type", "string", "参保类型"),
               ("total_amount", "decimal", "医疗费用总额（元）"), ("fund_paid", "decimal", "统筹基金支付（元）"),
               ("settled_on", "date", "结算日期")],
    "finance": [("credit_code", "string", "统一社会信用代码"), ("score", "integer", "信用评分"),
                ("grade", "string", "信用等级"), ("evaluated_on", "date", "评价日期")],
}
# positions a few hundred metres from the city's centre: a sample carries its own city's coordinates
DEMO_SAMPLES = {
    "transport": "vehicle_id,line_no,lon,lat,reported_at\nV***21,K1,{lon1:.2f},{lat1:.2f},2025-06-30 08:00:05\n"
                 "V***37,K1,{lon2:.2f},{lat2:.2f},2025-06-30 08:00:07",
}


# Telephone area codes of the demo members' cities (what a member writes before its number).
AREA_CODES = {"青岛市": "0532", "厦门市": "0592", "宁波市": "0574", "温州市": "0577", "潮州市": "0768",
              "杭州市": "0571", "湖州市": "0572", "潍坊市": "0536", "东营市": "0546", "巴音郭楞蒙古自治州": "0996",
              "福州市": "0591", "烟台市": "0535", "漳州市": "0596", "泉州市": "0595", "大连市": "0411",
              "三明市": "0598", "成都市": "028", "上海市": "021"}
DOWNLOADABLE = ("CSV", "XLSX", "JSON")


def demo_contact(code: str, department: str, city_name: str, member_code: str) -> dict:
    """An illustrative contact as members write them: a department mailbox (at a reserved .example
    domain) and a landline in one of the ways people write one in China (area code and hyphen,
    an extension after 转, +86, brackets). Derived from the entry's code, not drawn at random."""
    n = zlib.crc32(code.encode())
    area = AREA_CODES.get(city_name, "0532")
    digits = f"{n % 1000:03d}0{n // 1000 % 1000:03d}"
    local = next((lead + digits[:length - 1] for length in (8, 7) for lead in "8652"
                  if phones.parse(f"{area}-{lead}{digits[:length - 1]}")), "8" + digits)  # a number valid there
    cut = len(local) - 4
    written = [f"{area}-{local[:cut]} {local[cut:]}", f"{area}-{local} 转 {100 + n % 900}",
               f"+86 {area[1:]} {local[:cut]} {local[cut:]}", f"({area}) {local[:cut]}-{local[cut:]}"][n % 4]
    mailbox = "".join(lazy_pinyin(department, style=Style.FIRST_LETTER, errors="ignore")).lower() or "data"
    return {"contact_email": f"{mailbox}@{member_code}-data.example", "contact_phone": written}


def _sample(domain: str, city) -> str:
    lon, lat = (city.longitude, city.latitude) if city is not None else (0.0, 0.0)
    return DEMO_SAMPLES[domain].format(lon1=lon, lat1=lat, lon2=lon + 0.01, lat2=lat + 0.01)


def _usage_values(values: dict, city_name: str, member_code: str = "demo", city=None) -> dict:
    """Illustrative licence, usage conditions, contact, download link, field list and sample
    (示例), without drawing from the random generator (the inventory stays as it was)."""
    out = {"licence": LICENCE_BY_OPENNESS.get(values["openness"], ""),
           "usage_conditions": DEMO_CONDITIONS if values["openness"] == "conditional" else "",
           "contact_name": f"{values['department']}数据专员（示例）",
           **demo_contact(values["code"], values["department"], city_name, member_code)}
    files = [f for f in values["formats"].split(",") if f in DOWNLOADABLE]
    if values["openness"] == "open" and files:
        out["download_url"] = (f"https://data.{member_code}-data.example/files/{values['code'].lower()}."
                               f"{files[0].lower()}")
    fields = DEMO_FIELDS.get(values["domain"])
    if fields and values["code"].endswith(("1", "4", "7")):
        out["schema_fields"] = [{"name": n, "type": t, "description": d} for n, t, d in fields]
        if values["domain"] in DEMO_SAMPLES:
            out["sample_csv"] = _sample(values["domain"], city)
    return out


# Entries a member holds for sure, because the source ties it to them: 厦门 leads transport and
# originated 公交信息智能服务, so it lists its bus data; 青岛 originated 信贷数据宝.
FIRST_ITEMS = {
    "xiamen": {"公交车辆实时定位数据", "“两客一危”车辆动态监管数据", "货运平台车辆调度记录",
               "交通出行“一码通城”乘车记录"},
    "qingdao": {"信贷数据宝企业信用画像"},
}


# 青岛 runs the union's marine trusted data space: its inventory holds marine data to put there
MARINE = [
    ("environment", ("近海海洋水文观测数据", "市海洋发展局", "海洋,水文,潮位,海温",
                     "近岸浮标与岸基站的潮位、海温、盐度与浪高观测。", "realtime")),
    ("agriculture", ("海水养殖与近海捕捞统计", "市海洋发展局", "海洋,渔业,水产养殖",
                     "海水养殖面积、品种与产量，近海捕捞船次与渔获量。", "monthly")),
    ("transport", ("港口船舶进出港与泊位作业记录", "市交通运输局", "海洋,港口,船舶,航运",
                   "青岛港各港区船舶进出港、靠离泊与泊位作业时长。", "daily")),
]


def _marine_items(member, start: int) -> list[DataResource]:
    rng = random.Random(2025_06_08)  # its own generator: the other inventories stay as they were
    out = []
    for i, item in enumerate(MARINE):
        values = make_resource_values(rng, member.city.name, start + i, member.code.upper(), item=item,
                                      today=local_today())
        values.update(_usage_values(values, member.city.name, member.code, member.city))
        out.append(DataResource(member=member, city_id=member.city_id, **values))
    return out


def seed(members_by_code: dict) -> int:
    """Give every demo data group a realistic inventory; idempotent (nothing when entries exist)."""
    ids = [m.id for m in members_by_code.values()]
    if not ids or db.session.scalar(select(func.count(DataResource.id)).where(DataResource.member_id.in_(ids))):
        return 0
    set_actor(None)
    rng = random.Random(2025_04_18)
    created = 0
    for code in sorted(members_by_code):
        member = members_by_code[code]
        if member.kind != "data_group":
            continue
        items = catalogue_items()
        rng.shuffle(items)  # each typical resource at most once per member: no duplicates
        first = FIRST_ITEMS.get(code, ())
        items = [i for i in items if i[1][0] in first] + [i for i in items if i[1][0] not in first]
        for i, item in enumerate(items[:rng.randint(18, 30)]):
            values = make_resource_values(rng, member.city.name, i + 1, code.upper(), item=item, today=local_today())
            if item[1][0] == "信贷数据宝企业信用画像":
                values.update(title="信贷数据宝企业信用画像", is_public=member.code == "qingdao",
                              registration_no="QDDJ2025000123" if member.code == "qingdao" else "")
            values.update(_usage_values(values, member.city.name, member.code, member.city))
            db.session.add(DataResource(member=member, city_id=member.city_id, **values))
            created += 1
        if code == "qingdao":
            for resource in _marine_items(member, i + 2):
                db.session.add(resource)
                created += 1
    db.session.flush()
    return created

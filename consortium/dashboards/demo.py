"""Demo dashboards: the public quarterly dashboard "共同体季度看板 · 示例" with two
published versions (the 2025 Q2 and Q3 editions: the membership figures count
members who had joined by the quarter's end, so comparing them shows the
September 2025 arrivals), and a members-only operations dashboard."""
from sqlalchemy import select

from consortium.auth.services import get_user_by_email
from consortium.extensions import db

from . import panels, services
from .models import Dashboard

ILLUSTRATIVE = "（示例看板 / illustrative demo dashboard）"

QUARTERLY = {
    "slug": "quarterly", "title": "共同体季度看板 · 示例", "title_en": "Union quarterly dashboard · demo",
    "audience": "public",
    "intro": "城市数据运营共同体按季度发布的公开看板：成员增长、城市数据资源联合图谱覆盖、场景复制推广与签约合作。"
             "公开看板只统计公开的资源条目。" + ILLUSTRATIVE,
    "intro_en": "The union's public quarterly dashboard: membership growth, coverage of the joint data-resource map, "
                "scenario replication and co-operation agreements. A public dashboard counts public entries only. "
                "(Illustrative demo dashboard.)",
}
# kind, filters (the quarter's end is added), caption, caption_en
QUARTERLY_PANELS = [
    ("key_figures", {}, "成员与城市数为季度末的数字；资源条目、上线复制与可推广方案为发布时的数字。",
     "Members and cities as at the quarter's end; entries, live replications and promotable solutions as at publishing."),
    ("membership_growth", {}, "每月新加入成员（按类型）与累计数；红色虚线为来源报告的数字：2025 年 4 月 24 家数据集团发起成立，其后新增 22 家数据集团与 17 家场景小组成员。",
     "New members per month by kind and the running total; the red dotted lines are the source report's figures: "
     "24 founding data groups in April 2025, then 22 more data groups and 17 scenario-group members."),
    ("resource_map", {}, "各城市的公开资源条目数。", "Public entries per city."),
    ("coverage_matrix", {}, "城市 × 领域的公开资源条目数；空格为缺口。", "Public entries per city and domain; empty cells are gaps."),
    ("openness", {}, "公开资源条目的开放属性。", "Openness of the public entries."),
    ("circulation_modes", {}, "可信数据空间四种流通模式下的公开资源条目（一条可属多种模式）。",
     "Public entries by the four trusted-data-space circulation modes (an entry may offer several)."),
    ("replication_funnel", {"group": "transport"}, "交通场景小组：达到各阶段的复制数（至少达到）；停滞与退出另列。",
     "Transport group: replications that reached at least each stage; stalled and withdrawn apart."),
    ("promotable", {}, "各场景小组可推广的解决方案与目标（交通场景小组目标：2026 年底前 3–5 个）。",
     "Promotable solutions per group against its target (transport: 3–5 by the end of 2026)."),
    ("agreements", {}, "公开的签约合作，按签约月份。", "Public co-operation agreements by month of signing."),
]
EDITIONS = [("2025-06-30", "2025 年第二季度", "2025 Q2"), ("2025-09-30", "2025 年第三季度", "2025 Q3")]

OPERATIONS = {
    "slug": "operations", "title": "共同体运营看板（成员可见）· 示例", "title_en": "Union operations dashboard (members only) · demo",
    "audience": "members",
    "intro": "供成员单位内部使用：包括非公开资源条目在内的图谱覆盖、各场景小组的复制进展。" + ILLUSTRATIVE,
    "intro_en": "For member organisations: map coverage including non-public entries, and replication progress per "
                "scenario group. (Illustrative demo dashboard.)",
}
OPERATIONS_PANELS = [
    ("key_figures", {}, "", ""),
    ("replication_funnel", {"group": "transport"}, "交通场景小组。", "Transport group."),
    ("replication_funnel", {"group": "healthcare"}, "医疗健康场景小组。", "Healthcare group."),
    ("replication_timeline", {"group": "transport"}, "交通场景小组每月的阶段变化。", "Transport group: stage changes per month."),
    ("promotable", {}, "", ""),
    ("coverage_matrix", {}, "包括非公开条目。", "Non-public entries included."),
    ("openness", {}, "包括非公开条目。", "Non-public entries included."),
    ("members_by_province", {}, "", ""),
]


def _add_panels(dashboard, specs, extra=None):
    for kind, filters, caption, caption_en in specs:
        if panels.get(kind) is None:
            continue
        kind_filters = dict(filters)
        if extra and "date_to" in panels.get(kind).filters and kind in ("key_figures", "membership_growth"):
            kind_filters.update(extra)
        services.add_panel(None, dashboard, kind, filters=kind_filters, caption=caption, caption_en=caption_en)


def seed(members_by_code: dict) -> int:
    """Idempotent: a dashboard that exists (by slug) is left as it is."""
    existing = set(db.session.scalars(select(Dashboard.slug)))
    publisher = get_user_by_email("secretariat@cdou.example")  # a demo account, when seeded
    created = 0
    if QUARTERLY["slug"] not in existing:
        dashboard = services.create_dashboard(None, **QUARTERLY)
        _add_panels(dashboard, QUARTERLY_PANELS, {"date_to": EDITIONS[0][0]})
        for quarter_end, zh, en in EDITIONS:
            for panel in dashboard.panels:
                if panel.kind in ("key_figures", "membership_growth"):
                    services.configure_panel(None, panel, filters=dict(panel.filters, date_to=quarter_end),
                                             caption=panel.caption, caption_en=panel.caption_en)
            dashboard.title = f"{QUARTERLY['title']}（{zh}）"
            dashboard.title_en = f"{QUARTERLY['title_en']} ({en})"
            services.publish(publisher, dashboard)
            created += 1
        if services.featured_dashboard() is None:  # the secretariat's choice for the home page
            services.feature(None, dashboard)
        created += 1
    if OPERATIONS["slug"] not in existing:
        dashboard = services.create_dashboard(None, **OPERATIONS)
        _add_panels(dashboard, OPERATIONS_PANELS)
        services.publish(publisher, dashboard)
        created += 2
    return created

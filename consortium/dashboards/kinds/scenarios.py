"""Replication per group: the true funnel, the timeline by month and promotable
solutions against the group's target. Aggregate counts only."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.scenarios import queries
from consortium.scenarios.constants import SIDE_STAGES as SIDE
from consortium.scenarios.constants import STAGE_COLOURS, STAGE_LINE, STAGES

from .. import charts
from ..narrow import NARROWING
from ..panels import PanelKind, as_date, register



def collect_funnel(ctx, filters):
    return queries.replication_funnel(group=filters.get("group"), province=filters.get("province"),
                                      domain=filters.get("domain"), until=as_date(filters.get("date_to")))


def figure_funnel(data, locale):
    return charts.funnel([STAGES.label(s, locale) for s in STAGE_LINE], [data["reached"][s] for s in STAGE_LINE],
                         [STAGE_COLOURS[s] for s in STAGE_LINE], [STAGES.label(s, locale) for s in SIDE],
                         [data["side"][s] for s in SIDE], [STAGE_COLOURS[s] for s in SIDE])


def table_funnel(data, locale):
    rows = [[STAGES.label(s, locale), _("reached at least this stage"), data["reached"][s]] for s in STAGE_LINE]
    rows += [[STAGES.label(s, locale), _("standing at this stage now"), data["side"][s]] for s in SIDE]
    return [_("Stage"), _("Counted as"), _("Replications")], rows


def collect_timeline(ctx, filters):
    return queries.replication_timeline(group=filters.get("group"), province=filters.get("province"),
                                        domain=filters.get("domain"), since=as_date(filters.get("date_from")), until=as_date(filters.get("date_to")))


def figure_timeline(data, locale):
    names = {s: STAGES.label(s, locale) for s in data["series"]}
    return charts.stacked_months(data["months"], data["series"], names, STAGE_COLOURS, ytitle=_("Stage changes"))


def table_timeline(data, locale):
    stages = list(data["series"])
    return ([_("Month")] + [STAGES.label(s, locale) for s in stages],
            [[m, *[data["series"][s][i] for s in stages]] for i, m in enumerate(data["months"])])


def collect_promotable(ctx, filters):
    return {"groups": queries.promotable_by_group(group=filters.get("group"), domain=filters.get("domain"),
                                                  province=filters.get("province"))}


def figure_promotable(data, locale):
    groups = data["groups"]
    return charts.target_bars([charts.pick(g, "name", locale) for g in groups], [g["promotable"] for g in groups],
                              [g["target"] or 0 for g in groups])


def table_promotable(data, locale):
    return ([_("Group"), _("Seed scenarios"), _("Promotable solutions"), _("Target"), _("Target date"),
             _("Live cities needed")],
            [[charts.pick(g, "name", locale), g["scenarios"], g["promotable"], g["target"], g["target_date"], g["k"]]
             for g in data["groups"]])


register(PanelKind("replication_funnel", _l("Replication funnel"), collect_funnel, table_funnel, figure_funnel,
                   filters=NARROWING + ("date_to",), order=40,
                   description=_l("How many replications reached at least each stage; stalled and withdrawn apart. "
                                  "A domain counts the replications of the scenarios needing data of it; a province "
                                  "those of its members.")))
register(PanelKind("replication_timeline", _l("Replication timeline by month"), collect_timeline, table_timeline,
                   figure_timeline, filters=NARROWING + ("date_from", "date_to"), order=41))
register(PanelKind("promotable", _l("Promotable solutions against target"), collect_promotable, table_promotable,
                   figure_promotable, filters=NARROWING, order=42,
                   description=_l("A domain counts the scenarios needing data of it; a province the promotable "
                                  "solutions live there (a solution is promotable when live in K cities anywhere).")))

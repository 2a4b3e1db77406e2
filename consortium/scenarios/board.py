"""The lead's board: scenario × city matrix, funnel, timeline, stalled
replications, the weekly digest and the CSV/XLSX export. Queries fetch plain
columns (no ORM objects) so that a national board (≈13,000 replications)
stays fast."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.core.months import month_of
from consortium.core.weeks import Week
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from .constants import STAGES, label
from .digest import join_approvals, stage_events
from .models import GroupMembership, Replication, ReplicationEvent, Scenario


@dataclass(slots=True)
class Cell:
    replication_id: int
    stage: str
    last_event_on: date
    stalled: bool
    owner: str = ""
    next_step: str = ""
    blockers: str = ""


@dataclass
class Board:
    scenarios: list  # (id, title, title_en)
    cities: list  # (member_id, member name, city name, province name, province code)
    cells: dict  # (scenario_id, member_id) -> Cell
    funnel: dict  # stage -> count
    stalled: list = field(default_factory=list)  # (scenario title, member name, Cell)
    live_counts: dict = field(default_factory=dict)  # scenario_id -> live cities


def is_stalled(stage: str, last_event_on: date, stall_days: int, today: date) -> bool:
    """No event for N days, while still on the way (live and withdrawn never stall)."""
    return stage not in ("live", "withdrawn") and (today - last_event_on).days >= stall_days


def _rows(group, *, scenario_id=None, province=None, stage=None, full=False):
    """Plain replication columns of the group (no joins per row: member names come separately)."""
    cols = [Replication.id, Replication.scenario_id, Replication.member_id, Replication.stage,
            Replication.last_event_on]
    if full:
        cols += [Replication.owner, Replication.next_step, Replication.blockers]
    if scenario_id:
        stmt = select(*cols).where(Replication.scenario_id == scenario_id)
    else:
        stmt = select(*cols).where(Replication.scenario_id.in_(
            select(Scenario.id).where(Scenario.group_id == group.id).scalar_subquery()))
    if province:
        stmt = stmt.where(Replication.member_id.in_(
            select(Member.id).join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Province.code == province).scalar_subquery()))
    if stage and stage != "stalled_flag":  # the flag is applied after the stall rule
        stmt = stmt.where(Replication.stage == stage)
    return db.session.connection().execute(stmt).all()  # Core rows: no ORM result processing


def _member_places(locale: str | None = None) -> dict:
    """member id -> (member id, member name, city name, province name, province code), in English
    where the page is English and an English name exists."""
    rows = db.session.execute(select(Member.id, Member.name, City.name, Province.name, Province.code,
                                     Member.name_en, City.name_en, Province.name_en)
                              .join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id))
    if locale and locale.startswith("en"):
        return {r[0]: (r[0], r[5] or r[1], r[6] or r[2], r[7] or r[3], r[4]) for r in rows}
    return {r[0]: tuple(r[:5]) for r in rows}


def build_board(group, *, scenario_id=None, province=None, stage=None, today=None, full=False,
                locale=None) -> Board:
    today = today or local_today()
    n_days = group.stall_days or 60
    scenarios = db.session.execute(select(Scenario.id, Scenario.title, Scenario.title_en)
                                   .where(Scenario.group_id == group.id).order_by(Scenario.id)).all()
    if scenario_id:
        scenarios = [s for s in scenarios if s.id == scenario_id]
    english = bool(locale and locale.startswith("en"))
    titles = {s.id: (s.title_en if english and s.title_en else s.title) for s in scenarios}
    places = _member_places(locale)
    stall_before = today - timedelta(days=n_days)
    cells, cities, funnel, stalled, live = {}, {}, dict.fromkeys(STAGES, 0), [], {}
    for row in _rows(group, scenario_id=scenario_id, province=province, stage=stage, full=full):
        rid, sid, mid, st, last = row[:5]
        flag = st not in ("live", "withdrawn") and last <= stall_before  # is_stalled(), inlined
        if stage == "stalled_flag" and not (flag or st == "stalled"):
            continue
        cell = Cell(rid, st, last, flag, *(row[5:8] if full else ()))
        cells[(sid, mid)] = cell
        if mid not in cities:
            cities[mid] = places[mid]
        funnel[st] += 1
        if st == "live":
            live[sid] = live.get(sid, 0) + 1
        if flag or st == "stalled":
            stalled.append((titles.get(sid, ""), places[mid][1], cell))
    stalled.sort(key=lambda x: x[2].last_event_on)
    ordered = sorted(cities.values(), key=lambda c: (c[4], c[2], c[1]))
    return Board(scenarios=scenarios, cities=ordered, cells=cells, funnel=funnel, stalled=stalled,
                 live_counts=live)


def matrix_rows(board: Board, stage_labels: dict, replication_url: str, stalled_mark: str) -> list:
    """The matrix body, one ``<tr>`` per city, built here rather than in Jinja:
    a national board has 13,000 cells and a template loop costs ~10x more.
    Every text is escaped; ``replication_url`` ends where the id goes."""
    url = str(escape(replication_url))
    mark = str(escape(stalled_mark))
    labels = {code: str(escape(str(label))) for code, label in stage_labels.items()}
    scenario_ids = [s.id for s in board.scenarios]
    cells = board.cells
    rows = []
    for mid, member, city, province, _code in board.cities:
        parts = [f'<tr><th scope="row">{escape(city)}<div class="small text-muted fw-normal">{escape(member)}</div></th>'
                 f'<td class="small">{escape(province)}</td>']
        for sid in scenario_ids:
            c = cells.get((sid, mid))
            if c is None:
                parts.append("<td></td>")
            elif c.stalled:
                parts.append(f'<td class="st st-{c.stage} stalled-flag" data-stage="{c.stage}">'
                             f'<a href="{url}{c.replication_id}" title="{mark}">{labels[c.stage]} ⚠</a></td>')
            else:
                parts.append(f'<td class="st st-{c.stage}" data-stage="{c.stage}">'
                             f'<a href="{url}{c.replication_id}">{labels[c.stage]}</a></td>')
        parts.append("</tr>")
        rows.append("".join(parts))
    return Markup("\n".join(rows))


def timeline(group, *, scenario_id=None, province=None, since=None, stage=None,
             replication_ids=None) -> list[tuple]:
    """Stage changes per month and target stage: [(YYYY-MM, stage, count)], of the replications
    standing at ``stage`` when given; limited to ``replication_ids`` when given (the board's
    stalled filter, which the stall rule decides)."""
    month = month_of(ReplicationEvent.occurred_on)
    stmt = (select(month, ReplicationEvent.to_stage, func.count(ReplicationEvent.id))
            .join(Replication, Replication.id == ReplicationEvent.replication_id)
            .where((ReplicationEvent.from_stage.is_(None)) | (ReplicationEvent.from_stage != ReplicationEvent.to_stage))
            .group_by(month, ReplicationEvent.to_stage))
    if scenario_id:
        stmt = stmt.where(Replication.scenario_id == scenario_id)
    else:
        stmt = stmt.where(Replication.scenario_id.in_(
            select(Scenario.id).where(Scenario.group_id == group.id).scalar_subquery()))
    if province:
        stmt = stmt.where(Replication.member_id.in_(
            select(Member.id).join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Province.code == province).scalar_subquery()))
    if since:
        stmt = stmt.where(ReplicationEvent.occurred_on >= since)
    if stage:
        stmt = stmt.where(Replication.stage == stage)
    if replication_ids is not None:
        stmt = stmt.where(Replication.id.in_(list(replication_ids) or [0]))
    return sorted(tuple(r) for r in db.session.connection().execute(stmt))


def weekly_digest(group, week: Week, today=None) -> dict:
    """What the lead reads once a week: the week's stage changes and notes and its new members
    (by their own dates: ``scenarios.digest``, as the personal digest lists them), stalled
    replications and join requests waiting for a decision (as they are today)."""
    today = today or local_today()
    board = build_board(group, today=today, full=True)
    pending = db.session.scalars(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.status == "pending")).all()
    return {"week": week, "changes": stage_events(week, group_ids=[group.id]),
            "approvals": join_approvals(week, [group.id]), "stalled": board.stalled, "pending": pending,
            "today": today, "funnel": board.funnel}


# ---------------------------------------------------------------- export

EXPORT_HEADER = ("scenario", "member", "city", "province", "stage", "last_event_on", "stalled",
                 "owner", "next_step", "blockers")


def export_rows(group, locale="zh_CN", **filters):
    board = build_board(group, full=True, **filters)
    names = {s.id: (s.title_en if locale == "en" and s.title_en else s.title) for s in board.scenarios}
    cities = {c[0]: c for c in board.cities}
    rows = []
    for (sid, mid), cell in sorted(board.cells.items(), key=lambda kv: (kv[0][0], cities[kv[0][1]][2])):
        c = cities[mid]
        rows.append([names.get(sid, ""), c[1], c[2], c[3], label(STAGES, cell.stage),
                     cell.last_event_on, _("yes") if cell.stalled else _("no"), cell.owner,
                     cell.next_step, cell.blockers])
    return rows

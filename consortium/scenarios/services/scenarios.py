"""Seed scenarios: what a scenario needs (kinds of data, named resource-map entries),
its circulation modes and maturity. The fields, their limits and vocabularies are the
definition's (``schemas.ScenarioFields``); the rules here are what it needs, the entries it
may name and an active origin member."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from consortium.audit.services import set_actor
from consortium.catalog.constants import DOMAINS, mask_from_modes
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import can_view as can_view_resource
from consortium.catalog.permissions import visible_clause
from consortium.core.entity import clean_values
from consortium.core.exceptions import DomainError
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db

from .. import permissions
from ..models import Scenario, ScenarioNeed
from ..queries import visible_resources as visible_resources  # re-exported: views read it here
from ..schemas import ScenarioFields
from .common import _require


def _domain_code(value: str) -> str | None:
    value = value.strip()
    if value in DOMAINS:
        return value
    return DOMAINS.find(value)


def parse_needs(text: str) -> list[tuple[str, str, str]]:
    """One need per line: ``名称 | 领域 | 关键词`` (keyword optional; defaults to the
    name without a trailing 数据) — the form's rows joined so, or an API client's text. Raises
    DomainError naming the bad need."""
    needs = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 2 or not parts[0]:
            raise DomainError(_("Need %(n)d: give its name and its domain.", n=number), field="needs")
        domain = _domain_code(parts[1])
        if domain is None:
            raise DomainError(_("Need %(n)d: unknown domain %(d)s.", n=number, d=parts[1] or "—"), field="needs")
        keyword = parts[2] if len(parts) > 2 and parts[2] else re.sub(r"数据$", "", parts[0])
        needs.append((domain, parts[0][:120], keyword[:60]))
    return needs


def _domain_need_label(domain: str) -> str:
    return f"{DOMAINS[domain].zh}数据" if domain in DOMAINS else domain


def _resources(actor, ids, scenario=None) -> list[DataResource]:
    """The entries to link: each must be visible to the actor. Entries already linked
    that the actor cannot see (retired since, or of a member they cannot read) stay
    linked untouched: the actor never saw them, so cannot have meant to drop them."""
    ids = sorted({int(i) for i in ids})
    kept = [r for r in (scenario.resources if scenario is not None and scenario.id else [])
            if not can_view_resource(actor, r)]
    if not ids:
        return kept
    found = db.session.scalars(select(DataResource).where(DataResource.id.in_(ids),
                                                          visible_clause(actor))).all()
    if len(found) != len(ids):
        raise DomainError(_("Some resource-map entries do not exist or are not visible to you."),
                          field="resource_ids")
    return list(dict.fromkeys(found + kept))


def _apply_scenario(actor, scenario, *, needs, resource_ids=(), is_illustrative=None, modes=None, **fields):
    """``fields``: the definition's (``modes`` is the older name of circulation_modes); those not
    given keep their value (a new scenario: maturity 'pilot')."""
    if modes is not None:
        fields["circulation_modes"] = modes
    if scenario.id is None:
        fields.setdefault("maturity", "pilot")
    clean = clean_values(ScenarioFields, fields)
    title = clean.get("title", scenario.title)
    if not title:
        raise DomainError(_("A title is required."), field="title")
    origin_member = clean.get("origin_member")
    if origin_member is not None and not origin_member.is_active:
        raise DomainError(_("The origin member is not active."), field="origin_member")
    resources = _resources(actor, resource_ids, scenario)
    if not needs and not resources:
        raise DomainError(_("Name at least one kind of data the scenario needs."), field="needs")
    for key, value in clean.items():
        if key == "circulation_modes":
            scenario.circulation_mask = mask_from_modes(value)
        else:
            setattr(scenario, key, value)
    if is_illustrative is not None:
        scenario.is_illustrative = bool(is_illustrative)
    scenario.resources = resources
    scenario.needs = [ScenarioNeed(domain=d, label=lab, keyword=kw) for d, lab, kw in needs]
    for r in resources:  # a named entry is also a need of its domain; its title is never copied
        if not any(n.domain == r.domain for n in scenario.needs):  # (it may be or become non-public)
            scenario.needs.append(ScenarioNeed(domain=r.domain, label=_domain_need_label(r.domain), keyword=""))


def create_scenario(actor, group, **fields) -> Scenario:
    _require(actor is None or permissions.can_edit_scenario(actor, group),
             _l("Only the group's lead adds scenarios."))
    set_actor(actor)
    scenario = Scenario(group=group)
    with db.session.no_autoflush:
        _apply_scenario(actor, scenario, **fields)
    db.session.add(scenario)
    db.session.flush()
    return scenario


def update_scenario(actor, scenario, expected_version=UNCHECKED, **fields) -> Scenario:
    _require(permissions.can_edit_scenario(actor, scenario.group), _l("Only the group's lead edits scenarios."))
    check_version(scenario, expected_version)
    set_actor(actor)
    with db.session.no_autoflush:
        _apply_scenario(actor, scenario, **fields)
    db.session.flush()
    return scenario


def get_scenario(scenario_id: int) -> Scenario | None:
    return db.session.get(Scenario, scenario_id)


def list_scenarios(group=None, q=None):
    stmt = select(Scenario).order_by(Scenario.group_id, Scenario.id)
    if group is not None:
        stmt = stmt.where(Scenario.group_id == group.id)
    if q:
        stmt = stmt.where(or_(Scenario.title.contains(q, autoescape=True),
                              Scenario.title_en.contains(q, autoescape=True)))
    return stmt


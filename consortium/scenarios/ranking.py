"""Where next: rank the member cities that do not yet replicate a scenario by
how ready they are, from their resource-map entries and the related
scenarios they already run. Each rank comes with its reasons."""
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from consortium.catalog.constants import CIRCULATION_MODES, FREQUENCIES, label, modes_from_mask
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import visible_clause
from consortium.catalog.search import normalise, query_terms, text_clause
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from .models import Replication, Scenario

COVERAGE_WEIGHT = 80  # share of the needs covered in a compatible circulation mode
RELATED_WEIGHT = 20  # related scenarios already run (two or more = full weight)
WRONG_MODE_CREDIT = 0.25  # the data exists but only in a mode the scenario cannot use


@dataclass
class Reason:
    """An entry that meets a need, and why: its domain is the need's and the need's word is in its
    title, its keywords or its fields (``matched``: "title", "keywords", "fields"; "domain" alone
    when the need has no word)."""
    need: str
    resource_title: str = ""
    frequency: str = ""
    modes: list = field(default_factory=list)
    resource_id: int | None = None
    matched: list = field(default_factory=list)
    domain: str = ""


_TAGS = re.compile(r"[,，、;；]")  # how an entry's keywords are separated


def meets(terms: list[str], title: str, keywords: str, fields) -> list[str]:
    """Where a need's words (``query_terms``) name an entry's data: every word in its title, in one of
    its keywords, or in its fields (names and descriptions) — the places that say what the data is.
    A word found only in the description (地铁客流 "各线路、各站点…") does not make the entry that data.
    No words: the domain alone meets the need."""
    if not terms:
        return ["domain"]
    tags = [normalise(k.strip()) for k in _TAGS.split(keywords or "") if k.strip()]
    field_texts = [normalise(f"{f.get('name', '')} {f.get('description', '')}") for f in (fields or [])
                   if isinstance(f, dict)]
    places = []
    for place, texts in (("title", [normalise(title)] if title else []), ("keywords", tags), ("fields", field_texts)):
        if texts and all(any(term in text for text in texts) for term in terms):
            places.append(place)
    return places


def _assign(per_need: list[list[Reason]], compatible: dict) -> dict[int, Reason]:
    """need index -> the entry that meets it, each entry used at most once (a scenario's needs are
    met by different data): as many needs as possible in a usable circulation mode, then the rest
    with what is left in another mode. Within a need, an entry named in its title is tried first."""
    def ordered(reasons):
        return sorted(reasons, key=lambda r: ("title" not in r.matched, r.resource_id))

    owner: dict[int, int] = {}  # resource id -> need index

    def augment(i, seen, usable) -> bool:  # an augmenting path (Kuhn): needs are few, so is the recursion
        for r in ordered(per_need[i]):
            if r.resource_id in seen or not usable(r):
                continue
            seen.add(r.resource_id)
            if r.resource_id not in owner or augment(owner[r.resource_id], seen, usable):
                owner[r.resource_id] = i
                return True
        return False

    for i in range(len(per_need)):
        augment(i, set(), lambda r: compatible[r.resource_id])
    matched = set(owner.values())
    for i in range(len(per_need)):
        if i not in matched:
            spare = [r for r in ordered(per_need[i]) if r.resource_id not in owner]
            if spare:
                owner[spare[0].resource_id] = i
    return {i: next(r for r in per_need[i] if r.resource_id == rid) for rid, i in owner.items()}


@dataclass
class Candidate:
    member_id: int
    member_code: str
    member_name: str
    city: str
    province: str
    province_code: str
    score: float = 0.0
    has: list = field(default_factory=list)  # Reason
    wrong_mode: list = field(default_factory=list)  # Reason
    lacks: list = field(default_factory=list)  # need labels
    related: list = field(default_factory=list)  # scenario titles


def _needs(scenario):
    return [(n.domain, n.label, n.keyword) for n in scenario.needs]


def where_next(actor, scenario, *, limit=None, province=None, locale="zh_CN") -> list[Candidate]:
    """Member data groups with no replication of the scenario, best prepared first."""
    already = select(Replication.member_id).where(Replication.scenario_id == scenario.id)
    english = locale.startswith("en")  # names as the page's language has them (Chinese where no English one)
    stmt = (select(Member.id, Member.code, Member.name, City.name, Province.name, Province.code,
                   Member.name_en, City.name_en, Province.name_en)
            .join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Member.status == "active", Member.kind == "data_group", Member.id.not_in(already)))
    if province:
        stmt = stmt.where(Province.code == province)
    candidates = {}
    for mid, code, name, city, prov, prov_code, name_en, city_en, prov_en in db.session.execute(stmt):
        if english:
            name, city, prov = name_en or name, city_en or city, prov_en or prov
        candidates[mid] = Candidate(mid, code, name, city, prov, prov_code)
    if not candidates:
        return []

    needs = _needs(scenario)
    mask = scenario.circulation_mask or 0
    visible = visible_clause(actor)
    member_ids = list(candidates)
    entries = {}   # resource id -> (compatible, frequency code, mode mask): labels only for the chosen ones
    options: dict[int, list[list]] = {m: [[] for _ in needs] for m in candidates}  # member -> per need: Reason
    for i, (domain, need_label, keyword) in enumerate(needs):
        terms = query_terms(keyword)
        q = (select(DataResource.id, DataResource.member_id, DataResource.title, DataResource.keywords,
                    DataResource.frequency, DataResource.circulation_mask)
             .where(visible, DataResource.domain == domain, DataResource.member_id.in_(member_ids)))
        if terms:  # the resource map's own matcher finds the candidates (same on SQLite and PostgreSQL) …
            q = q.where(text_clause(terms))
        unnamed = {}  # found only elsewhere than the title and keywords: their fields are read next
        for rid, mid, title, keywords, freq, rmask in db.session.execute(q.order_by(DataResource.id)):
            entries[rid] = (not mask or bool((rmask or 0) & mask), freq, rmask or 0)
            matched = meets(terms, title, keywords, None)
            if matched:
                options[mid][i].append(Reason(need_label, title, resource_id=rid, matched=matched, domain=domain))
            else:
                unnamed[rid] = (mid, title)
        ids = list(unnamed)
        for start in range(0, len(ids), 900):  # … and the need is met only where its word names the data
            for rid, fields in db.session.execute(select(DataResource.id, DataResource.schema_fields)
                                                  .where(DataResource.id.in_(ids[start:start + 900]))):
                if fields and meets(terms, "", "", fields):
                    mid, title = unnamed[rid]
                    options[mid][i].append(Reason(need_label, title, resource_id=rid, matched=["fields"],
                                                  domain=domain))

    related = db.session.execute(
        select(Replication.member_id, Scenario.title, Scenario.title_en)
        .join(Scenario, Scenario.id == Replication.scenario_id)
        .where(Scenario.group_id == scenario.group_id, Scenario.id != scenario.id,
               Replication.stage != "withdrawn", Replication.member_id.in_(list(candidates)))
        .order_by(Scenario.id)).all()
    for member_id, title, title_en in related:
        candidates[member_id].related.append(title_en if english and title_en else title)

    compatible = {rid: e[0] for rid, e in entries.items()}
    for cand in candidates.values():
        assigned = _assign(options[cand.member_id], compatible)
        covered = 0.0
        for i, (_domain, need_label, _kw) in enumerate(needs):
            reason = assigned.get(i)
            if reason is None:
                cand.lacks.append(need_label)
                continue
            _ok, freq, rmask = entries[reason.resource_id]
            reason.frequency = label(FREQUENCIES, freq, locale)
            reason.modes = [label(CIRCULATION_MODES, m, locale) for m in modes_from_mask(rmask)]
            if compatible[reason.resource_id]:
                cand.has.append(reason)
                covered += 1
            else:
                cand.wrong_mode.append(reason)
                covered += WRONG_MODE_CREDIT
        share = covered / len(needs) if needs else 0
        cand.score = round(COVERAGE_WEIGHT * share + RELATED_WEIGHT * min(len(cand.related), 2) / 2, 1)
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, -len(c.has), c.province_code, c.member_name))
    return ranked[:limit] if limit else ranked

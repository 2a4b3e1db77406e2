"""The definition the search must equal, kept out of production code: every query term is a
plain substring of the entry's searchable text (ASCII letters case-insensitively)."""
from consortium.catalog.constants import DOMAINS
from consortium.catalog.search.text import normalise, query_terms
from consortium.core.vocab import msgid
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member


def searchable_text(resource) -> str:
    """Written out independently of the engine: every part, one per line."""
    member = db.session.get(Member, resource.member_id)
    city = db.session.get(City, resource.city_id)
    province = db.session.get(Province, city.province_id)
    zh, en = DOMAINS[resource.domain].zh, msgid(DOMAINS[resource.domain].en)
    parts = [resource.title, resource.description, resource.keywords, resource.department, zh, en,
             city.name, city.name_en, province.name, province.name_en, member.name, member.name_en]
    return "\n".join(p or "" for p in parts)


def substring_oracle(resource, q: str) -> bool:
    text = normalise(searchable_text(resource))
    return all(term in text for term in query_terms(q))

"""Search parameters: parsing and checking request arguments, shareable URLs."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.members.models import Member

from .. import extras
from ..constants import CIRCULATION_MODES, DOMAINS, FACETS, FREQUENCIES, OPENNESS
from .columns import geo
from .text import query_terms

SORTS = ("updated", "newest", "title", "records")
MAX_QUERY_LENGTH = 100
MAX_PER_PAGE = 100


@dataclass
class SearchParams:
    q: str = ""
    province: str | None = None    # province code, e.g. "37"
    city: str | None = None        # city adcode, e.g. "370200"
    member: str | None = None      # member code
    domain: str | None = None      # DOMAINS code
    mode: str | None = None        # CIRCULATION_MODES code
    openness: str | None = None    # OPENNESS code
    frequency: str | None = None   # FREQUENCIES code
    sort: str = "updated"
    page: int = 1
    per_page: int = 20
    # filters other domains add (catalog.signals.extra_filters): ((name, canonical value), ...) by name
    extra: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_args(cls, args) -> SearchParams:
        """From request.args (or any mapping). Bad values raise DomainError naming the parameter."""
        def get(name):
            value = args.get(name)
            return value.strip() if isinstance(value, str) else value

        def unknown(name, value):
            return DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name=name, value=value),
                               field=name)

        def whole(name, default, maximum):
            raw = get(name)
            if raw in (None, ""):
                return default
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise DomainError(_("Parameter %(name)s must be a whole number.", name=name), field=name) from None
            if value < 1 or value > maximum:
                raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
            return value

        q = get("q") or ""
        if len(q) > MAX_QUERY_LENGTH:
            raise DomainError(_("The search text may have at most %(n)d characters.", n=MAX_QUERY_LENGTH),
                              field="q")
        values = {}
        for name, vocabulary in (("domain", DOMAINS), ("mode", CIRCULATION_MODES), ("openness", OPENNESS),
                                 ("frequency", FREQUENCIES)):
            value = get(name) or None
            if value is not None and value not in vocabulary:
                raise unknown(name, value)
            values[name] = value
        province = get("province") or None
        if province is not None and province not in geo().province_id_by_code:
            raise unknown("province", province)
        city = get("city") or None
        if city is not None and city not in geo().city_id_by_adcode:
            raise unknown("city", city)
        member = get("member") or None
        if member is not None and member_id(member) is None:
            raise unknown("member", member)
        sort = get("sort") or "updated"
        if sort not in SORTS:
            raise unknown("sort", sort)
        extra = []
        for name, extra_filter in sorted(extras.filters().items()):
            raw = get(name)
            if raw in (None, ""):
                continue
            try:
                extra.append((name, extra_filter.parse(str(raw))))
            except (ValueError, LookupError):
                raise unknown(name, raw) from None
        default_per_page = current_app.config.get("PER_PAGE", 20)
        return cls(q=q, province=province, city=city, member=member, sort=sort,
                   page=whole("page", 1, 10**6), per_page=whole("per_page", default_per_page, MAX_PER_PAGE),
                   extra=tuple(extra), **values)

    def to_args(self, **changes) -> dict:
        """The non-default values as URL arguments (shareable URLs); ``changes`` override
        (an extra filter by its parameter name, e.g. ``space=None``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        data.update(self.extra)
        data.update(changes)
        defaults = SearchParams()
        return {k: v for k, v in data.items()
                if v not in (None, "") and not (k in ("sort", "page") and v == getattr(defaults, k))}

    @property
    def terms(self) -> list[str]:
        return query_terms(self.q)

    @property
    def filters(self) -> dict:
        """The search's own facet filters chosen (extra filters: ``extra``)."""
        return {f: getattr(self, f) for f in FACETS if getattr(self, f)}

    @property
    def filter_count(self) -> int:
        return len(self.filters) + len(self.extra)

    def extra_value(self, name: str) -> str | None:
        return dict(self.extra).get(name)

    def without_extra(self, name: str) -> SearchParams:
        return replace(self, extra=tuple((n, v) for n, v in self.extra if n != name))


def member_id(code: str) -> int | None:
    return db.session.scalar(select(Member.id).where(Member.code == code))



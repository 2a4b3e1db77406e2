"""A record in the source's terms → an entry's fields in the portal's, with the source's
vocabulary maps. A controlled value is taken when the map names it, or when it already is one
of the portal's own (its code, its Chinese or English label, or the EU vocabulary IRI the
portal maps it to, when exactly one term has it); anything else is reported, never guessed."""
import hashlib
import json
import unicodedata

from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, LICENCES, OPENNESS
from consortium.catalog.services import clean_fields
from consortium.core.exceptions import DomainError

from .constants import MAPPED_FIELDS, NO_VALUE
from .reasons import Reason, record_reason, refusal

VOCABULARIES = {"domain": DOMAINS, "openness": OPENNESS, "frequency": FREQUENCIES,
                "circulation_modes": CIRCULATION_MODES, "licence": LICENCES}
REQUIRED = ("domain", "frequency", "openness")
MAX_CODE = 60


def _own_term(vocabulary, value: str) -> str | None:
    code = vocabulary.find(value)
    if code is not None:
        return code
    by_uri = [t.code for t in vocabulary.values() if t.uri and t.uri.rstrip("/") == value.rstrip("/")]
    return by_uri[0] if len(by_uri) == 1 else None


def _map_one(fld: str, candidates: list[str], mapping: dict):
    """The portal's code(s) for a source value named by ``candidates`` (its IRI, its labels), or None."""
    vocabulary = VOCABULARIES[fld]
    for value in candidates:
        if value in mapping:
            return mapping[value]
    for value in candidates:
        code = _own_term(vocabulary, value)
        if code is not None:
            return code
    return None


def _valid_targets(fld: str, target) -> list[str] | None:
    targets = target if isinstance(target, list) else [target]
    if any(t not in VOCABULARIES[fld] for t in targets):
        return None
    return targets



def map_controlled(raw: dict, maps: dict, cache: dict | None = None) -> tuple[dict, list[Reason]]:
    """The mapped controlled fields of one record and the problems (unmapped or missing values).
    ``cache``: a dict kept over the records of one run (same maps, same language), so that each
    distinct source value is looked up once."""
    cache = {} if cache is None else cache

    def map_one(fld, candidates):
        key = (fld, tuple(candidates))
        if key not in cache:
            cache[key] = _map_one(fld, candidates, maps.get(fld) or {})
        return cache[key]
    out, problems = {}, []
    for fld in MAPPED_FIELDS:
        mapping = maps.get(fld) or {}
        multiple = fld == "circulation_modes"
        if fld not in raw or not raw[fld]:
            if NO_VALUE in mapping:
                targets = _valid_targets(fld, mapping[NO_VALUE])
                if targets is not None:
                    out[fld] = targets if multiple else targets[0]
                    continue
            if fld in REQUIRED:
                problems.append(record_reason("no_value", field=fld))
            else:
                out[fld] = [] if multiple else ""
            continue
        if multiple:  # every value of the list maps on its own
            codes = []
            for value in raw[fld]:
                targets = _valid_targets(fld, map_one(fld, [value]))
                if targets is None:
                    problems.append(record_reason("unmapped", value=value[:80], field=fld))
                else:
                    codes += [t for t in targets if t not in codes]
            out[fld] = codes
            continue
        targets = _valid_targets(fld, map_one(fld, raw[fld]))
        if targets is None:
            problems.append(record_reason("unmapped", value=raw[fld][0][:80], field=fld))
        else:
            out[fld] = targets[0]
    return out, problems


def entry_fields(record, maps: dict, cache: dict | None = None) -> tuple[dict | None, list[Reason]]:
    """(the entry's fields, checked by the catalogue's own rules, or None; the problems, as reasons)."""
    problems = list(record.problems)
    values = {k: v for k, v in record.values.items() if v is not None or k.startswith("temporal")}
    if not record.mapped:
        controlled, more = map_controlled(record.raw, maps, cache)
        values.update(controlled)
        problems += more
    if not (values.get("title") or "").strip():
        problems.append(record_reason("no_title"))
    if problems:
        return None, problems
    values = {k: v for k, v in values.items() if v is not None}
    try:
        return clean_fields(values), []
    except DomainError as e:
        return None, [refusal(e, lambda: refused(clean_fields, values))]


def refused(check, *args, **kwargs) -> DomainError | None:
    """The DomainError ``check(*args, **kwargs)`` raises, or None."""
    try:
        check(*args, **kwargs)
    except DomainError as e:
        return e
    return None


def content_hash(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def code_for(source_id: int, remote_id: str) -> str:
    """The entry's resource code: the remote identifier when it can be one, else a stable digest of it."""
    if len(remote_id) <= MAX_CODE and not any(ch.isspace() or unicodedata.category(ch).startswith("C")
                                              for ch in remote_id):
        return remote_id
    return f"H{source_id}-" + hashlib.sha1(remote_id.encode()).hexdigest()[:20]

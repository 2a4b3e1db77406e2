"""Reading a source into records: DCAT-AP (rdflib; Turtle, JSON-LD or RDF/XML, Hydra paging
followed), CKAN's Action API (``package_search``, paged) and a spreadsheet in the portal's
import template (the import's own reader). Every reader returns ``Record``s whose controlled
values are still the source's own (``raw``), mapped later by the source's vocabulary maps;
a source that cannot be read as a whole raises ``SourceError``."""
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit, parse_qsl

from flask import current_app
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from consortium.catalog.constants import modes_from_mask
from consortium.catalog.imports import UploadRejected, parse_upload

from . import fetch
from .fetch import NO_DEADLINE, Deadline, SourceError
from .reasons import Reason, in_each_language, record_reason

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
HYDRA_OLD = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CKAN_ROWS = 1000


@dataclass
class Record:
    remote_id: str
    title: str = ""
    values: dict = field(default_factory=dict)   # entry fields already in the portal's terms
    raw: dict = field(default_factory=dict)      # mapped field -> [the source's values]; absent: not given
    problems: list = field(default_factory=list)  # reasons the record cannot be used as it is
    mapped: bool = False                          # spreadsheet rows: the import already mapped them


def _max_pages() -> int:
    return int(current_app.config.get("HARVEST_MAX_PAGES", 500))


# ------------------------------------------------------------------ DCAT

RDF_FORMATS = (("turtle", ("turtle", "n3", ".ttl")), ("json-ld", ("json", ".jsonld")),
               ("xml", ("rdf+xml", "xml", ".rdf")))


def _rdf_format(content_type: str, url: str) -> list[str]:
    """The formats to try, the one the answer names first."""
    hint = (content_type or "").lower() + " " + urlsplit(url).path.lower()
    first = [name for name, marks in RDF_FORMATS if any(m in hint for m in marks)]
    return first + [name for name, _m in RDF_FORMATS if name not in first]


def _parse_rdf(body: bytes, content_type: str, url: str) -> Graph:
    for fmt in _rdf_format(content_type, url):
        g = Graph()
        try:
            g.parse(data=body, format=fmt, publicID=url)
            return g
        except Exception:  # rdflib raises many kinds; the next format is tried, then the run fails
            continue
    raise SourceError(Reason("not_rdf", url=url))


def _text(g, node, predicate) -> str:
    """A literal in Chinese, else without language, else any."""
    values = [o for o in g.objects(node, predicate) if isinstance(o, Literal)]
    for wanted in ("zh", "zh-cn", "zh-hans", None):
        for v in values:
            if (v.language or None) == wanted or (wanted and (v.language or "").lower() == wanted):
                return str(v).strip()
    return str(values[0]).strip() if values else ""


def _candidates(g, node) -> list[str]:
    """How a controlled value may be named: its IRI (or literal), then its labels."""
    out = [str(node).strip()]
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDF.value):
        out += [str(o).strip() for o in g.objects(node, predicate) if isinstance(o, Literal)]
    return [v for v in out if v]


def _day(value) -> date | None:
    if value is None:
        return None
    v = value.toPython() if isinstance(value, Literal) else value
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _dcat_record(g: Graph, ds) -> Record:
    remote_id = _text(g, ds, DCTERMS.identifier) or str(ds)
    rec = Record(remote_id=remote_id, title=_text(g, ds, DCTERMS.title))
    v = rec.values
    v["title"] = rec.title
    v["description"] = _text(g, ds, DCTERMS.description)
    v["keywords"] = ",".join(sorted({str(k).strip() for k in g.objects(ds, DCAT.keyword) if str(k).strip()}))
    for fld, predicate in (("domain", DCAT.theme), ("frequency", DCTERMS.accrualPeriodicity),
                           ("openness", DCTERMS.accessRights), ("licence", DCTERMS.license)):
        nodes = list(g.objects(ds, predicate))
        if fld == "licence" and not nodes:
            nodes = [o for dist in g.objects(ds, DCAT.distribution) for o in g.objects(dist, DCTERMS.license)][:1]
        if nodes:
            rec.raw[fld] = [c for n in sorted(nodes, key=str)[:1] for c in _candidates(g, n)]
    for predicate in (DCTERMS.creator, DCTERMS.publisher):
        agent = next(iter(g.objects(ds, predicate)), None)
        if agent is not None:
            v["department"] = _text(g, agent, FOAF.name) or (str(agent) if isinstance(agent, Literal) else "")
            if v["department"]:
                break
    contact = next(iter(g.objects(ds, DCAT.contactPoint)), None)
    if contact is not None:
        v["contact_name"] = _text(g, contact, VCARD.fn)
        email = next(iter(g.objects(contact, VCARD.hasEmail)), None)
        if email is not None:
            v["contact_email"] = str(email).removeprefix("mailto:")
        phone = next(iter(g.objects(contact, VCARD.hasTelephone)), None)
        if phone is not None:
            phone = next(iter(g.objects(phone, VCARD.hasValue)), phone)
            v["contact_phone"] = str(phone).removeprefix("tel:")[:40]
    formats, download = [], ""
    for dist in sorted(g.objects(ds, DCAT.distribution), key=str):
        for predicate in (DCTERMS.format, DCAT.mediaType):
            for fmt in g.objects(dist, predicate):
                word = str(fmt).rstrip("/").rsplit("/", 1)[-1].upper()
                if word and word not in formats:
                    formats.append(word)
                break
        url = next(iter(g.objects(dist, DCAT.downloadURL)), None)
        if url is not None and not download:
            download = str(url)
    v["formats"] = ",".join(formats[:10])
    v["download_url"] = download
    v["data_updated_on"] = _day(next(iter(g.objects(ds, DCTERMS.modified)), None))
    period = next(iter(g.objects(ds, DCTERMS.temporal)), None)
    if period is not None:
        v["temporal_start"] = _day(next(iter(g.objects(period, DCAT.startDate)), None))
        v["temporal_end"] = _day(next(iter(g.objects(period, DCAT.endDate)), None))
    return rec


def _next_page(g: Graph) -> str | None:
    for predicate in (HYDRA.next, HYDRA.nextPage, URIRef("http://www.w3.org/ns/hydra/core#nextPage")):
        for target in g.objects(None, predicate):
            return str(target)
    return None


def read_dcat(url: str, limit: int | None = None, progress=None, deadline: Deadline = NO_DEADLINE) -> list[Record]:
    records, seen_pages = [], set()
    page_url = url
    while page_url:
        if page_url in seen_pages:
            raise SourceError(Reason("paging_loop", url=page_url))
        if len(seen_pages) >= _max_pages():
            raise SourceError(Reason("too_many_pages", n=_max_pages()))
        seen_pages.add(page_url)
        body, content_type, final = fetch.get(page_url, "text/turtle, application/ld+json, application/rdf+xml;q=0.9",
                                              deadline)
        g = _parse_rdf(body, content_type, final)
        deadline.check()
        for ds in sorted(set(g.subjects(RDF.type, DCAT.Dataset)), key=str):
            records.append(_dcat_record(g, ds))
        if progress:
            progress(len(records))
        if limit is not None and len(records) >= limit:
            return records[:limit]
        following = _next_page(g)
        page_url = urljoin(final, following) if following else None
    return records


# ------------------------------------------------------------------ CKAN

def _ckan_endpoint(url: str) -> str:
    if "/api/3/action/package_search" in url or "/api/action/package_search" in url:
        return url
    return urljoin(url.rstrip("/") + "/", "api/3/action/package_search")


def _with_params(url: str, **params) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


EXTRA_KEYS = {"frequency": ("frequency", "accrual_periodicity", "update_frequency", "更新频率"),
              "openness": ("access_rights", "openness", "open_type", "开放属性", "开放类型"),
              "domain": ("theme", "domain", "领域", "所属领域"),
              "circulation_modes": ("circulation_modes", "流通模式")}


def _ckan_record(pkg: dict) -> Record:
    if not isinstance(pkg, dict):
        return Record(remote_id="", problems=[record_reason("not_object")])
    remote_id = str(pkg.get("id") or pkg.get("name") or "").strip()
    rec = Record(remote_id=remote_id, title=str(pkg.get("title") or pkg.get("name") or "").strip())
    v = rec.values
    v["title"] = rec.title
    v["description"] = str(pkg.get("notes") or "").strip()
    tags = [str(t.get("display_name") or t.get("name") or "").strip() for t in pkg.get("tags") or []
            if isinstance(t, dict)]
    v["keywords"] = ",".join(t for t in tags if t)
    extras = {str(e.get("key", "")).strip().lower(): e.get("value") for e in pkg.get("extras") or []
              if isinstance(e, dict)}
    for fld, keys in EXTRA_KEYS.items():
        for key in keys:
            if extras.get(key) not in (None, ""):
                value = extras[key]
                rec.raw[fld] = [str(x).strip() for x in value] if isinstance(value, list) else (
                    [x.strip() for x in str(value).replace("，", ",").split(",") if x.strip()]
                    if fld == "circulation_modes" else [str(value).strip()])
                break
    if "domain" not in rec.raw:
        groups = [g for g in pkg.get("groups") or [] if isinstance(g, dict)]
        if groups:
            rec.raw["domain"] = [str(groups[0].get(k)).strip() for k in ("name", "title", "display_name")
                                 if groups[0].get(k)]
    if pkg.get("license_id") or pkg.get("license_title") or pkg.get("license_url"):
        rec.raw["licence"] = [str(pkg.get(k)).strip() for k in ("license_id", "license_url", "license_title")
                              if pkg.get(k)]
    org = pkg.get("organization") if isinstance(pkg.get("organization"), dict) else {}
    v["department"] = str(pkg.get("author") or org.get("title") or "").strip()[:120]
    v["contact_name"] = str(pkg.get("maintainer") or "").strip()
    v["contact_email"] = str(pkg.get("maintainer_email") or pkg.get("author_email") or "").strip()
    formats, download = [], ""
    for res in pkg.get("resources") or []:
        if not isinstance(res, dict):
            continue
        word = str(res.get("format") or "").strip().upper()
        if word and word not in formats:
            formats.append(word)
        if not download and str(res.get("url") or "").startswith(("http://", "https://")):
            download = str(res["url"]).strip()
    v["formats"] = ",".join(formats[:10])
    v["download_url"] = download
    v["data_updated_on"] = _day(str(pkg.get("metadata_modified") or "")[:10] or None)
    return rec


def read_ckan(url: str, limit: int | None = None, progress=None, deadline: Deadline = NO_DEADLINE) -> list[Record]:
    endpoint = _ckan_endpoint(url)
    records, start, pages = [], 0, 0
    rows = min(CKAN_ROWS, limit) if limit else CKAN_ROWS
    while True:
        pages += 1
        if pages > _max_pages():
            raise SourceError(Reason("too_many_pages", n=_max_pages()))
        page_url = _with_params(endpoint, rows=rows, start=start, sort="id asc")
        body, _type, _final = fetch.get(page_url, "application/json", deadline)
        try:
            answer = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SourceError(Reason("not_json", url=page_url, error=str(e)[:120])) from None
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(answer, dict) or answer.get("success") is not True or not isinstance(result, dict) \
                or not isinstance(result.get("results"), list):
            raise SourceError(Reason("not_ckan", url=page_url))
        batch = result["results"]
        records += [_ckan_record(pkg) for pkg in batch]
        if progress:
            progress(len(records))
        if limit is not None and len(records) >= limit:
            return records[:limit]
        start += len(batch)
        count = result.get("count")
        if not batch or not isinstance(count, int) or start >= count:
            return records


# ------------------------------------------------------------------ spreadsheet

def read_spreadsheet(url: str, member, maps: dict, limit: int | None = None, progress=None,
                     deadline: Deadline = NO_DEADLINE) -> list[Record]:
    """The import's own reader, with the source's vocabulary maps applied to the cells first."""
    body, _type, final = fetch.get(url, deadline=deadline)
    name = urlsplit(final).path.rsplit("/", 1)[-1] or "source.csv"

    def translate(field_name, value):
        mapping = maps.get(field_name) or {}
        if not isinstance(value, str) or not mapping:
            return value
        if field_name == "circulation_modes":
            parts = [p.strip() for p in value.replace("、", ",").replace("，", ",").split(",") if p.strip()]
            out = []
            for p in parts:
                target = mapping.get(p, p)
                out += target if isinstance(target, list) else [target]
            return ",".join(out)
        return mapping.get(value.strip(), value)

    def read():
        try:
            return parse_upload(body, name, member, translate=translate)
        except UploadRejected as e:
            return e

    def said(outcome):  # what the import says: its refusal, or its problems [(row, text)]
        if isinstance(outcome, UploadRejected):
            return outcome.message
        return [(p.row, f"{p.column}: {p.message}" if p.column else p.message) for p in outcome.problems]
    result = read()
    rejected = isinstance(result, UploadRejected)
    if not rejected and not result.problems:
        texts = {}
    else:  # the import's messages are sentences of the current language: the file is read again in
        # each of the site's other languages, so that every reader reads them in theirs
        texts = in_each_language(lambda: said(read()), first=said(result))
    if rejected:
        raise SourceError(Reason("spreadsheet_unreadable", reason={code: text for code, text in texts.items()
                                                                   if isinstance(text, str)}))
    deadline.check()
    problems: dict[int, list[Reason]] = {}
    for n, (row, _text) in enumerate(said(result)):
        message = {code: answer[n][1] for code, answer in texts.items()
                   if isinstance(answer, list) and len(answer) == len(result.problems)}
        if row is None:
            raise SourceError(Reason("spreadsheet_unreadable", reason=message))
        problems.setdefault(row, []).append(record_reason("refused", message=message))
    records = []
    for row in result.rows:
        values = {k: v for k, v in row.items() if not k.startswith("_")}
        code = str(values.pop("code", "") or "")
        values["circulation_modes"] = modes_from_mask(values.pop("circulation_mask", 0) or 0)
        rec = Record(remote_id=code, title=values.get("title") or "", values=values, mapped=True,
                     problems=problems.get(row["_row"], []))
        if not code:
            rec.problems.append(record_reason("column_missing", column="code"))
        records.append(rec)
    if progress:
        progress(len(records))
    return records[:limit] if limit is not None else records

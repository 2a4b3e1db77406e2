"""The public catalogue as DCAT-AP 3.0: validated with pyshacl against the
official shapes, with zero violations; nothing non-public ever in it."""
import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from consortium.catalog import dcat



def _standards() -> Path:
    """The official shapes, shipped beside this test (see standards/README.md)."""
    return Path(__file__).resolve().parent / "standards"


def _shapes(*names) -> Graph:
    g = Graph()
    for name in names:
        g.parse(_standards() / name, format="turtle")
    return g


def _validate(data: Graph, *shape_files):
    from pyshacl import validate
    conforms, report_graph, text = validate(data, shacl_graph=_shapes(*shape_files), inference="none",
                                            advanced=True, allow_warnings=True)
    SH = "http://www.w3.org/ns/shacl#"
    results = list(report_graph.subjects(RDF.type, URIRef(SH + "ValidationResult")))
    by_severity = {}
    for result in results:
        severity = str(report_graph.value(result, URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1]
        by_severity.setdefault(severity, []).append(result)
    return by_severity, text


def _warning_paths(text: str) -> set[str]:
    return {line.split("Result Path:")[1].strip() for line in text.splitlines() if "Result Path:" in line}


def test_jsonld_export_has_zero_violations(client, io_catalog):
    body = client.get("/catalog.jsonld")
    assert body.mimetype == "application/ld+json"
    data = Graph().parse(data=body.get_data(as_text=True), format="json-ld")
    results, text = _validate(data, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl")
    assert results.get("Violation", []) == [], text
    assert len(list(data.subjects(RDF.type, DCAT.Dataset))) == 3


def test_turtle_export_has_zero_violations_and_recommended_warnings_counted(client, io_catalog):
    data = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    results, text = _validate(data, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl")
    assert results.get("Violation", []) == [], text
    recommended, text = _validate(data, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl",
                                  "dcat-ap-3.0.0-shapes-recommended.ttl")
    assert recommended.get("Violation", []) == [], text
    # What is left is data the map does not record: a licence per distribution, city
    # bounding boxes, the API's format; and time coverage / files that an entry lacks.
    assert recommended.get("Warning"), "expected a few recommended-shape warnings"
    assert _warning_paths(text) <= {"dct:license", "dcat:bbox", "dct:format", "dct:temporal", "dcat:distribution"}


def test_datasets_carry_the_expected_properties(client, io_catalog):
    data = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    yb = io_catalog["r"]["yb"]
    ds = URIRef(f"http://localhost/resources/{yb.id}")
    assert (ds, DCTERMS.title, Literal("参保人员医保结算数据", lang="zh")) in data
    assert (ds, DCAT.keyword, Literal("医保", lang="zh")) in data
    assert (ds, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL")) in data
    assert (ds, DCTERMS.accrualPeriodicity,
            URIRef("http://publications.europa.eu/resource/authority/frequency/DAILY")) in data
    assert (ds, DCTERMS.identifier, Literal("qingdao:QD-001")) in data
    assert (ds, DCTERMS.publisher, URIRef("http://localhost/members/qingdao")) in data
    assert (URIRef("http://localhost/members/qingdao"), RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in data
    assert len(list(data.objects(ds, DCAT.distribution))) == 3  # CSV, XLSX and the API
    assert data.value(ds, DCAT.contactPoint) is not None and data.value(ds, DCTERMS.temporal) is not None


def test_non_public_entries_never_appear(client, io_catalog):
    for url in ("/catalog.jsonld", "/catalog.ttl"):
        text = client.get(url).get_data(as_text=True)
        for key in ("secret", "credit", "nb_health"):
            resource = io_catalog["r"][key]
            assert resource.title not in text
            assert f"/resources/{resource.id}\"" not in text and f"/resources/{resource.id}>" not in text
    assert "宁波数字产业集团" not in client.get("/catalog.ttl").get_data(as_text=True)


def test_signed_in_user_gets_the_same_public_catalogue(browser, io_catalog):
    browser.login("qd@cdou.example")
    text = browser.get("/catalog.ttl").get_data(as_text=True)
    assert "医保基金内部稽核明细" not in text and "参保人员医保结算数据" in text


def test_catalogue_follows_changes(client, io_catalog):
    from consortium.catalog import services
    from consortium.extensions import db
    before = client.get("/catalog.jsonld").get_data(as_text=True)
    assert "医检互认检验报告" not in before
    services.update_resource(None, io_catalog["r"]["nb_health"], is_public=True)
    db.session.commit()
    after = client.get("/catalog.jsonld").get_data(as_text=True)
    assert "医检互认检验报告" in after
    json.loads(after)


def test_a_write_is_served_the_last_complete_page_while_a_worker_rebuilds_it(client, io_catalog, queued_broker):
    """With a worker (the fixture's pretend one, run by run_queued), no reader rebuilds a page:
    the page kept from before the write is served until the worker's rebuild replaces it."""
    from consortium.catalog import services
    from consortium.extensions import db
    from tests.jobs.helpers import run_queued
    assert "医检互认检验报告" not in client.get("/catalog.ttl").get_data(as_text=True)  # built once, kept
    services.update_resource(None, io_catalog["r"]["nb_health"], is_public=True)
    db.session.commit()
    for _ in range(3):  # every reader gets the last complete version at once; one rebuild is asked for
        stale = client.get("/catalog.ttl").get_data(as_text=True)
        assert "医检互认检验报告" not in stale and "参保人员医保结算数据" in stale
    assert run_queued() == 1
    fresh = client.get("/catalog.ttl").get_data(as_text=True)
    assert "医检互认检验报告" in fresh
    Graph().parse(data=fresh, format="turtle")
    # no worker running: the reader builds the page itself rather than serve a stale one forever
    queued_broker.storage.pop_data("cdou:worker-seen")
    services.update_resource(None, io_catalog["r"]["nb_health"], is_public=False)
    db.session.commit()
    assert "医检互认检验报告" not in client.get("/catalog.ttl").get_data(as_text=True)
    assert run_queued() == 0


def test_a_page_is_rebuilt_at_most_once_a_rebuild_interval(app, client, io_catalog, queued_broker, monkeypatch):
    """A write more than DCAT_REBUILD_SECONDS after the page was built has it rebuilt at once; a write
    soon after a rebuild is served by one rebuild when the interval has passed, not one per write."""
    import os
    import time
    from datetime import datetime, timezone
    from pathlib import Path

    from consortium.catalog import services
    from consortium.extensions import db
    from tests.jobs.helpers import run_queued
    monkeypatch.setitem(app.config, "DCAT_REBUILD_SECONDS", 60)
    assert "医检互认检验报告" not in client.get("/catalog.ttl").get_data(as_text=True)  # built now
    long_ago = time.time() - 61
    for path in Path(app.config["DCAT_CACHE_DIR"]).glob("*.page"):
        os.utime(path, (long_ago, long_ago))
    services.update_resource(None, io_catalog["r"]["nb_health"], is_public=True)
    db.session.commit()
    assert "医检互认检验报告" not in client.get("/catalog.ttl").get_data(as_text=True)  # the kept page, at once
    assert run_queued() == 1 and queued_broker.scheduled() == []  # its rebuild was asked for now
    assert "医检互认检验报告" in client.get("/catalog.ttl").get_data(as_text=True)

    services.update_resource(None, io_catalog["r"]["nb_health"], title="医检互认检验报告（第二版）")
    db.session.commit()
    for _ in range(3):
        assert "第二版" not in client.get("/catalog.ttl").get_data(as_text=True)
    run_queued()  # a worker takes the rebuild and keeps it for its time: a minute after the last one
    assert "第二版" not in client.get("/catalog.ttl").get_data(as_text=True)
    [later] = queued_broker.scheduled()
    wait = (later.eta - datetime.now(timezone.utc).replace(tzinfo=None)).total_seconds()
    assert later.name.endswith("catalog.dcat_page") and 50 < wait <= 60, (later.name, wait)


def test_a_client_holding_the_page_gets_304_without_a_body_until_the_catalogue_changes(client, io_catalog):
    from consortium.catalog import services
    from consortium.extensions import db
    first = client.get("/catalog.ttl")
    tag = first.headers["ETag"]
    assert first.status_code == 200 and "参保人员医保结算数据" in first.get_data(as_text=True)
    again = client.get("/catalog.ttl", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert client.get("/catalog.jsonld", headers={"If-None-Match": tag}).status_code == 200  # another page
    services.update_resource(None, io_catalog["r"]["nb_health"], is_public=True)
    db.session.commit()
    changed = client.get("/catalog.ttl", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert "医检互认检验报告" in changed.get_data(as_text=True)


def test_the_page_is_kept_gzip_compressed_for_clients_that_accept_it(client, io_catalog):
    import gzip
    plain = client.get("/catalog.ttl")
    packed = client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)
    assert "Accept-Encoding" in packed.headers["Vary"] and packed.headers["ETag"] != plain.headers["ETag"]
    assert client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip",
                                               "If-None-Match": packed.headers["ETag"]}).status_code == 304


def test_serving_a_kept_page_counts_nothing(client, io_catalog, monkeypatch):
    """Only a page never built is counted against the catalogue's size (a count of public
    entries took 63 ms at 100,000); a kept one is served after the change log's probes alone."""
    text = client.get("/catalog.ttl").get_data(as_text=True)

    def no_count():
        raise AssertionError("counted")
    monkeypatch.setattr(dcat, "page_count", no_count)
    assert client.get("/catalog.ttl").get_data(as_text=True) == text


def test_cli_exports_jsonld(runner, io_catalog, tmp_path):
    out = tmp_path / "catalog.jsonld"
    result = runner.invoke(args=["export-resources", "--format", "jsonld", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = Graph().parse(out, format="json-ld")
    assert len(list(data.subjects(RDF.type, DCAT.Dataset))) == 3


def test_large_catalogues_are_paged_with_hydra(client, io_catalog, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    HYDRA = "http://www.w3.org/ns/hydra/core#"
    first = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    assert len(list(first.subjects(RDF.type, DCAT.Dataset))) == 2
    view = first.value(URIRef("http://localhost/catalog"), URIRef(HYDRA + "view"))
    assert str(first.value(view, URIRef(HYDRA + "next"))) == "http://localhost/catalog.ttl?page=2"
    assert int(first.value(view, URIRef(HYDRA + "totalItems"))) == 3
    second = Graph().parse(data=client.get("/catalog.ttl?page=2").get_data(as_text=True), format="turtle")
    titles = {str(t) for t in second.objects(None, DCTERMS.title)}
    assert len(list(second.subjects(RDF.type, DCAT.Dataset))) == 1 and "公交车辆实时定位" in titles
    results, text = _validate(second, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl")
    assert results.get("Violation", []) == [], text
    assert client.get("/catalog.ttl?page=3").status_code == 404
    assert client.get("/catalog.jsonld?page=abc").status_code == 400


def test_turtle_writer_gives_the_same_graph_as_rdflib(app, io_catalog):
    from rdflib.compare import isomorphic
    with app.test_request_context():
        graph = dcat.build_graph("http://localhost/")
    ours = Graph().parse(data=dcat.turtle(graph), format="turtle")
    assert isomorphic(ours, graph)


def test_licences_and_phone_are_exported_without_violations(client, io_catalog):
    from consortium.catalog import services
    from consortium.extensions import db
    services.update_resource(None, io_catalog["r"]["yb"], licence="custom", contact_phone="0532-8888 1234",
                             usage_conditions="仅限在可信数据空间内使用")
    services.update_resource(None, io_catalog["r"]["bus"], licence="cc_by_4")
    db.session.commit()
    data = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    results, text = _validate(data, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl")
    assert results.get("Violation", []) == [], text
    licences = set(data.objects(None, DCTERMS.license))
    assert URIRef("http://creativecommons.org/licenses/by/4.0/") in licences  # Creative Commons' own RDF IRI
    custom = next(x for x in licences if str(x).endswith(f"/resources/{io_catalog['r']['yb'].id}#licence"))
    assert (custom, RDF.type, DCTERMS.LicenseDocument) in data
    assert "仅限在可信数据空间内使用" in {str(o) for o in data.objects(custom, DCTERMS.description)}
    assert URIRef("tel:+86-532-8888-1234") in set(data.objects(None, URIRef("http://www.w3.org/2006/vcard/ns#hasTelephone")))

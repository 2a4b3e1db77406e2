"""The DCAT-AP catalogue as a harvester reads it. ckanext-dcat cannot join the test extra (it
imports CKAN, which pins its own Flask and SQLAlchemy), so these tests read the feed with rdflib
the way its DCAT-AP 3 profile maps it (scripts/ckan_harvest_check.py runs the real parser in a
separate environment): contact e-mail and telephone, licences a CKAN licence list recognises,
distributions with download links and media types, the registration number, tags CKAN accepts,
links from the served address, and paging followed past 1,000 datasets."""
import re
from datetime import date

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS

from sqlalchemy import func, select

from consortium.catalog import dcat, services
from consortium.catalog.models import DataResource
from consortium.extensions import db

from tests.catalog.conftest import described
from tests.catalog.test_dcat import _validate

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
CKAN_TAG = re.compile(r"^[\w \-.]*$", re.UNICODE)  # ckan.logic.validators.tag_name_validator


def _graph(client, url="/catalog.ttl", **kw) -> Graph:
    response = client.get(url, **kw)
    assert response.status_code == 200, response.status_code
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def _ckan_licence(client, g: Graph, licence) -> str | None:
    """ckanext-dcat's rule against the portal's CKAN licence list: the IRI, else the dct:title."""
    register = client.get("/licences.json").get_json()
    by_url = {entry["url"]: entry["id"] for entry in register}
    by_title = {entry["title"]: entry["id"] for entry in register}
    return by_url.get(str(licence)) or next(
        (by_title[str(t)] for t in g.objects(licence, DCTERMS.title) if str(t) in by_title), None)


@pytest.fixture
def harvested(client, io_catalog):
    qd = io_catalog["qd"]
    r = io_catalog["r"]
    services.update_resource(None, r["yb"], contact_phone="0532-8888 8888 转 123", licence="cc_by_4",
                             keywords='"一码通城",医保,快充/慢充,“结算”',
                             download_url="https://data.qingdao-data.example/files/qd-001.csv")
    services.update_resource(None, r["bus"], contact_phone="工作日上班时间", licence="open_terms", formats="")
    services.update_resource(None, r["evil"], licence="custom", usage_conditions="仅限在可信数据空间内使用",
                             formats="", has_api=False, contact_phone="+86 532 8000 1234")
    plain = services.create_resource(None, qd, **described("QD-009", "无格式的目录条目", is_public=True,
                                                           licence="authorised_agreement"))
    db.session.commit()
    return {**io_catalog, "plain": plain, "g": _graph(client)}


def _ds(resource):
    return URIRef(f"http://localhost/resources/{resource.id}")


def test_telephones_are_rfc_3966_or_left_out(harvested):
    g, r = harvested["g"], harvested["r"]
    phones = {ds: {str(t) for t in g.objects(g.value(ds, DCAT.contactPoint), VCARD.hasTelephone)}
              for ds in map(_ds, (r["yb"], r["bus"], r["evil"]))}
    assert phones[_ds(r["yb"])] == {"tel:+86-532-8888-8888;ext=123"}
    assert phones[_ds(r["evil"])] == {"tel:+86-532-8000-1234"}
    assert phones[_ds(r["bus"])] == set()  # "工作日上班时间" is no number: nothing rather than a broken IRI
    assert {str(e) for e in g.objects(g.value(_ds(r["yb"]), DCAT.contactPoint), VCARD.hasEmail)} == \
        {"mailto:data@qd.example"}


def test_licences_on_datasets_and_distributions_are_recognised(client, harvested):
    g, r = harvested["g"], harvested["r"]
    expected = {"yb": "cc_by_4", "bus": "open_terms", "evil": "custom", "plain": "authorised_agreement"}
    for key, code in expected.items():
        ds = _ds(harvested["plain"] if key == "plain" else r[key])
        licence = g.value(ds, DCTERMS.license)
        assert licence is not None, key
        distributions = list(g.objects(ds, DCAT.distribution))
        assert distributions and all(g.value(d, DCTERMS.license) == licence for d in distributions), key
        assert _ckan_licence(client, g, licence) == code, key
        assert {t.language for t in g.objects(licence, DCTERMS.title)} == {"zh", "en"}
    assert g.value(_ds(r["yb"]), DCTERMS.license) == URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert g.value(_ds(r["bus"]), DCTERMS.license) == URIRef("http://localhost/licences/open_terms")
    custom = g.value(_ds(r["evil"]), DCTERMS.license)
    assert str(custom).endswith(f"/resources/{r['evil'].id}#licence")
    assert str(g.value(custom, DCTERMS.description)) == "仅限在可信数据空间内使用"


@pytest.mark.parametrize("lang,words", [("zh", ["无条件开放数据使用条款", "无需申请"]),
                                        ("en", ["Terms for unconditionally open data", "without applying"])])
def test_the_portals_licence_iris_resolve_to_a_page(client, lang, words):
    client.get(f"/lang/{lang}")
    html = client.get("/licences/open_terms").get_data(as_text=True)
    assert all(word in html for word in words)
    assert "http://localhost/licences/open_terms" in html
    assert client.get("/licences/cc_by_4").status_code == 404  # Creative Commons' own IRI, not ours
    assert client.get("/licences/nothing").status_code == 404


def test_every_dataset_has_a_distribution_and_downloads_have_media_types(harvested):
    g, r = harvested["g"], harvested["r"]
    for ds in g.subjects(RDF.type, DCAT.Dataset):
        distributions = list(g.objects(ds, DCAT.distribution))
        assert distributions, ds
        assert all(g.value(d, DCAT.accessURL) == ds for d in distributions)
    download = next(d for d in g.objects(_ds(r["yb"]), DCAT.distribution) if g.value(d, DCAT.downloadURL))
    assert g.value(download, DCAT.downloadURL) == URIRef("https://data.qingdao-data.example/files/qd-001.csv")
    media = g.value(download, DCAT.mediaType)
    assert media == URIRef("http://www.iana.org/assignments/media-types/text/csv")
    assert str(g.value(media, RDFS.label)) == "text/csv"  # what ckanext-dcat puts in the resource's mimetype
    assert g.value(download, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV")
    formats = {g.value(d, DCTERMS.format) for d in g.objects(_ds(r["yb"]), DCAT.distribution)}
    assert URIRef("http://publications.europa.eu/resource/authority/file-type/XLSX") in formats
    plain = list(g.objects(_ds(harvested["plain"]), DCAT.distribution))  # no format, no API: its access
    assert len(plain) == 1 and str(plain[0]).endswith("#access")


def test_registration_number_is_an_identifier_in_its_scheme(harvested):
    g, r = harvested["g"], harvested["r"]
    identifier = g.value(_ds(r["yb"]), ADMS.identifier)
    assert (identifier, RDF.type, ADMS.Identifier) in g
    assert str(identifier) == "http://localhost/identifiers/data-asset-registration/QD-DJ-2025-001"
    notation = g.value(identifier, SKOS.notation)
    assert str(notation) == "QD-DJ-2025-001"
    assert notation.datatype == URIRef("http://localhost/identifiers/data-asset-registration")


def test_keywords_pass_ckans_tag_rule(harvested):
    g, r = harvested["g"], harvested["r"]
    tags = {str(k) for k in g.objects(_ds(r["yb"]), DCAT.keyword)}
    assert tags == {"一码通城", "医保", "快充 慢充", "结算"}
    everything = [str(k) for k in g.objects(None, DCAT.keyword)]
    assert everything and all(CKAN_TAG.match(t) and 2 <= len(t) <= 100 for t in everything)


def test_instants_carry_beijing_offset(harvested):
    g, r = harvested["g"], harvested["r"]
    issued = g.value(_ds(r["yb"]), DCTERMS.issued)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", str(issued))


def test_zero_violations_with_download_links_and_licences(harvested):
    results, text = _validate(harvested["g"], "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl",
                              "dcat-ap-3.0.0-shapes-recommended.ttl")
    assert results.get("Violation", []) == [], text


def test_links_use_the_address_served_in_development(app, client, io_catalog, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    g = _graph(client, base_url="http://127.0.0.1:8000")
    datasets = {str(ds) for ds in g.subjects(RDF.type, DCAT.Dataset)}
    assert datasets and all(d.startswith("http://127.0.0.1:8000/resources/") for d in datasets)
    assert not any(":5000" in str(term) for triple in g for term in triple)


def test_the_configured_public_address_wins_over_the_host_header(app, client, io_catalog, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://cdou.example.cn/")
    g = _graph(client, base_url="http://attacker.test:8000")
    assert all(str(ds).startswith("https://cdou.example.cn/resources/") for ds in g.subjects(RDF.type, DCAT.Dataset))
    assert "attacker.test" not in g.serialize(format="nt")


def test_cli_export_in_development_uses_the_run_port(app, runner, io_catalog, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    monkeypatch.setenv("PORT", "8000")
    out = tmp_path / "catalog.ttl"
    result = runner.invoke(args=["export-resources", "--format", "ttl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = Graph().parse(out, format="turtle")
    assert all(str(ds).startswith("http://127.0.0.1:8000/") for ds in g.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.slow
def test_a_harvester_follows_paging_past_1000_datasets(client, make_member):
    """1,005 public entries: the first page holds 1,000, hydra:next leads to the rest, as
    ckanext-dcat's RDFParser.next_page() follows it."""
    member = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    for n in range(1005):
        services.create_resource(None, member, **described(f"QD-P-{n:04d}", f"分页条目{n}", is_public=True,
                                                           data_updated_on=date(2025, 7, 1)))
    db.session.commit()
    seen, pages, url = [], 0, "http://localhost/catalog.ttl"
    while url:
        g = _graph(client, url.removeprefix("http://localhost"))
        pages += 1
        seen += [str(ds) for ds in g.subjects(RDF.type, DCAT.Dataset)]
        view = next(g.subjects(RDF.type, HYDRA.PartialCollectionView), None)
        assert view is not None and int(g.value(view, HYDRA.totalItems)) == 1005
        following = g.value(view, HYDRA.next)
        url = str(following) if following else None
    assert pages == 2 and len(seen) == len(set(seen)) == 1005
    assert dcat.PAGE_SIZE == 1000


def test_ckan_licence_list_names_every_licence(client):
    register = client.get("/licences.json").get_json()
    assert [entry["id"] for entry in register] == ["open_terms", "cc_by_4", "authorised_agreement", "custom"]
    cc = next(entry for entry in register if entry["id"] == "cc_by_4")
    assert cc["url"] == "http://creativecommons.org/licenses/by/4.0/" and cc["title"] == "Creative Commons Attribution"
    assert all(entry["title"] and entry["title_zh"] for entry in register)


def test_ckan_tag_form():
    assert dcat.ckan_tag('"快充/慢充"') == "快充 慢充"
    assert dcat.ckan_tag("“一码通城”") == "一码通城"
    assert dcat.ckan_tag("医保") == "医保"
    assert dcat.ckan_tag('"x"') is None
    assert dcat.ckan_tag("公交-GPS_v1.0") == "公交-GPS_v1.0"


@pytest.mark.slow
def test_demo_catalogue_warnings_are_only_what_the_data_cannot_fill(client, demo):
    """The counts in docs/interchange.md: 0 violations; recommended-property warnings only for
    properties the demo data cannot fill (no file type, ongoing coverage, the portal's own
    licence terms' type, city bounding boxes, entries naming no licence)."""
    g = _graph(client)
    public = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.is_public,
                                                                       DataResource.status == "active"))
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == public > 140  # every public entry of the demo map
    results, text = _validate(g, "dcat-ap-3.0.0-shapes.ttl", "dcat-ap-3.0.0-range.ttl",
                              "dcat-ap-3.0.0-shapes-recommended.ttl")
    assert results.get("Violation", []) == [], text
    paths = {line.split("Result Path:")[1].strip() for line in text.splitlines() if "Result Path:" in line}
    assert paths <= {"dct:format", "dcat:endDate", "dct:type", "dcat:bbox", "dct:license"}, paths
    assert len(results.get("Warning", [])) <= 220
    assert all(g.value(g.value(ds, DCAT.contactPoint), VCARD.hasEmail) for ds in g.subjects(RDF.type, DCAT.Dataset))

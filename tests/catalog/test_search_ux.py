"""The result list explains itself: highlighted matches, empty results that say what
was searched and what to try, pages beyond the end, openness badges."""
from markupsafe import Markup

from consortium.catalog.highlight import highlight
from consortium.catalog import services
from consortium.extensions import db

from .conftest import entry


def test_highlight_escapes_first_and_marks_case_folded_terms():
    out = highlight("<b>GPS</b> 公交 gps & 公交线路", "gps 公交")
    assert isinstance(out, Markup)
    assert str(out) == "&lt;b&gt;<mark>GPS</mark>&lt;/b&gt; <mark>公交</mark> <mark>gps</mark> &amp; <mark>公交</mark>线路"
    # markup in the query cannot inject either
    assert "<script>" not in str(highlight("a<script>b", "<script>"))
    assert str(highlight("a<script>b", "<script>")) == "a<mark>&lt;script&gt;</mark>b"
    assert str(highlight("医保结算", "")) == "医保结算"


def test_highlight_snippet_cuts_around_the_first_match():
    text = "前" * 200 + "医保" + "后" * 200
    out = str(highlight(text, "医保", snippet=40))
    assert out.startswith("…") and out.endswith("…") and "<mark>医保</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) == 42


def test_result_list_marks_matches(client, catalog):
    html = client.get("/resources/?q=公交").get_data(as_text=True)
    assert "<mark>公交</mark>车辆实时定位" in html


def test_page_beyond_the_end_goes_to_the_last_page(client, catalog):
    for n in range(5):
        services.create_resource(None, catalog["qd"], **entry(f"QD-1{n}", f"公开数据{n}", is_public=True))
    db.session.commit()
    response = client.get("/resources/?per_page=2&page=999&domain=health")
    assert response.status_code == 302
    assert "page=3" in response.headers["Location"] and "domain=health" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "第 3 / 3 页" in html
    assert client.get("/resources/?per_page=2&page=3&domain=health").status_code == 200


def test_empty_result_explains_itself_to_a_visitor(client, catalog):
    html = client.get("/resources/?q=不存在的词&domain=finance").get_data(as_text=True)
    assert 'id="no-results"' in html and "不存在的词" in html
    assert "drop-filter" in html and 'href="/resources/?q=' in html  # dropping the domain keeps the words
    assert 'id="members-see-more"' in html
    # no count of the hidden entries is given
    assert "企业信用评价" not in html


def test_empty_result_suggests_the_domain_and_not_members_to_members(client, catalog, browser):
    browser.login("qd@cdou.example")
    html = client.get("/resources/?q=金融&openness=open").get_data(as_text=True)
    assert 'id="try-domain"' in html and "domain=finance" in html
    assert 'id="members-see-more"' not in html


def test_openness_badge_is_colour_coded_and_apart_from_frequency(client, catalog):
    html = client.get("/resources/?q=公交").get_data(as_text=True)
    assert 'class="badge openness openness-conditional"' in html
    assert 'class="badge badge-freq"' in html


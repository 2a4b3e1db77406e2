"""The search equals the substring oracle for any query, and facet counts agree with the list."""
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from consortium.audit.services import set_actor
from consortium.catalog import search as s
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS
from consortium.catalog.models import DataResource
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .search_oracle import searchable_text, substring_oracle

# A small alphabet so that random texts share many 1-, 2- and 3-character substrings.
CJK = "医保公交通数据集市卫健委疗出行地铁线路气象环境企业信用"
LATIN = "aAbBgG5 "
ODD = "%_\\"


def _text(rng, lo, hi, alphabet):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def _resource(rng, i, member, **kw):
    alphabet = CJK * 4 + LATIN + ODD
    data = dict(member=member, city_id=member.city_id, code=f"R{i:04d}", title=_text(rng, 2, 12, alphabet),
                description=_text(rng, 0, 40, alphabet), keywords=_text(rng, 0, 10, CJK + ",、"),
                department=rng.choice(["", "市医保局", "市交通运输局", "Bureau of Transport", _text(rng, 0, 6, CJK)]),
                domain=rng.choice(list(DOMAINS)), frequency=rng.choice(list(FREQUENCIES)),
                openness=rng.choice(list(OPENNESS)), circulation_mask=rng.randint(0, 15),
                is_public=rng.random() < 0.4, status="active" if rng.random() < 0.9 else "retired",
                record_count=rng.choice([None, rng.randint(1, 10**6)]),
                data_updated_on=rng.choice([None, date(2025, rng.randint(1, 12), rng.randint(1, 28))]))
    data.update(kw)
    return DataResource(**data)


@pytest.fixture
def corpus(make_member, make_user):
    rng = random.Random(20250418)
    members = [make_member(name="青岛数据集团", city="青岛", code="qingdao"),
               make_member(name="厦门大数据有限公司", city="厦门", code="xiamen"),
               make_member(name="宁波数字产业集团", city="宁波", code="ningbo")]
    set_actor(None)
    rows = [_resource(rng, i, members[i % 3]) for i in range(240)]
    # fixed texts for the most common real queries
    rows[0].title, rows[0].is_public, rows[0].status = "市医保局参保人员结算数据", True, "active"
    rows[1].description, rows[1].is_public, rows[1].status = "公交车辆实时GPS定位", True, "active"
    rows[2].keywords, rows[2].status = "交通,公交,地铁", "active"
    db.session.add_all(rows)
    db.session.commit()
    user = make_user("qd@cdou.example", member=members[0])
    return {"rng": rng, "members": members, "user": user}


def _all_ids(actor, q, **filters):
    ids, page = [], 1
    while True:
        result = s.search(actor, s.SearchParams(q=q, page=page, per_page=100, **filters))
        ids += [r.id for r in result["items"]]
        if page * 100 >= result["total"]:
            assert len(ids) == result["total"]
            return ids
        page += 1


def _oracle(actor_signed_in, q):
    rows = db.session.scalars(select(DataResource)).all()
    return {r.id for r in rows if r.status == "active" and (actor_signed_in or r.is_public)
            and substring_oracle(r, q)}


def _queries(rng):
    rows = db.session.scalars(select(DataResource)).all()
    queries = ["医", "保", "医保", "公交", "交通", "数据集", "GPS", "gps", "Gps", "5g", "a", "B", "%", "_", "\\",
               "医保 结算", "公交 gps", "不存在的词", "xyzzy", "市医保局参保人员结算数据", "  医保  ",
               # the wider searchable text: department, domain labels, places, member names
               "市医保局", "交通运输", "transport", "TRANSPORT", "health", "Bureau", "青岛", "Qingdao", "qing",
               "山东", "Shandong", "浙江", "厦门大数据", "数据集团", "集团 青岛", "交通 厦门", "政务", "care",
               "医疗健康", "Xiamen 交通", "岛", "门"]
    for _ in range(160):
        r = rng.choice(rows)
        source = "".join(ch for ch in rng.choice([r.title, r.description, r.keywords, searchable_text(r)])
                         if not ch.isspace())
        if not source:
            continue
        n = rng.choice([1, 1, 2, 2, 2, 3, 4, 5, 8])
        start = rng.randint(0, max(0, len(source) - n))
        fragment = source[start:start + n]
        queries.append(fragment.swapcase() if rng.random() < 0.2 else fragment)
    for n in (1, 2, 3, 4, 6):
        for _ in range(8):
            queries.append(_text(rng, n, n, CJK + "aBg5%"))
    return queries


@pytest.mark.slow
def test_search_equals_substring_oracle(corpus):
    rng = corpus["rng"]
    queries = _queries(rng)
    for actor, signed_in in ((None, False), (corpus["user"], True)):
        for q in queries:
            expected = _oracle(signed_in, q)
            got = _all_ids(actor, q)
            assert set(got) == expected, q
            assert len(got) == len(set(got))
            by_sql = set(db.session.scalars(s.build_select(actor, s.SearchParams(q=q)).with_only_columns(
                DataResource.id)))
            assert by_sql == expected, q


def test_common_short_chinese_queries_find_exact_rows(corpus):
    user = corpus["user"]
    assert any(r.title == "市医保局参保人员结算数据" for r in s.search(None, s.SearchParams(q="医保", per_page=100))["items"])
    found = {r.description for r in s.search(None, s.SearchParams(q="公交", per_page=100))["items"]}
    assert "公交车辆实时GPS定位" in found
    assert "交通,公交,地铁" in {r.keywords for r in s.search(user, s.SearchParams(q="地铁", per_page=100))["items"]}


@pytest.mark.slow
def test_index_follows_updates_and_deletes(corpus):
    rng = corpus["rng"]
    set_actor(None)
    rows = db.session.scalars(select(DataResource).order_by(DataResource.id)).all()
    for r in rows[:60]:
        r.title = _text(rng, 2, 10, CJK + LATIN)
        r.keywords = "医保,新词汇"
    for r in rows[60:80]:
        db.session.delete(r)
    rows[80].status = "retired"
    rows[81].is_public = not rows[81].is_public
    db.session.commit()
    member = corpus["members"][1]
    db.session.add(_resource(rng, 999, member, title="新增的医保目录", status="active", is_public=True))
    db.session.commit()
    rows[82].department = "市统计局"
    db.session.commit()
    for q in _queries(rng)[:80] + ["新词汇", "新增", "医保目录", "市统计局", "统计"]:
        for actor, signed_in in ((None, False), (corpus["user"], True)):
            assert set(_all_ids(actor, q)) == _oracle(signed_in, q), q


@pytest.mark.slow
def test_rebuilt_index_answers_the_same(corpus, runner):
    queries = _queries(corpus["rng"])[:60]
    before = [set(_all_ids(corpus["user"], q)) for q in queries]
    result = runner.invoke(args=["reindex-resources"])
    assert result.exit_code == 0, result.output
    assert [set(_all_ids(corpus["user"], q)) for q in queries] == before


def test_database_grams_equal_python_grams_on_every_row(corpus):
    """PostgreSQL computes the grams in SQL (the index expression): they must be exactly the
    Python ones, including case folding and every kind of white space."""
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's index calls the Python function itself")
    from consortium.catalog.search.text import WHITESPACE
    set_actor(None)
    odd = DataResource(member=corpus["members"][0], city_id=corpus["members"][0].city_id, code="ODD",
                       title="A\u3000B\tc" + WHITESPACE + "医保ÄÖ", description=None, keywords="x\xa0y",
                       department="ＧＰＳ局", domain="health", frequency="daily", openness="open")
    db.session.add(odd)
    db.session.commit()
    rows = db.session.execute(select(DataResource.id, DataResource.title, DataResource.description,
                                     DataResource.keywords, DataResource.department,
                                     func.catalog_grams(DataResource.title, DataResource.description,
                                                        DataResource.keywords, DataResource.department))).all()
    assert len(rows) == 241
    for rid, title, description, keywords, department, grams in rows:
        assert set(grams) == s.text_grams(title, description, keywords, department), rid


def _params_cases(rng, members):
    cases = [{}]
    for _ in range(40):
        case = {}
        if rng.random() < 0.5:
            case["q"] = rng.choice(["医", "医保", "数据", "交通", "a", "集市", ""])
        for facet, values in (("domain", list(DOMAINS)), ("mode", list(CIRCULATION_MODES)),
                              ("openness", list(OPENNESS)), ("frequency", list(FREQUENCIES)),
                              ("member", [m.code for m in members]), ("city", ["370200", "350200"]),
                              ("province", ["37", "33"])):
            if rng.random() < 0.25:
                case[facet] = rng.choice(values)
        cases.append(case)
    return cases


@pytest.mark.slow
def test_facet_counts_agree_with_totals(corpus):
    rng = corpus["rng"]
    for actor in (None, corpus["user"]):
        for case in _params_cases(rng, corpus["members"]):
            params = s.SearchParams(**case)
            result = s.search(actor, params)
            assert result["total"] == s.count_matching(actor, params)
            assert result["facets"] == s.facet_counts(actor, params)
            for facet, entries in result["facets"].items():
                selected = case.get(facet)
                if selected:
                    chosen = [e for e in entries if e["value"] == selected]
                    assert chosen and chosen[0]["count"] == result["total"], (facet, case)
                elif facet != "mode":
                    assert sum(e["count"] for e in entries) == result["total"], (facet, case)
                # every count is what the list would show after clicking it
                for entry in entries:
                    clicked = s.SearchParams(**{**case, facet: entry["value"]})
                    assert entry["count"] == s.count_matching(actor, clicked), (facet, entry, case)


def test_anonymous_facets_count_only_public_entries(corpus):
    everything = s.search(corpus["user"], s.SearchParams())
    public = s.search(None, s.SearchParams())
    n_public = db.session.scalar(select(func.count()).where(DataResource.is_public.is_(True),
                                                           DataResource.status == "active"))
    assert public["total"] == n_public < everything["total"]
    assert sum(e["count"] for e in public["facets"]["domain"]) == n_public
    assert all(r.is_public for r in s.search(None, s.SearchParams(per_page=100))["items"])


def test_sort_orders_match_sql(corpus):
    user = corpus["user"]
    for sort in s.SORTS:
        params = s.SearchParams(q="医", sort=sort, per_page=15, page=2)
        got = [r.id for r in s.search(user, params)["items"]]
        sql = s.build_select(user, params).order_by(*s.order_clauses(sort)).offset(15).limit(15)
        assert got == [r.id for r in db.session.scalars(sql)], sort


@pytest.mark.parametrize("args, field", [
    ({"domain": "太空"}, "domain"), ({"mode": "x"}, "mode"), ({"openness": "open-ish"}, "openness"),
    ({"frequency": "hourly"}, "frequency"), ({"page": "二"}, "page"), ({"page": "0"}, "page"),
    ({"per_page": "5000"}, "per_page"), ({"sort": "random"}, "sort"), ({"province": "99"}, "province"),
    ({"city": "999999"}, "city"), ({"member": "nobody"}, "member"), ({"q": "医" * 101}, "q"),
])
def test_bad_parameters_name_the_field(app, args, field):
    with app.test_request_context(), pytest.raises(DomainError) as err:
        s.SearchParams.from_args(args)
    assert err.value.field == field


def test_good_parameters_parse(app, make_member):
    make_member(name="青岛数据集团", city="青岛", code="qingdao")
    with app.test_request_context():
        params = s.SearchParams.from_args({"q": " 医保 ", "domain": "health", "mode": "privacy", "city": "370200",
                                           "province": "37", "member": "qingdao", "page": "2", "per_page": "50",
                                           "sort": "title", "openness": "open", "frequency": "daily"})
    assert (params.q, params.page, params.per_page, params.sort) == ("医保", 2, 50, "title")
    assert params.to_args(page=1) == {"q": "医保", "province": "37", "city": "370200", "member": "qingdao",
                                      "domain": "health", "mode": "privacy", "openness": "open",
                                      "frequency": "daily", "sort": "title", "per_page": 50}


def test_text_grams_cover_short_terms():
    grams = s.text_grams("市医保局 GPS", "", None)
    assert {"市", "医保", "保局", "gp", "ps", "g"} <= grams
    assert "局 " not in grams and "局g" not in grams
    assert s.term_grams("医保") == ["医保"] and s.term_grams("数据集") == ["数据", "据集"]


def test_result_cache_changes_nothing_and_follows_writes(app, corpus):
    rng = corpus["rng"]
    cases = _params_cases(rng, corpus["members"])[:15]
    for actor in (None, corpus["user"]):
        cached = [s.search(actor, s.SearchParams(**c)) for c in cases]
        app.config["CATALOG_RESULT_CACHE"] = False
        try:
            fresh = [s.search(actor, s.SearchParams(**c)) for c in cases]
        finally:
            app.config["CATALOG_RESULT_CACHE"] = True  # back to the default (popping it left no key for the next pass)
        for a, b in zip(cached, fresh):
            assert (a["total"], a["facets"], [r.id for r in a["items"]]) == \
                (b["total"], b["facets"], [r.id for r in b["items"]])
    before = s.search(None, s.SearchParams(q="医保"))["total"]
    set_actor(None)
    db.session.add(_resource(rng, 5000, corpus["members"][0], title="医保新目录", is_public=True, status="active"))
    db.session.commit()
    assert s.search(None, s.SearchParams(q="医保"))["total"] == before + 1
    corpus["members"][0].name = "青岛数据集团（更名）"
    db.session.commit()
    labels = [e["label"] for e in s.search(None, s.SearchParams(q="医保"))["facets"]["member"]]
    assert "青岛数据集团（更名）" in labels
    # the member's name is searchable text: a rename is found at once, by both forms
    renamed = s.SearchParams(q="更名")
    expected = {r.id for r in db.session.scalars(select(DataResource)) if r.status == "active"
                and r.member_id == corpus["members"][0].id}
    assert set(_all_ids(corpus["user"], "更名")) == expected
    assert set(db.session.scalars(s.build_select(corpus["user"], renamed).with_only_columns(DataResource.id))) \
        == expected


def test_domain_department_and_place_names_find_entries(corpus):
    """The issue's examples: 交通 (a domain label), 市医保局 (a department), transport (the
    English label), a city and a province name."""
    user = corpus["user"]
    rows = db.session.scalars(select(DataResource).where(DataResource.status == "active")).all()
    for q, rule in (("交通", lambda r: r.domain == "transport" or "交通" in searchable_text(r)),
                    ("transport", lambda r: r.domain == "transport" or "transport" in searchable_text(r).lower()),
                    ("市医保局", lambda r: "市医保局" in searchable_text(r)),
                    ("厦门", lambda r: r.member.code == "xiamen" or "厦门" in searchable_text(r)),
                    ("Zhejiang", lambda r: r.member.code == "ningbo")):
        expected = {r.id for r in rows if rule(r)}
        assert expected, q
        assert set(_all_ids(user, q)) == expected, q
    assert any(r.domain == "transport" and "交通" not in (r.title + r.description + r.keywords + r.department)
               for r in rows if r.id in set(_all_ids(user, "交通")))


def test_facet_counts_agree_whatever_share_of_rows_is_selected():
    """_count_by picks gathering, subtracting or weighting by how many rows are selected;
    each must give the plain bincount."""
    import numpy as np

    from consortium.catalog.search import columns, engine
    rng = np.random.default_rng(7)
    snap = object.__new__(columns.Snapshot)
    snap.columns = {"city": rng.integers(1, 60, 20_000).astype(np.int32),
                    "domain": rng.integers(-1, 12, 20_000).astype(np.int16)}
    snap._totals = {}
    for density in (0.0, 0.02, 0.3, 0.7, 0.95, 1.0):
        m = rng.random(20_000) < density
        got = engine._count_by(snap, "city", m, 1)
        want = np.bincount(snap.columns["city"][m], minlength=1)
        assert got[:want.size].tolist() == want.tolist() and not got[want.size:].any()
        got = engine._count_by(snap, "domain", m, 12, offset=1)
        assert got[:13].tolist() == np.bincount(snap.columns["domain"][m] + 1, minlength=13).tolist()

"""Finding 20: an imported file's 城市 (and 成员单位, 省份) column is checked against the
importing member, never silently ignored: entries always live in their member's city."""
from sqlalchemy import func, select

from consortium.catalog import imports
from consortium.catalog.models import DataResource
from consortium.extensions import db
from tests.catalog.test_import import ROWS, ZH_HEADER, ctx, qingdao, xlsx_bytes  # noqa: F401  (fixtures)


def test_a_city_other_than_the_members_is_refused_and_nothing_written(ctx, qingdao):  # noqa: F811
    header = ZH_HEADER + ["成员单位", "省份", "城市"]
    rows = [ROWS[0] + ["青岛数据集团", "山东省", "青岛市"], ROWS[1] + ["青岛数据集团", "山东", "厦门"]]
    result, plan = imports.import_file(None, qingdao, xlsx_bytes(rows, header), "清单.xlsx")
    assert plan is None and not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(3, "城市")]
    assert "厦门" in result.problems[0].message and "青岛" in result.problems[0].message
    assert db.session.scalar(select(func.count(DataResource.id))) == 0


def test_the_members_own_city_passes(ctx, qingdao):  # noqa: F811
    header = ZH_HEADER + ["城市"]
    rows = [r + [qingdao.city.name] for r in ROWS]
    result, plan = imports.import_file(None, qingdao, xlsx_bytes(rows, header), "清单.xlsx")
    assert result.ok and len(plan.created) == 2
    assert set(db.session.scalars(select(DataResource.city_id))) == {qingdao.city_id}


def test_another_members_name_is_refused(ctx, qingdao):  # noqa: F811
    result = imports.parse_upload(xlsx_bytes([ROWS[0] + ["厦门大数据有限公司"]], ZH_HEADER + ["成员单位"]), "x.xlsx",
                                  qingdao)
    assert [p.column for p in result.problems] == ["成员单位"]

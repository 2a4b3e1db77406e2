"""Demo data a member would find plausible: the marine trusted data space holds marine data only,
and a sample's coordinates lie in its own city."""
import csv
import io

from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.registers.models import DataSpace, DataSpaceResource


def test_marine_space_holds_marine_data(demo):
    marine = db.session.scalar(select(DataSpace).where(DataSpace.name == "海洋可信数据空间"))
    held = db.session.scalars(select(DataResource).join(DataSpaceResource, DataSpaceResource.resource_id == DataResource.id)
                              .where(DataSpaceResource.space_id == marine.id)).all()
    assert len(held) >= 3
    assert all("海洋" in r.keywords for r in held), [r.title for r in held]
    assert not [r.title for r in held if "出租" in r.title or "公交" in r.title]
    assert any(r.is_public for r in held)  # a visitor finds the space's data on the map


def test_samples_carry_their_own_city_s_coordinates(demo):
    samples = db.session.scalars(select(DataResource).where(DataResource.sample_csv.contains("lon,lat"))).all()
    assert len({r.city_id for r in samples}) > 3
    for r in samples:
        for row in csv.DictReader(io.StringIO(r.sample_csv)):
            assert abs(float(row["lon"]) - r.city.longitude) < 0.2 and abs(float(row["lat"]) - r.city.latitude) < 0.2, \
                (r.title, r.city.name, row)

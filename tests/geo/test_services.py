"""Finding the city people typed: one rule for every form that names a city."""
import pytest

from consortium.core.exceptions import DomainError
from consortium.geo.services import city_named


def test_a_city_is_found_by_short_name_full_name_or_adcode(app):
    assert city_named("青岛").name == "青岛市"
    assert city_named(" 青岛市 ").adcode == city_named("青岛").adcode
    assert city_named(city_named("湖州").adcode).name == "湖州市"
    assert city_named("") is None and city_named(None) is None


def test_an_unknown_city_is_refused_by_name_on_its_field(app):
    with app.test_request_context("/?lang=zh_CN"):
        with pytest.raises(DomainError) as err:
            city_named("蓬莱仙岛", field="space_city")
    assert err.value.field == "space_city" and "蓬莱仙岛" in err.value.message and "未知" in err.value.message

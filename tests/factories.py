"""Test data factories (factory_boy): one way to build each thing the tests need.
Entries are always created through the catalogue's service, so the search index and
the audit trail see them exactly as they see the portal's own writes."""
import factory

from consortium.catalog import services as catalog_services
from consortium.extensions import db


class ResourceFields(factory.DictFactory):
    """The fields of a resource-map entry, with plain defaults; override any of them."""

    code = factory.Sequence(lambda n: f"R{n + 1:04d}")
    title = "测试数据资源"
    description = ""
    keywords = ""
    domain = "health"
    department = "市卫健委"
    frequency = "daily"
    openness = "conditional"
    circulation_modes = factory.LazyFunction(lambda: ["in_domain"])
    is_public = False


def create_resource(member, title, *, status="active", commit=True, **fields):
    resource = catalog_services.create_resource(None, member, **ResourceFields(title=title, **fields))
    if status == "retired":
        catalog_services.retire_resource(None, resource)
    if commit:
        db.session.commit()
    return resource

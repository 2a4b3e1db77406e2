"""What the union knows about a city, read through each domain's queries and filtered by what
the viewer may see — one reading for the city's page and for /api/v1/cities/<adcode>/overview."""
from dataclasses import dataclass, field

from consortium.catalog import queries as catalog_queries
from consortium.catalog.constants import DOMAINS
from consortium.core.collation import sort_for_locale
from consortium.members import services as member_services
from consortium.registers import queries as register_queries
from consortium.scenarios import queries as scenario_queries
from consortium.scenarios.permissions import can_read_replications


@dataclass
class CityOverview:
    members: list                      # active members, in the reader's order
    domains: list                      # (domain code, label, visible entries), domains with entries
    seeds: list                        # seed scenarios its members originated (public)
    replications_visible: bool         # city-level progress is for signed-in users only
    replications: list = field(default_factory=list)
    spaces: list = field(default_factory=list)
    bodies: list = field(default_factory=list)   # registers.queries.CountingBody

    @property
    def total(self) -> int:
        return sum(n for _code, _label, n in self.domains)


def overview(actor, city, locale: str) -> CityOverview:
    per_domain = catalog_queries.domain_counts(actor, city_id=city.id)
    return CityOverview(
        members=sort_for_locale(member_services.active_members_in_city(city), locale),
        domains=[(code, DOMAINS.label(code, locale), per_domain[code]) for code in DOMAINS if code in per_domain],
        seeds=scenario_queries.seed_scenarios_of_city(city.id),
        replications_visible=can_read_replications(actor),
        replications=scenario_queries.replications_in_city(actor, city.id),
        spaces=register_queries.spaces_of_city(city.id),
        bodies=register_queries.bodies_counting_in_city(city.id))

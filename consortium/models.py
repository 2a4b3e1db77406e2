"""Imports every model so that Alembic and create_all see the whole schema."""
from consortium.audit.models import AuditLog  # noqa: F401
from consortium.auth.models import ApiToken, User, UserSession  # noqa: F401
from consortium.geo.models import City, Province  # noqa: F401
from consortium.members.models import Counterparty, Member  # noqa: F401
from consortium.notifications.models import Notification  # noqa: F401
from consortium.scenarios.models import (Agreement, AgreementParty, GroupMembership,  # noqa: F401
                                         Replication, ReplicationEvent, Scenario, ScenarioGroup,
                                         ScenarioNeed, Invitation)
from consortium.authorisations.models import AuthorisationApplication  # noqa: F401
from consortium.catalog.models import DataResource, ResourceGram, SearchState  # noqa: F401
from consortium.catalog import search as _catalog_search  # noqa: F401,E402  (flush events keeping the text index)
from consortium.catalog.import_batch import ImportBatch  # noqa: F401,E402  (bulk-import previews)

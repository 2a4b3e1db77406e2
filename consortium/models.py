"""Imports every model so that Alembic and create_all see the whole schema."""
from consortium.audit.models import AuditLog  # noqa: F401
from consortium.auth.models import ApiToken, User, UserSession  # noqa: F401
from consortium.geo.models import City, Province  # noqa: F401
from consortium.members.models import Counterparty, Member  # noqa: F401
from consortium.scenarios.models import (Agreement, AgreementParty, GroupMembership, Notification,  # noqa: F401
                                         Replication, ReplicationEvent, Scenario, ScenarioGroup,
                                         ScenarioNeed)
from consortium.catalog.models import DataResource  # noqa: F401

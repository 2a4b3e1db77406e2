"""Imports every model so that Alembic and create_all see the whole schema."""
from consortium.audit.models import AuditLog  # noqa: F401
from consortium.auth.models import ApiToken, User, UserSession  # noqa: F401
from consortium.jobs.models import Job  # noqa: F401
from consortium.geo.models import City, Province  # noqa: F401
from consortium.members.models import Member  # noqa: F401
from consortium.counterparties.models import Counterparty, CounterpartyContact  # noqa: F401
from consortium.notifications.models import Notification  # noqa: F401
from consortium.scenarios.models import (GroupMembership, Invitation, Replication,  # noqa: F401
                                         ReplicationEvent, Scenario, ScenarioGroup, ScenarioNeed)
from consortium.agreements.models import Agreement, AgreementParty  # noqa: F401
from consortium.catalog.models import DataResource, SearchChange  # noqa: F401
from consortium.catalog import search as _catalog_search  # noqa: F401,E402  (index DDL, SQLite gram function, guards)
from consortium.authorisations.models import AuthorisationApplication  # noqa: F401
from consortium.catalog.import_batch import ImportBatch  # noqa: F401,E402  (bulk-import previews)
from consortium.registers.models import (Certificate, CertificateImportBatch, DataSpace,  # noqa: F401,E402
                                          DataSpaceResource, Recognition, RecognitionSuspension,
                                          RegistrationBody)
from consortium.dashboards.models import Dashboard, DashboardPanel, Publication  # noqa: F401,E402
from consortium.negotiations.models import (Amendment, Dossier, DossierEvent, Participant,  # noqa: F401
                                            PositionVersion, PricingModel, Signature, Stance, TermOutcome)
from consortium.catalog.access.models import AccessRequest  # noqa: F401,E402
from consortium.mail.models import MailPreference, OutboxMessage  # noqa: F401,E402
from consortium.harvest.models import HarvestedEntry, HarvestRun, HarvestSource  # noqa: F401,E402

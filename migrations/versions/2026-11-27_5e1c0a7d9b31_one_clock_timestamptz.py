"""one clock: every timestamp column holds an aware UTC instant (timestamptz), no server defaults

Revision ID: 5e1c0a7d9b31
Revises: 24978399ea7d
Create Date: 2026-11-27 00:45:00

Until this revision the timestamp columns were naive (``timestamp without time zone``) and were
filled by two clocks: Python's ``utcnow()`` (naive UTC) and, for the columns that had
``server_default=now()``, the database's ``now()`` read in the server's TimeZone. On a server in
Asia/Shanghai the same instant was stored as 23:34 in one column and 15:34 in another.

PostgreSQL: each column becomes ``timestamptz``, reading its old naive value as
- UTC for the columns Python wrote (``PYTHON_WRITTEN`` below: every column without a server
  default, plus ``user_sessions.created_at``, which Python always set explicitly);
- the server's own zone (``current_setting('TimeZone')`` of the migrating session) for the columns
  that were filled by ``server_default now()`` (``SERVER_FILLED``). ``group_memberships.requested_at``
  was filled by the server at the first request and by Python at a re-request; the server's zone
  is taken (the common case).
If the migrating session's TimeZone is not the one the server wrote in (a client that sets PGTZ,
a ``timezone`` in the connection options), name it: ``flask db upgrade -x server_zone=Asia/Shanghai``.
The server defaults are dropped (every column defaults to Python's ``core.clock.utcnow``), except
``catalog_changes.at``, which triggers fill: ``now()`` into timestamptz is an instant, whatever the zone.

SQLite keeps no zone: its stored text is already UTC (Python's utcnow, and CURRENT_TIMESTAMP is
UTC), and the column type only changes in SQLAlchemy (DATETIME either way): nothing to rewrite.
Its CURRENT_TIMESTAMP defaults stay in the table definitions (dropping them would rebuild every
table, triggers included); they are never used, as the application always sends the value.
"""
from alembic import context, op

# revision identifiers, used by Alembic.
revision = '5e1c0a7d9b31'
down_revision = '24978399ea7d'
branch_labels = None
depends_on = None

SERVER_FILLED = [
    ("access_requests", "created_at"), ("agreements", "created_at"), ("api_tokens", "created_at"),
    ("audit_logs", "created_at"), ("catalog_changes", "at"), ("counterparties", "created_at"),
    ("dashboards", "created_at"), ("data_resources", "created_at"), ("data_resources", "updated_at"),
    ("data_space_resources", "created_at"), ("data_spaces", "created_at"), ("group_memberships", "requested_at"),
    ("members", "created_at"), ("recognition_suspensions", "created_at"), ("recognitions", "created_at"),
    ("registration_bodies", "created_at"), ("registration_certificates", "created_at"),
    ("replication_events", "created_at"), ("replications", "created_at"), ("scenario_groups", "created_at"),
    ("scenarios", "created_at"), ("users", "created_at"),
]
PYTHON_WRITTEN = [
    ("access_requests", "decided_at"), ("agreement_parties", "confirmed_at"), ("amendments", "created_at"),
    ("amendments", "decided_at"), ("api_tokens", "expires_at"), ("api_tokens", "revoked_at"),
    ("authorisation_applications", "created_at"), ("catalog_import_batches", "created_at"),
    ("certificate_import_batches", "created_at"), ("dashboard_publications", "hidden_at"),
    ("dashboard_publications", "published_at"), ("dossier_events", "created_at"),
    ("dossier_participants", "invited_at"), ("dossier_participants", "responded_at"), ("dossiers", "created_at"),
    ("dossiers", "updated_at"), ("group_memberships", "decided_at"), ("notifications", "created_at"),
    ("notifications", "read_at"), ("position_versions", "created_at"), ("pricing_models", "created_at"),
    ("scenario_invitations", "answered_at"), ("scenario_invitations", "created_at"), ("signatures", "created_at"),
    ("stances", "created_at"), ("user_sessions", "created_at"), ("user_sessions", "last_seen_at"),
    ("users", "last_login_at"),
]
KEEP_SERVER_DEFAULT = {("catalog_changes", "at")}  # written by triggers


def _server_zone_sql() -> str:
    zone = context.get_x_argument(as_dictionary=True).get("server_zone")
    if not zone:
        return "current_setting('TimeZone')"
    bind = op.get_bind()
    if not bind.exec_driver_sql("SELECT count(*) FROM pg_timezone_names WHERE name = %(z)s", {"z": zone}).scalar():
        raise ValueError(f"-x server_zone={zone}: PostgreSQL does not know this zone")
    return "'" + zone.replace("'", "''") + "'"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    server_zone = _server_zone_sql()
    for columns, zone in ((SERVER_FILLED, server_zone), (PYTHON_WRITTEN, "'UTC'")):
        for table, column in columns:
            if (table, column) not in KEEP_SERVER_DEFAULT:
                op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT')
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamptz '
                       f'USING {column} AT TIME ZONE {zone}')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in SERVER_FILLED + PYTHON_WRITTEN:  # back to naive UTC
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamp without time zone "
                   f"USING {column} AT TIME ZONE 'UTC'")
    for table, column in SERVER_FILLED:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT CURRENT_TIMESTAMP")

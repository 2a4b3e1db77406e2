"""tokens expire by default, last use

Every API token now has an expiry date: a token created without one expires after the
default lifetime (``API_TOKEN_DEFAULT_DAYS``, 90 days). Tokens that never expired before
this upgrade are given 90 days from the upgrade. ``last_used_at`` is written at most once a
minute by the token's use.

Revision ID: 63481bf7f0f9
Revises: ad4388bce7ee
Create Date: 2026-12-07 07:02:46.262775

"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

from consortium.core.clock import UTCDateTime

# revision identifiers, used by Alembic.
revision = '63481bf7f0f9'
down_revision = 'ad4388bce7ee'
branch_labels = None
depends_on = None

DEFAULT_DAYS = 90


def upgrade():
    tokens = sa.table("api_tokens", sa.column("expires_at", UTCDateTime(timezone=True)))
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None))
               .values(expires_at=datetime.now(timezone.utc) + timedelta(days=DEFAULT_DAYS)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.alter_column('expires_at', existing_type=UTCDateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=UTCDateTime(timezone=True), nullable=True)
        batch_op.drop_column('last_used_at')

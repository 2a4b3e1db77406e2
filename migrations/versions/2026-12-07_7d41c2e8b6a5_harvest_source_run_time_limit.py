"""a harvest source may give its runs a time limit of its own (minutes)

Revision ID: 7d41c2e8b6a5
Revises: 5b3e0f2a9c71
Create Date: 2026-12-07 21:45:00

Null: the site's HARVEST_RUN_TIMEOUT, as every source had until now.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d41c2e8b6a5'
down_revision = '5b3e0f2a9c71'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('harvest_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_timeout_minutes', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('harvest_sources', schema=None) as batch_op:
        batch_op.drop_column('run_timeout_minutes')

"""newest entries index: updated_at with id

Revision ID: 24978399ea7d
Revises: 4296ffeab841
Create Date: 2026-11-26 22:16:12.491485

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '24978399ea7d'
down_revision = '4296ffeab841'
branch_labels = None
depends_on = None


def upgrade():
    # "newest first" (home page: ORDER BY updated_at DESC, id DESC LIMIT 5) walks this index instead
    # of sorting every active entry; the facet reload's range scan on updated_at uses it too
    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.drop_index('ix_data_resources_updated_at')
        batch_op.create_index('ix_data_resources_updated_at_id', ['updated_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.drop_index('ix_data_resources_updated_at_id')
        batch_op.create_index('ix_data_resources_updated_at', ['updated_at'], unique=False)

"""dashboards and panels carry a version

Optimistic locking, as every other edited row: a save from a form opened at an older version is
refused (core.locking); existing rows start at 1.

Revision ID: bd62096adb7d
Revises: de9485f9cc8d
Create Date: 2026-12-07 13:15:57.176754

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bd62096adb7d'
down_revision = 'de9485f9cc8d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dashboard_panels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('dashboard_panels', schema=None) as batch_op:
        batch_op.drop_column('version')


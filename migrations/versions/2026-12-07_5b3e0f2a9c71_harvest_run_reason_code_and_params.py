"""harvest runs keep their failure reason as a code and parameters

Revision ID: 5b3e0f2a9c71
Revises: 432da24534c4
Create Date: 2026-12-07 21:30:00

Old runs keep their stored sentence (``message``) and no code: it is shown as it was.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b3e0f2a9c71'
down_revision = '432da24534c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reason_params', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.drop_column('reason_params')
        batch_op.drop_column('reason_code')

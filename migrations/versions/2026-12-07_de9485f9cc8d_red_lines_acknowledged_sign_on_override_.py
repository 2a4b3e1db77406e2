"""red lines acknowledged, sign-on override and reminder

A dossier event keeps the coordinator's acknowledgement of a rule (closing below a red line: the
breached terms; opening the sign-on on stale stances); a dossier keeps why its sign-on was opened
anyway and the day its reminder was sent. Existing rows: empty.

Revision ID: de9485f9cc8d
Revises: 22fc6633dfdf
Create Date: 2026-12-07 12:54:37.988122

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'de9485f9cc8d'
down_revision = '22fc6633dfdf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledgement', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('breached', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_on_override', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sign_on_reminded_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_column('sign_on_reminded_on')
        batch_op.drop_column('sign_on_override')

    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.drop_column('breached')
        batch_op.drop_column('acknowledgement')


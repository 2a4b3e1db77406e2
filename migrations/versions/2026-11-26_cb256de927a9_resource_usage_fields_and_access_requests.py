"""resource usage fields and access requests

Revision ID: cb256de927a9
Revises: 58997c207034
Create Date: 2026-11-26 18:17:11.558848

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb256de927a9'
down_revision = '58997c207034'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('requester_member_id', sa.Integer(), nullable=False),
    sa.Column('owner_member_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('scenario', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_access_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['owner_member_id'], ['members.id'], name=op.f('fk_access_requests_owner_member_id_members')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_access_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['requester_member_id'], ['members.id'], name=op.f('fk_access_requests_requester_member_id_members')),
    sa.ForeignKeyConstraint(['resource_id'], ['data_resources.id'], name=op.f('fk_access_requests_resource_id_data_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_requests'))
    )
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_requests_owner_member_id'), ['owner_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_requests_requester_member_id'), ['requester_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_requests_resource_id'), ['resource_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('licence', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('usage_conditions', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('schema_fields', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('sample_csv', sa.Text(), nullable=False, server_default=''))



def downgrade():
    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.drop_column('sample_csv')
        batch_op.drop_column('schema_fields')
        batch_op.drop_column('usage_conditions')
        batch_op.drop_column('licence')
        batch_op.drop_column('contact_phone')

    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_requests_status'))
        batch_op.drop_index(batch_op.f('ix_access_requests_resource_id'))
        batch_op.drop_index(batch_op.f('ix_access_requests_requester_member_id'))
        batch_op.drop_index(batch_op.f('ix_access_requests_owner_member_id'))

    op.drop_table('access_requests')

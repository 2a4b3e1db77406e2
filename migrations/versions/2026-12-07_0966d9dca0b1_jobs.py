"""jobs: work done by the job engine's workers for one user (exports, imports), with progress and a file

Revision ID: 0966d9dca0b1
Revises: ee56bd90f930
Create Date: 2026-12-07 07:08:40.764828

"""
from alembic import op
import sqlalchemy as sa

import consortium.core.clock


# revision identifiers, used by Alembic.
revision = '0966d9dca0b1'
down_revision = 'ee56bd90f930'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('visitor_key_hash', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=True),
    sa.Column('download_name', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('created_at', consortium.core.clock.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', consortium.core.clock.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', consortium.core.clock.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', consortium.core.clock.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', consortium.core.clock.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_visitor_key_hash'), ['visitor_key_hash'], unique=False)



def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_visitor_key_hash'))
        batch_op.drop_index(batch_op.f('ix_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_jobs_owner_id'))
        batch_op.drop_index(batch_op.f('ix_jobs_created_at'))

    op.drop_table('jobs')

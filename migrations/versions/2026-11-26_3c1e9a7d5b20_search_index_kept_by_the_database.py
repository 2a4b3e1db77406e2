"""search index kept by the database: drop resource_grams and catalog_search_state, add the
change log, the gram function, its GIN index (PostgreSQL) or FTS5 table (SQLite) and triggers;
backfill the index for the entries already there

Revision ID: 3c1e9a7d5b20
Revises: 0975ad4c4759
Create Date: 2026-11-26 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1e9a7d5b20'
down_revision = '0975ad4c4759'
branch_labels = None
depends_on = None


def upgrade():
    from consortium.catalog.search import index

    with op.batch_alter_table('resource_grams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_grams_resource_id'))
    op.drop_table('resource_grams')
    op.drop_table('catalog_search_state')
    op.create_table('catalog_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('xid', sa.BigInteger(), nullable=True),
    sa.Column('at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_changes')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_changes_xid'), ['xid'], unique=False)
    # the gram function, the index over it (PostgreSQL builds it from the existing rows) or the
    # FTS5 table (filled here from the existing rows), and the triggers
    index.install(op.get_bind())


def downgrade():
    from consortium.catalog.search import index

    index.uninstall(op.get_bind())
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for table in ('data_resources', 'members', 'cities', 'provinces'):
            for (name,) in bind.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)).all():
                bind.exec_driver_sql(f'DROP TRIGGER "{name}"')
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_changes_xid'))
    op.drop_table('catalog_changes')
    op.create_table('catalog_search_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_search_state'))
    )
    op.create_table('resource_grams',
    sa.Column('gram', sa.String(length=4), nullable=False),
    sa.Column('resource_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('gram', 'resource_id', name=op.f('pk_resource_grams')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('resource_grams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_grams_resource_id'), ['resource_id'], unique=False)
    # the old index is left empty: run `flask reindex-resources` of that version after a downgrade

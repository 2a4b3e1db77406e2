"""resource download link; formats kept in the one list form

Revision ID: ee56bd90f930
Revises: 5e1c0a7d9b31
Create Date: 2026-12-07 10:12:31.000000

``data_resources.download_url``: the address of the data file itself, when the member gives one
(DCAT ``dcat:downloadURL``). ``formats`` was stored as typed (``CSV、JSON``, ``CSV；XLSX``); it is
now normalised like the keywords, items separated by ``,`` (the list separator of exports and the
API): existing rows are rewritten the same way.
"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ee56bd90f930'
down_revision = '5e1c0a7d9b31'
branch_labels = None
depends_on = None


def _listed(value: str) -> str:
    return ",".join(dict.fromkeys(k.strip() for k in re.split(r"[,，、;；]", value or "") if k.strip()))


def upgrade():
    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('download_url', sa.String(length=500), nullable=False, server_default=''))
    table = sa.table('data_resources', sa.column('id', sa.Integer), sa.column('formats', sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c.formats).where(table.c.formats != '')).all()
    for row_id, formats in rows:
        if _listed(formats) != formats:
            bind.execute(table.update().where(table.c.id == row_id).values(formats=_listed(formats)))


def downgrade():
    with op.batch_alter_table('data_resources', schema=None) as batch_op:
        batch_op.drop_column('download_url')

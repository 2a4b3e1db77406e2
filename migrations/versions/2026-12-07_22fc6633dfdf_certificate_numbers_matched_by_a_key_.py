"""certificate numbers matched by a key: case and width folded

``number_key`` is what lookups match (services.certificates.number_key: NFKC, no spaces, upper
case), filled here in Python for existing rows (NFKC has no SQL form on SQLite). One certificate
per body and key: two numbers of one body that differ only by case or width stop the upgrade with
their names, to be merged by hand first.

Revision ID: 22fc6633dfdf
Revises: 63481bf7f0f9
Create Date: 2026-12-07 07:08:13.677868

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '22fc6633dfdf'
down_revision = '63481bf7f0f9'
branch_labels = None
depends_on = None


def _key(number) -> str:
    return "".join(unicodedata.normalize("NFKC", str(number or "")).split()).upper()


def upgrade():
    with op.batch_alter_table('registration_certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_key', sa.String(length=60), nullable=True))
    conn = op.get_bind()
    table = sa.table("registration_certificates", sa.column("id", sa.Integer), sa.column("body_id", sa.Integer),
                     sa.column("number", sa.String), sa.column("number_key", sa.String))
    seen, last = {}, 0
    while True:  # in batches: a register may hold a million certificates
        rows = conn.execute(sa.select(table.c.id, table.c.body_id, table.c.number).where(table.c.id > last)
                            .order_by(table.c.id).limit(5000)).all()
        if not rows:
            break
        for row in rows:
            key = (row.body_id, _key(row.number))
            if key in seen:
                raise RuntimeError(f"certificates {seen[key]} and {row.number!r} of body {row.body_id} differ only by "
                                   "case or width: merge them before upgrading")
            seen[key] = row.number
        conn.execute(table.update().where(table.c.id == sa.bindparam("rid")).values(number_key=sa.bindparam("k")),
                     [{"rid": row.id, "k": _key(row.number)} for row in rows])
        last = rows[-1].id
    with op.batch_alter_table('registration_certificates', schema=None) as batch_op:
        batch_op.alter_column('number_key', existing_type=sa.String(length=60), nullable=False)
        batch_op.drop_index(batch_op.f('ix_registration_certificates_number'))
        batch_op.drop_constraint(batch_op.f('uq_registration_certificates_body_number'), type_='unique')
        batch_op.create_index(batch_op.f('ix_registration_certificates_number_key'), ['number_key'], unique=False)
        batch_op.create_unique_constraint('uq_registration_certificates_body_number_key', ['body_id', 'number_key'])


def downgrade():
    with op.batch_alter_table('registration_certificates', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_certificates_body_number_key', type_='unique')
        batch_op.drop_index(batch_op.f('ix_registration_certificates_number_key'))
        batch_op.create_unique_constraint(batch_op.f('uq_registration_certificates_body_number'), ['body_id', 'number'])
        batch_op.create_index(batch_op.f('ix_registration_certificates_number'), ['number'], unique=False)
        batch_op.drop_column('number_key')

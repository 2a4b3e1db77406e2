"""the secretariat chooses the featured dashboard

The home page featured the latest public version of any dashboard, so publishing one replaced
another silently. Now one dashboard is chosen (dashboards.is_featured); the upgrade chooses the one
the home page featured until now (the latest visible public publication), so nothing changes.

Revision ID: caf593cfc358
Revises: bd62096adb7d
Create Date: 2026-12-07 13:23:12.811447

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'caf593cfc358'
down_revision = 'bd62096adb7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_featured', sa.Boolean(), server_default=sa.false(), nullable=False))

    conn = op.get_bind()
    pubs = sa.table("dashboard_publications", sa.column("dashboard_id", sa.Integer), sa.column("audience", sa.String),
                    sa.column("is_hidden", sa.Boolean), sa.column("published_at", sa.DateTime), sa.column("id", sa.Integer))
    latest = conn.execute(sa.select(pubs.c.dashboard_id).where(pubs.c.audience == "public", pubs.c.is_hidden.is_(False))
                          .order_by(pubs.c.published_at.desc(), pubs.c.id.desc()).limit(1)).scalar()
    if latest is not None:
        dashboards = sa.table("dashboards", sa.column("id", sa.Integer), sa.column("is_featured", sa.Boolean))
        conn.execute(dashboards.update().where(dashboards.c.id == latest).values(is_featured=True))


def downgrade():
    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.drop_column('is_featured')


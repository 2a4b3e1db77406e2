"""merge the hardening and collaboration branches

Revision ID: 4296ffeab841
Revises: 2ce98907941b, b020f0d3d02c
Create Date: 2026-11-26 21:26:49.549005

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4296ffeab841'
down_revision = ('2ce98907941b', 'b020f0d3d02c')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Credentials carry an achievement type and a URL, as the journey file does (issue 13)

Adds ``credentials.achievement_type`` and ``credentials.url``, both empty for
credentials made before them.

Revision ID: d13a0001
Revises: b15a0003
Create Date: 2026-12-01 23:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd13a0001'
down_revision = 'b15a0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('achievement_type', sa.String(length=100), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('url', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_column('url')
        batch_op.drop_column('achievement_type')

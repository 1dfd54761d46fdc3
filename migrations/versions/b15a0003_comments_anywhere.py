"""Comments anywhere, resolvable, and guest comments through share links (issue 15)

Revision ID: b15a0003
Revises: c9a00001
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b15a0003'
down_revision = 'c9a00001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=16), server_default='touchpoint', nullable=False))
        batch_op.add_column(sa.Column('place_key', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('guest_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_comments_resolved_by_id_users'), 'users', ['resolved_by_id'], ['id'])
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_comments', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_column('allow_comments')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_resolved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('guest_name')
        batch_op.drop_column('place_key')
        batch_op.drop_column('place')

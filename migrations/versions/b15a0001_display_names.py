"""People have display names (issue 15)

Adds ``users.display_name``; accounts made before it are named after the part
of their email before the @, so nobody is shown as an address.

Revision ID: b15a0001
Revises: 30a8996e3d32
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b15a0001'
down_revision = '30a8996e3d32'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('display_name', sa.String(length=80), server_default='', nullable=False)
        )
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('display_name', sa.String))
    connection = op.get_bind()
    for uid, email in connection.execute(sa.select(users.c.id, users.c.email)).all():
        connection.execute(
            users.update().where(users.c.id == uid)
            .values(display_name=email.split('@', 1)[0][:80])
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('display_name')

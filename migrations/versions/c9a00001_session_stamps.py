"""Accounts carry a session stamp, so signing out ends every copy of a session (issue 9)

Adds ``users.session_stamp``. Accounts made before it get a fresh random
stamp, so sessions from before the upgrade must sign in again.

Revision ID: c9a00001
Revises: b15a0002
Create Date: 2026-12-01 22:20:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9a00001'
down_revision = 'b15a0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_stamp', sa.String(length=32), server_default='', nullable=False)
        )
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_stamp', sa.String))
    connection = op.get_bind()
    for (uid,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == uid).values(session_stamp=uuid.uuid4().hex)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_stamp')

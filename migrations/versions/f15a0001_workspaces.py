"""Workspaces: journeys and people of an institution, invitations to them, digest times (issue 15)

Revision ID: f15a0001
Revises: e14a0001
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f15a0001'
down_revision = 'e14a0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workspaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_workspaces_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspaces'))
    )
    op.create_table('workspace_members',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workspace_members_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_workspace_members_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', 'user_id', name=op.f('pk_workspace_members'))
    )
    with op.batch_alter_table('workspace_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workspace_members_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workspace_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_journeys_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_journeys_workspace_id_workspaces'), 'workspaces', ['workspace_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workspace_id', sa.Integer(), nullable=True))
        batch_op.alter_column('journey_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_invitations_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invitations_workspace_id_workspaces'), 'workspaces', ['workspace_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_sent_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_at')

    op.execute('DELETE FROM invitations WHERE journey_id IS NULL')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitations_workspace_id_workspaces'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invitations_workspace_id'))
        batch_op.alter_column('journey_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('workspace_id')

    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_journeys_workspace_id_workspaces'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_journeys_workspace_id'))
        batch_op.drop_column('workspace_id')

    with op.batch_alter_table('workspace_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workspace_members_user_id'))
    op.drop_table('workspace_members')
    op.drop_table('workspaces')

"""Outcome imports: what learners did, per journey, kept with their dates (issue 14)

Revision ID: e14a0001
Revises: d13a0001
Create Date: 2026-12-01 22:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e14a0001'
down_revision = 'd13a0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journey_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('unmatched', sa.JSON(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_outcome_imports_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['journey_id'], ['journeys.id'], name=op.f('fk_outcome_imports_journey_id_journeys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_imports'))
    )
    with op.batch_alter_table('outcome_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_imports_journey_id'), ['journey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outcome_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_imports_journey_id'))
    op.drop_table('outcome_imports')

"""external: training done outside the platform

Workshops, seminars, webinars, internships and other bodies' training a learner records
(external_trainings); a supervisor or admin approves or rejects; approved ones earn their JP.

Revision ID: 12e5589f3916
Revises: e0ba13ab2297
Create Date: 2026-11-30 02:44:09.287294

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '12e5589f3916'
down_revision = 'e0ba13ab2297'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('evidence_link', sa.String(length=500), nullable=False),
    sa.Column('evidence_note', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_external_trainings_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_external_trainings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_trainings'))
    )
    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_trainings_end_on'), ['end_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_trainings_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_trainings_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_trainings_user_id'))
        batch_op.drop_index(batch_op.f('ix_external_trainings_state'))
        batch_op.drop_index(batch_op.f('ix_external_trainings_end_on'))

    op.drop_table('external_trainings')

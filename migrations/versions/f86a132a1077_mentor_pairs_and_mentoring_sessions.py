"""mentoring: mentor pairs and mentoring sessions

Pendampingan: a mentor paired with a mentee between a start and an optional end date
(mentor_pairs), and the meetings a mentor records, confirmed by the mentee (mentoring_sessions).

Revision ID: f86a132a1077
Revises: e6a795911c9a
Create Date: 2026-11-30 02:21:04.817808

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f86a132a1077'
down_revision = 'e6a795911c9a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mentor_pairs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentor_pairs_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_pairs_mentor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_pairs'))
    )
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('mentoring_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentoring_sessions_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentoring_sessions_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pairs.id'], name=op.f('fk_mentoring_sessions_pair_id_mentor_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sessions'))
    )
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_pair_id'), ['pair_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_pair_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_mentee_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_held_on'))

    op.drop_table('mentoring_sessions')
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentee_id'))

    op.drop_table('mentor_pairs')

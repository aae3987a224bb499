"""completion checks: passed final exams whose course completion the worker records (completion_checks)

Revision ID: 80f7a28c57e6
Revises: 15bbc8523be2
Create Date: 2026-11-30 05:26:10.657404

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '80f7a28c57e6'
down_revision = '15bbc8523be2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completion_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_completion_checks_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completion_checks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_checks')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_completion_checks_enrollment_id'))
    )
    with op.batch_alter_table('completion_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completion_checks_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('completion_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completion_checks_user_id'))

    op.drop_table('completion_checks')

"""completions: the one record of a course completion (JP, version and score kept as completed)

Existing completions are copied in: each certificate (any cycle, with the JP, version and score it
prints), then each completed enrollment cycle without a certificate (a course that gives none),
with the course's current JP and version (the best that is known) and no score.

Revision ID: 223456a184c4
Revises: 64d54adbb669
Create Date: 2026-11-29 23:05:32.727866

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '223456a184c4'
down_revision = '64d54adbb669'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('course_version', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_completions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_completions_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('enrollment_id', 'cycle', name=op.f('uq_completions_enrollment_id_cycle'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_user_id'), ['user_id'], unique=False)

    op.execute(
        "INSERT INTO completions (user_id, course_id, enrollment_id, cycle, completed_at, hours, course_version, score) "
        "SELECT user_id, course_id, enrollment_id, cycle, completed_at, hours, course_version, score "
        "FROM certificates")
    op.execute(
        "INSERT INTO completions (user_id, course_id, enrollment_id, cycle, completed_at, hours, course_version, score) "
        "SELECT e.user_id, e.course_id, e.id, e.cycle, e.completed_at, c.hours, c.version, NULL "
        "FROM enrollments e JOIN courses c ON c.id = e.course_id "
        "WHERE e.completed_at IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM completions k WHERE k.enrollment_id = e.id AND k.cycle = e.cycle)")


def downgrade():
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completions_user_id'))
        batch_op.drop_index(batch_op.f('ix_completions_course_id'))
        batch_op.drop_index(batch_op.f('ix_completions_completed_at'))

    op.drop_table('completions')

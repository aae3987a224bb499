"""tasks: practice tasks and submissions

A module's practice task as synced from its NN-<module>.task.md (module_tasks), and learners'
hand-ins with their reviews, one row per hand-in so the history stays (task_submissions). Courses
synced before this revision are synced again by the next `courses sync` (their tasks are missing).

Revision ID: e0ba13ab2297
Revises: f86a132a1077
Create Date: 2026-11-30 02:29:51.701396

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e0ba13ab2297'
down_revision = 'f86a132a1077'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('pass_points', sa.Integer(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_module_tasks_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_tasks')),
    sa.UniqueConstraint('module_id', name=op.f('uq_module_tasks_module_id'))
    )
    op.create_table('task_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_task_submissions_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['module_tasks.id'], name=op.f('fk_task_submissions_task_id_module_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_task_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_submissions')),
    sa.UniqueConstraint('task_id', 'user_id', 'number', name=op.f('uq_task_submissions_task_id_user_id_number'))
    )
    with op.batch_alter_table('task_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_submissions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_submissions_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_submissions_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_submissions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('task_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_submissions_user_id'))
        batch_op.drop_index(batch_op.f('ix_task_submissions_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_submissions_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_task_submissions_state'))

    op.drop_table('task_submissions')
    op.drop_table('module_tasks')

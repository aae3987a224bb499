"""task rubric scores: points and a comment per rubric criterion of each review (task_scores), the pass
mark a review was given under (task_submissions.pass_points), and each task's own file rules
(module_tasks.max_files, allowed). Stored tasks are marked stale (source_sha256 emptied), so the next
`courses sync` writes the file rules their task files give.

Revision ID: ddbb5b1dd560
Revises: a3c1e7d90b42
Create Date: 2026-11-30 05:22:30.107525

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ddbb5b1dd560'
down_revision = 'a3c1e7d90b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=300), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['task_submissions.id'], name=op.f('fk_task_scores_submission_id_task_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_task_scores_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_scores')),
    sa.UniqueConstraint('submission_id', 'position', name=op.f('uq_task_scores_submission_id_position'))
    )
    with op.batch_alter_table('task_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_scores_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_scores_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('module_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_files', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('allowed', sa.JSON(), server_default='["pdf", "docx", "odt", "image"]',
                                      nullable=False))
    op.execute("UPDATE module_tasks SET source_sha256 = ''")

    with op.batch_alter_table('task_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pass_points', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('task_submissions', schema=None) as batch_op:
        batch_op.drop_column('pass_points')

    with op.batch_alter_table('module_tasks', schema=None) as batch_op:
        batch_op.drop_column('allowed')
        batch_op.drop_column('max_files')

    with op.batch_alter_table('task_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_scores_user_id'))
        batch_op.drop_index(batch_op.f('ix_task_scores_submission_id'))

    op.drop_table('task_scores')

"""task files: files handed in with a practice task, stored in the database (task_files)

Revision ID: 15bbc8523be2
Revises: 07bec9093150
Create Date: 2026-11-30 04:18:37.620936

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '15bbc8523be2'
down_revision = '07bec9093150'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['task_submissions.id'], name=op.f('fk_task_files_submission_id_task_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_task_files_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_files'))
    )
    with op.batch_alter_table('task_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_files_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_files_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('task_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_files_user_id'))
        batch_op.drop_index(batch_op.f('ix_task_files_submission_id'))

    op.drop_table('task_files')

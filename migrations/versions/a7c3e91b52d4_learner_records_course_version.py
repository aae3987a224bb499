"""learner records point at a course version: quiz attempts and certificates store the published
version number (course_versions.number) live when they were made; NULL for older rows

Revision ID: a7c3e91b52d4
Revises: 5c1f0a7d2b93
Create Date: 2026-11-30 04:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e91b52d4'
down_revision = '5c1f0a7d2b93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_version_number', sa.Integer(), nullable=True))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_version_number', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('course_version_number')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('course_version_number')

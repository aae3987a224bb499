"""notification preferences: the day a supervisor wants their weekly digest

Revision ID: 5c1f0a7d2b93
Revises: 12e5589f3916
Create Date: 2026-11-30 03:25:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1f0a7d2b93'
down_revision = '12e5589f3916'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekday', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('weekday')

"""Course source: the kind ("folder") and the course folder it was synced from

A sync of a directory retires only courses synced from that directory. Existing courses get
kind "folder" and no folder: the next sync that finds them records it; until then they are
never retired.

Revision ID: b960a76e9f1f
Revises: d4ac7ea432f3
Create Date: 2026-11-29 23:03:14.700420

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b960a76e9f1f'
down_revision = 'd4ac7ea432f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_kind', sa.String(length=20), server_default='folder', nullable=False))
        batch_op.add_column(sa.Column('source_path', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('source_path')
        batch_op.drop_column('source_kind')

"""course glossary: the title and sanitized HTML of glossary.md (both NULL without a glossary)

Revision ID: 0efb907155d8
Revises: 223456a184c4
Create Date: 2026-11-29 23:03:07.614539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0efb907155d8'
down_revision = '223456a184c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('glossary_title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('glossary_html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('glossary_html')
        batch_op.drop_column('glossary_title')

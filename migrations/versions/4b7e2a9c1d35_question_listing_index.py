"""module questions: one index for the module page's list (module, hidden, newest first)

The list of a module's visible questions is read along this index and stops after one page; its total
is counted from the same index. It also serves the foreign key, so the single-column index goes.

Revision ID: 4b7e2a9c1d35
Revises: 9d2f4c1a7b60
Create Date: 2026-11-30 09:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4b7e2a9c1d35'
down_revision = '9d2f4c1a7b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.create_index('ix_module_questions_listing', ['module_id', 'hidden_at', 'asked_at', 'id'], unique=False)
        batch_op.drop_index('ix_module_questions_module_id')


def downgrade():
    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.create_index('ix_module_questions_module_id', ['module_id'], unique=False)
        batch_op.drop_index('ix_module_questions_listing')

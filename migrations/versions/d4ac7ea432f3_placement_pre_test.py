"""placement pre-test: quizzes get a kind (module, exam, pretest), module progress the moment a
module was placed out, completions the modules placed out

Revision ID: d4ac7ea432f3
Revises: 0efb907155d8
Create Date: 2026-11-30 00:18:00.002840

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4ac7ea432f3'
down_revision = '0efb907155d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placed_out', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placed_out_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='module', nullable=False))
    op.execute("UPDATE quizzes SET kind = 'exam' WHERE module_id IS NULL")



def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_column('placed_out_at')

    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_column('placed_out')


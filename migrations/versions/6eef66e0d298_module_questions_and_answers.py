"""Module questions and answers: the "Tanya" section of a module page (module_questions, module_answers);
staff may hide a post (hidden_at, hidden_by_id, hidden_reason).

Revision ID: 6eef66e0d298
Revises: a7c3e91b52d4
Create Date: 2026-11-30 04:02:37.794884

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '6eef66e0d298'
down_revision = 'a7c3e91b52d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_module_questions_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_module_questions_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_module_questions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_questions'))
    )
    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_questions_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_questions_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_questions_user_id'), ['user_id'], unique=False)

    op.create_table('module_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_module_answers_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['module_questions.id'], name=op.f('fk_module_answers_question_id_module_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_module_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_answers'))
    )
    with op.batch_alter_table('module_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_answers_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('module_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_module_answers_question_id'))

    op.drop_table('module_answers')
    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_questions_user_id'))
        batch_op.drop_index(batch_op.f('ix_module_questions_module_id'))
        batch_op.drop_index(batch_op.f('ix_module_questions_asked_at'))

    op.drop_table('module_questions')

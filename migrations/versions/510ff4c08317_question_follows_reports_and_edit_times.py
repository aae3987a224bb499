"""module questions: followers (question_follows), reports of posts (question_reports) and edit times

The asker of every existing question follows it, as every new asker does (services.questions).

Revision ID: 510ff4c08317
Revises: 80f7a28c57e6
Create Date: 2026-11-30 05:22:19.928559

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '510ff4c08317'
down_revision = '80f7a28c57e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('followed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['module_questions.id'], name=op.f('fk_question_follows_question_id_module_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_question_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_follows')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_question_follows_question_id_user_id'))
    )
    with op.batch_alter_table('question_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_follows_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_follows_user_id'), ['user_id'], unique=False)

    op.create_table('question_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('post', sa.String(length=24), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['module_answers.id'], name=op.f('fk_question_reports_answer_id_module_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['module_questions.id'], name=op.f('fk_question_reports_question_id_module_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_question_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_question_reports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_reports')),
    sa.UniqueConstraint('user_id', 'post', name=op.f('uq_question_reports_user_id_post'))
    )
    with op.batch_alter_table('question_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_reports_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_reports_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_reports_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('module_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))

    op.execute("INSERT INTO question_follows (question_id, user_id, followed_at) "
               "SELECT id, user_id, asked_at FROM module_questions")


def downgrade():
    with op.batch_alter_table('module_questions', schema=None) as batch_op:
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('module_answers', schema=None) as batch_op:
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('question_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_reports_user_id'))
        batch_op.drop_index(batch_op.f('ix_question_reports_question_id'))
        batch_op.drop_index(batch_op.f('ix_question_reports_answer_id'))

    op.drop_table('question_reports')
    with op.batch_alter_table('question_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_question_follows_question_id'))

    op.drop_table('question_follows')

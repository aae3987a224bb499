"""innovations: the showcase of service innovations learners share (grown from a course)

Revision ID: 07bec9093150
Revises: 6eef66e0d298
Create Date: 2026-11-30 04:11:13.153232

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07bec9093150'
down_revision = '6eef66e0d298'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('innovations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_innovations_course_id_courses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_innovations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_innovations'))
    )
    with op.batch_alter_table('innovations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_innovations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_innovations_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_innovations_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('innovations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_innovations_user_id'))
        batch_op.drop_index(batch_op.f('ix_innovations_published_at'))
        batch_op.drop_index(batch_op.f('ix_innovations_course_id'))

    op.drop_table('innovations')

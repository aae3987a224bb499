"""innovation photo, measured result, action plan and featuring (innovations: photo*, result_*, action_plan_id,
featured_*)

Revision ID: a3c1e7d90b42
Revises: 9b1e4c2d7f60
Create Date: 2026-11-30 05:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c1e7d90b42'
down_revision = '9b1e4c2d7f60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('innovations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_text', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('result_value', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('result_unit', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('photo_thumb', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('photo_type', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('photo_width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('photo_height', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('photo_key', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('photo_alt', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('action_plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('featured_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('featured_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_innovations_featured_by_id_users'), 'users', ['featured_by_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_innovations_action_plan_id_action_plans'), 'action_plans',
                                    ['action_plan_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('innovations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_innovations_action_plan_id_action_plans'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_innovations_featured_by_id_users'), type_='foreignkey')
        for column in ('featured_by_id', 'featured_at', 'action_plan_id', 'photo_alt', 'photo_key', 'photo_height',
                       'photo_width', 'photo_type', 'photo_thumb', 'photo', 'result_unit', 'result_value',
                       'result_text'):
            batch_op.drop_column(column)

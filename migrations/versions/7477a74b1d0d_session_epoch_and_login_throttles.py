"""Session epoch on users (a password change or admin reset ends every session) and failed logins per account

Revision ID: 7477a74b1d0d
Revises: b960a76e9f1f
Create Date: 2026-11-29 23:11:10.802676

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '7477a74b1d0d'
down_revision = 'b960a76e9f1f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('email', name=op.f('uq_login_throttles_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')

    op.drop_table('login_throttles')

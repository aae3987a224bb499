"""notifications: in-app messages with email delivery state, and per-kind email preferences

Revision ID: e6a795911c9a
Revises: 0edd8cbc63a4
Create Date: 2026-11-30 02:24:00.560126

"""
import sqlalchemy as sa
from alembic import op

import elearn.models._types


# revision identifiers, used by Alembic.
revision = 'e6a795911c9a'
down_revision = '0edd8cbc63a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('updated_at', elearn.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', elearn.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', elearn.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_state', sa.String(length=10), nullable=False),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.Column('email_next_at', elearn.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_sent_at', elearn.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_error', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'kind', 'dedup_key', name=op.f('uq_notifications_user_id_kind_dedup_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_email_due', ['email_state', 'email_next_at'], unique=False)
        batch_op.create_index('ix_notifications_unread', ['user_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_unread')
        batch_op.drop_index('ix_notifications_email_due')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')

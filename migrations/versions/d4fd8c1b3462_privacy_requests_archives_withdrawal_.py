"""privacy: requests, archives, withdrawal, reissue, notice

Personal data under UU PDP: deletion and reissue requests with the admin's decision
(privacy_requests), "my data" archives kept in the database until they expire (data_exports), the
privacy notice version a person acknowledged, anonymisation and never-used flags on users, and on
certificates a withdrawal at the holder's request and reissues of the same completion (the unique key
becomes (enrollment, cycle, reissue); existing certificates are reissue 0).

Downgrading deletes reissued certificates (reissue > 0) so the old unique key fits again.

Revision ID: d4fd8c1b3462
Revises: 7477a74b1d0d
Create Date: 2026-11-29 23:56:07.993634

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4fd8c1b3462'
down_revision = '7477a74b1d0d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports'))
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_exports_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'], unique=False)

    op.create_table('privacy_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_privacy_requests_certificate_id_certificates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_privacy_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_requests'))
    )
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_requests_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reissue', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.String(length=30), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_certificates_enrollment_id_cycle'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_enrollment_id_cycle_reissue'), ['enrollment_id', 'cycle', 'reissue'])
        batch_op.create_foreign_key(batch_op.f('fk_certificates_superseded_by_id_certificates'), 'certificates', ['superseded_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_notice_version', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('privacy_notice_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inactive_flagged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('inactive_flagged_at')
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('privacy_notice_at')
        batch_op.drop_column('privacy_notice_version')

    op.execute("UPDATE privacy_requests SET certificate_id = NULL WHERE certificate_id IN "
               "(SELECT id FROM certificates WHERE reissue > 0)")
    op.execute("UPDATE certificates SET superseded_by_id = NULL")
    op.execute("DELETE FROM certificates WHERE reissue > 0")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_superseded_by_id_certificates'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificates_enrollment_id_cycle_reissue'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_enrollment_id_cycle'), ['enrollment_id', 'cycle'])
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('superseded_by_id')
        batch_op.drop_column('reissue')

    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_requests_user_id'))
        batch_op.drop_index(batch_op.f('ix_privacy_requests_state'))

    op.drop_table('privacy_requests')
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_data_exports_state'))
        batch_op.drop_index(batch_op.f('ix_data_exports_expires_at'))

    op.drop_table('data_exports')

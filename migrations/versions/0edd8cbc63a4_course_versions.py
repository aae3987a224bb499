"""course versions: content-addressed files of every published version (courses sync and the studio)

Revision ID: 0edd8cbc63a4
Revises: d4fd8c1b3462
Create Date: 2026-11-30 02:23:39.044615

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0edd8cbc63a4'
down_revision = 'd4fd8c1b3462'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_content_blobs'))
    )
    op.create_table('course_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_versions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_versions')),
    sa.UniqueConstraint('course_id', 'number', name=op.f('uq_course_versions_course_id_number'))
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_versions_course_id'), ['course_id'], unique=False)

    op.create_table('version_files',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['content_blobs.sha256'], name=op.f('fk_version_files_blob_sha256_content_blobs')),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_version_files_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'path', name=op.f('pk_version_files'))
    )
    with op.batch_alter_table('version_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_files_blob_sha256'), ['blob_sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('version_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_files_blob_sha256'))

    op.drop_table('version_files')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_versions_course_id'))

    op.drop_table('course_versions')
    op.drop_table('content_blobs')

"""course staff: owners and editors of a course (course_staff); today's front-matter trainers become owners

Revision ID: 9b1e4c2d7f60
Revises: 510ff4c08317
Create Date: 2026-11-30 05:40:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b1e4c2d7f60'
down_revision = '510ff4c08317'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_course_staff_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_staff_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_staff')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_staff_course_id_user_id'))
    )
    with op.batch_alter_table('course_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_staff_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_staff_user_id'), ['user_id'], unique=False)
    _import_trainers()


def _import_trainers():
    """Today's staff rule, once: the trainer and admin accounts whose email is in a course's front-matter
    ``trainers:`` list become its owners (elearn.services.course_staff.import_front_matter_staff)."""
    conn = op.get_bind()
    accounts = {email.lower(): uid for uid, email in conn.execute(sa.text(
        "SELECT id, email FROM users WHERE role IN ('trainer', 'admin')"))}
    staff = sa.table('course_staff', sa.column('course_id', sa.Integer), sa.column('user_id', sa.Integer),
                     sa.column('role', sa.String), sa.column('added_at', sa.DateTime(timezone=True)))
    rows = []
    for course_id, settings in conn.execute(sa.text("SELECT id, settings FROM courses")):
        if isinstance(settings, str):
            settings = json.loads(settings or "{}")
        emails = {str(e).strip().lower() for e in (settings or {}).get("trainers", []) or []}
        rows += [{"course_id": course_id, "user_id": accounts[e], "role": "owner",
                  "added_at": sa.func.now()} for e in sorted(emails) if e in accounts]
    for row in rows:
        conn.execute(staff.insert().values(**row))


def downgrade():
    with op.batch_alter_table('course_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_staff_course_id'))

    op.drop_table('course_staff')

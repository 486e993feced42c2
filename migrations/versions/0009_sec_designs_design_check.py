"""certificate designs keep the result of their last check (error, notes, preview PDF)

Revision ID: 0009_sec_designs
Revises: 0008_sec_access

"""
from alembic import op
import sqlalchemy as sa


revision = "0009_sec_designs"
down_revision = "0008_sec_access"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_design', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('check_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('check_notes', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('preview_pdf', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('certificate_design', schema=None) as batch_op:
        batch_op.alter_column('check_notes', server_default=None)


def downgrade():
    with op.batch_alter_table('certificate_design', schema=None) as batch_op:
        batch_op.drop_column('preview_pdf')
        batch_op.drop_column('check_notes')
        batch_op.drop_column('check_error')
        batch_op.drop_column('checked_at')

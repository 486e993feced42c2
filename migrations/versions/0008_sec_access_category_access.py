"""participant categories: offered on the public form or given by organisers only; approval
needed for a category (issue 12: approval bypassed by changing category)

Revision ID: 0008_sec_access
Revises: 0007_interop
Create Date: 2026-11-30 18:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008_sec_access"
down_revision = "0007_interop"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participant_category", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_public", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("requires_approval", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("participant_category", schema=None) as batch_op:
        batch_op.drop_column("requires_approval")
        batch_op.drop_column("is_public")

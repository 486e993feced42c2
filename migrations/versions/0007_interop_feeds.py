"""feeds: installation id, items announced before cancellation, calendar SEQUENCE

Revision ID: 0007_interop
Revises: 0006_sec_web
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_interop"
down_revision = "0006_sec_web"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    with op.batch_alter_table("programme_item") as batch:
        batch.add_column(sa.Column("announced", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
    # Items public today have been announced.
    op.execute("UPDATE programme_item SET announced = TRUE WHERE status = 'published'")


def downgrade():
    with op.batch_alter_table("programme_item") as batch:
        batch.drop_column("sequence")
        batch.drop_column("announced")
    op.drop_table("installation")

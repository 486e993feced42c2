"""vpart: an event's banner image and the items organisers choose as highlights

Revision ID: 0014_vpart
Revises: 0013_badge_jobs
Create Date: 2026-11-30 21:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_vpart"
down_revision = "0013_badge_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("banner", sa.String(length=300), nullable=True))
    with op.batch_alter_table("programme_item") as batch:
        batch.add_column(sa.Column("highlight", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("programme_item") as batch:
        batch.alter_column("highlight", server_default=None)  # the model gives the default


def downgrade():
    with op.batch_alter_table("programme_item") as batch:
        batch.drop_column("highlight")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("banner")

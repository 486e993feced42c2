"""releases: named schedule versions with a snapshot of the public programme

Revision ID: 0015_releases
Revises: 0014_vpart
Create Date: 2026-11-30 21:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_releases"
down_revision = "0014_vpart"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schedule_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("changelog", sa.Text(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("notified", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_schedule_release_event_id_event"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["user.id"], name=op.f("fk_schedule_release_released_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_release")),
        sa.UniqueConstraint("event_id", "name", name="name_once_per_event"),
    )
    op.create_index(op.f("ix_schedule_release_event_id"), "schedule_release", ["event_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_schedule_release_event_id"), table_name="schedule_release")
    op.drop_table("schedule_release")

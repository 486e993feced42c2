"""cache: a version of each event's public data (and of the site's) for the page cache

Revision ID: 0012_cache
Revises: 0011_celery
Create Date: 2026-11-30 18:30:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_cache"
down_revision = "0011_celery"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "public_data_version",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_public_data_version")),
    )
    # Pages cached before this migration cannot exist; start every scope now.
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(table, [{"scope": "site", "version": 1, "changed_at": now}])
    op.execute(
        sa.text(
            "INSERT INTO public_data_version (scope, version, changed_at)"
            " SELECT 'event:' || id, 1, :now FROM event"
        ).bindparams(now=now)
    )


def downgrade():
    op.drop_table("public_data_version")

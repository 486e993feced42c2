"""accounts: a session token per user, replaced at sign-out and on a new password, so copied
session cookies stop working

Revision ID: 0006_sec_web
Revises: 0005_shows_sponsors
Create Date: 2026-11-30 18:30:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006_sec_web"
down_revision = "0005_shows_sponsors"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    # Every existing account gets its own token; sessions signed in before the upgrade carry
    # no token and end (their users sign in again).
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(
            user.update().where(user.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_token")

"""print jobs print name badges too: the job's kind and, for badges, its options

Revision ID: 0013_badge_jobs
Revises: 0012_cache
"""
from alembic import op
import sqlalchemy as sa


revision = "0013_badge_jobs"
down_revision = "0012_cache"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        # Every existing job printed certificates.
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='certificates'))
        batch_op.add_column(sa.Column('options', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.create_check_constraint(batch_op.f('ck_print_job_known_kind'), "kind IN ('certificates', 'badges')")
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        for column in ('kind', 'options'):
            batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_print_job_known_kind'), type_='check')
        batch_op.drop_column('options')
        batch_op.drop_column('kind')

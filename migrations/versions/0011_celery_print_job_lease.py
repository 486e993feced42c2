"""print jobs run by Celery workers: what to print, attempts and the worker's lease

Revision ID: 0011_celery
Revises: 0010_sec_escape
"""
from alembic import op
import sqlalchemy as sa


revision = "0011_celery"
down_revision = "0010_sec_escape"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        # Existing rows keep their results; they have no inputs to print again, so a stale one
        # is marked failed by the first sweep and printing the batch again starts a new job.
        batch_op.add_column(sa.Column('certificate_ids', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('design_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('base_url', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('worker', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_print_job_design_id_certificate_design'), 'certificate_design',
                                    ['design_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        for column in ('certificate_ids', 'base_url', 'attempts', 'worker'):
            batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_print_job_design_id_certificate_design'), type_='foreignkey')
        for column in ('worker', 'lease_expires_at', 'attempts', 'base_url', 'design_id', 'certificate_ids'):
            batch_op.drop_column(column)

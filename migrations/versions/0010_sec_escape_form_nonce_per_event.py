"""registration.form_nonce: unique per event instead of across all events

The same nonce sent to two events' forms made the second insert fail on the global unique
constraint, and the failure read as "this e-mail is already registered".

Revision ID: 0010_sec_escape
Revises: 0009_sec_designs
"""
from alembic import op


revision = "0010_sec_escape"
down_revision = "0009_sec_designs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registration_form_nonce'), type_='unique')
        batch_op.create_unique_constraint('one_per_form', ['event_id', 'form_nonce'])


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('one_per_form', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_registration_form_nonce'), ['form_nonce'])

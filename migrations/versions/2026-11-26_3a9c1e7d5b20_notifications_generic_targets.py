"""notifications: a generic target (type, id) and payload instead of scenario foreign keys

Revision ID: 3a9c1e7d5b20
Revises: fb5721250361
Create Date: 2026-11-26 18:40:00

Existing rows are converted: invitations point at their replication, join decisions at
their group; the names they showed are copied into the payload.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '3a9c1e7d5b20'
down_revision = 'fb5721250361'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('target_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))
        batch_op.alter_column('kind', existing_type=sa.String(length=30), type_=sa.String(length=40),
                              existing_nullable=False)

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT n.id, n.kind, n.group_id, n.replication_id, g.name AS group_name, s.title AS scenario_title "
        "FROM notifications n LEFT JOIN scenario_groups g ON g.id = n.group_id "
        "LEFT JOIN scenarios s ON s.id = n.scenario_id")).mappings().all()
    for row in rows:
        if row["kind"] == "invitation" and row["replication_id"] is not None:
            target = ("replication", row["replication_id"])
        elif row["group_id"] is not None:
            target = ("scenario_group", row["group_id"])
        else:
            target = (None, None)
        payload = {"group": row["group_name"] or "", "scenario": row["scenario_title"] or ""}
        conn.execute(sa.text("UPDATE notifications SET kind = :kind, target_type = :tt, target_id = :tid, "
                             "payload = :payload WHERE id = :id"),
                     {"kind": "scenarios." + row["kind"], "tt": target[0], "tid": target[1],
                      "payload": json.dumps(payload, ensure_ascii=False), "id": row["id"]})
    conn.execute(sa.text("UPDATE notifications SET payload = '{}' WHERE payload IS NULL"))

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint('fk_notifications_group_id_scenario_groups', type_='foreignkey')
        batch_op.drop_constraint('fk_notifications_scenario_id_scenarios', type_='foreignkey')
        batch_op.drop_constraint('fk_notifications_replication_id_replications', type_='foreignkey')
        batch_op.drop_column('group_id')
        batch_op.drop_column('scenario_id')
        batch_op.drop_column('replication_id')
        batch_op.create_index('ix_notifications_member_id_read_at', ['member_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_member_id_read_at')
        batch_op.add_column(sa.Column('replication_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scenario_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_notifications_group_id_scenario_groups', 'scenario_groups', ['group_id'], ['id'])
        batch_op.create_foreign_key('fk_notifications_scenario_id_scenarios', 'scenarios', ['scenario_id'], ['id'])
        batch_op.create_foreign_key('fk_notifications_replication_id_replications', 'replications',
                                    ['replication_id'], ['id'])
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE notifications SET group_id = target_id WHERE target_type = 'scenario_group'"))
    conn.execute(sa.text("UPDATE notifications SET replication_id = target_id WHERE target_type = 'replication'"))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('payload')
        batch_op.drop_column('target_id')
        batch_op.drop_column('target_type')

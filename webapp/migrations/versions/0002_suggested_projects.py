"""suggested projects (the blog editors' table)

Revision ID: 0002_suggested_projects
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_suggested_projects'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('suggested_projects',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('difficulty', sa.String(length=20), nullable=False),
    sa.Column('certifications', sa.String(length=200), nullable=False),
    sa.Column('updated', sa.Date(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_suggested_projects_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggested_projects'))
    )
    with op.batch_alter_table('suggested_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggested_projects_position'), ['position'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggested_projects_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('suggested_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggested_projects_status'))
        batch_op.drop_index(batch_op.f('ix_suggested_projects_position'))

    op.drop_table('suggested_projects')

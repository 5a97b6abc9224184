"""interviews: assignments and scorecards, agreed levels, results, audit trail (web app part 2)

Revision ID: 0200
Revises: 0002_suggested_projects
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.models.base


revision: str = '0200'
down_revision: str | None = '0002_suggested_projects'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('certification', sa.String(length=40), nullable=False),
    sa.Column('scheduled_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('rubric_version', sa.String(length=40), nullable=False),
    sa.Column('rubric_json', sa.Text(), nullable=False),
    sa.Column('brief_html', sa.Text(), nullable=True),
    sa.Column('sheet_json', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_interviews_candidate_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_interviews_created_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_interviews_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_interviews_submission_id'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_certification'), ['certification'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_scheduled_at'), ['scheduled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_state'), ['state'], unique=False)

    op.create_table('agreed_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_agreed_levels_decided_by_id_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_agreed_levels_interview_id_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreed_levels')),
    sa.UniqueConstraint('interview_id', 'criterion_id', name=op.f('uq_agreed_levels_interview_id_criterion_id'))
    )
    with op.batch_alter_table('agreed_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreed_levels_interview_id'), ['interview_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=120), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_audit_entries_interview_id_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_interview_id'), ['interview_id'], unique=False)

    op.create_table('interview_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('certification', sa.String(length=40), nullable=False),
    sa.Column('rubric_version', sa.String(length=40), nullable=False),
    sa.Column('interview_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('score_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('below_pass_mark', sa.Boolean(), nullable=False),
    sa.Column('failed_must_pass_json', sa.Text(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('refund_status', sa.String(length=20), nullable=True),
    sa.Column('retry_on', sa.Date(), nullable=True),
    sa.Column('attempts_left', sa.Integer(), nullable=False),
    sa.Column('ai_engineer', sa.Boolean(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_interview_results_attempt_id_attempts')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_interview_results_candidate_id_users')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_interview_results_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_interview_results_decided_by_id_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_results_interview_id_interviews')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_interview_results_refund_id_refunds')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_interview_results_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_results')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_interview_results_interview_id'))
    )
    with op.batch_alter_table('interview_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_results_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_results_interview_on'), ['interview_on'], unique=False)

    op.create_table('scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('overall_comment', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.String(length=20), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('finalised_at', webapp.models.base.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_scorecards_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_scorecards_interview_id_interviews')),
    sa.ForeignKeyConstraint(['interviewer_id'], ['users.id'], name=op.f('fk_scorecards_interviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecards')),
    sa.UniqueConstraint('interview_id', 'interviewer_id', name=op.f('uq_scorecards_interview_id_interviewer_id'))
    )
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorecards_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index('ix_scorecards_interviewer_id_scheduled_at', ['interviewer_id', 'scheduled_at'], unique=False)
        batch_op.create_index('ix_scorecards_interviewer_id_state_scheduled_at', ['interviewer_id', 'state', 'scheduled_at'], unique=False)

    op.create_table('criterion_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('candidate_note', sa.Text(), nullable=False),
    sa.Column('private_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_criterion_scores_scorecard_id_scorecards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_scores')),
    sa.UniqueConstraint('scorecard_id', 'criterion_id', name=op.f('uq_criterion_scores_scorecard_id_criterion_id'))
    )
    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_scores_scorecard_id'), ['scorecard_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_scores_scorecard_id'))

    op.drop_table('criterion_scores')
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.drop_index('ix_scorecards_interviewer_id_state_scheduled_at')
        batch_op.drop_index('ix_scorecards_interviewer_id_scheduled_at')
        batch_op.drop_index(batch_op.f('ix_scorecards_interview_id'))

    op.drop_table('scorecards')
    with op.batch_alter_table('interview_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_results_interview_on'))
        batch_op.drop_index(batch_op.f('ix_interview_results_candidate_id'))

    op.drop_table('interview_results')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_interview_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('agreed_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreed_levels_interview_id'))

    op.drop_table('agreed_levels')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_state'))
        batch_op.drop_index(batch_op.f('ix_interviews_scheduled_at'))
        batch_op.drop_index(batch_op.f('ix_interviews_certification'))
        batch_op.drop_index(batch_op.f('ix_interviews_candidate_id'))

    op.drop_table('interviews')

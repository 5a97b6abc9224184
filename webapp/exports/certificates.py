"""Certificates with their expiry: who holds which certificate, awarded when, expiring when,
and whether it is valid on the day of the export."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp.exports.filters import ExportFilter
from webapp.models import Certificate, User

COLUMNS = (
    "certificate_id",
    "candidate_email",
    "candidate_name",
    "certification",
    "awarded_on",
    "expires_on",
    "valid_through",
    "state",
)


def rows(
    session: Session, flt: ExportFilter, today: date, config: program.ProgramConfig
) -> list[dict[str, Any]]:
    """Filtered by certification and by the award date range."""
    query = flt.narrow(
        select(Certificate, User.email, User.name)
        .join(User, User.id == Certificate.candidate_id)
        .order_by(Certificate.expires_on, Certificate.id),
        certification=Certificate.certification,
        day=Certificate.awarded_on,
    )
    out = []
    for cert, email, name in session.execute(query).all():
        status = program.certificate_status(
            program.Certificate(cert.certification, cert.awarded_on), today, config
        )
        out.append(
            {
                "certificate_id": cert.id,
                "candidate_email": email,
                "candidate_name": name,
                "certification": cert.certification,
                "awarded_on": cert.awarded_on,
                "expires_on": cert.expires_on,
                "valid_through": date.fromordinal(cert.expires_on.toordinal() - 1),
                "state": status.state,
            }
        )
    return out

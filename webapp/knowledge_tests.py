"""Knowledge-test results into the database: a CSV file from the proctoring provider, or one
result typed by staff.

The file is checked as a whole before anything is written: every bad row is reported with its
row number (the header is row 1, as in a spreadsheet) and nothing is imported unless all rows
are good. A row already recorded with the same score is left alone, so importing the same file
again changes nothing. Each new attempt must be allowed by the program's rules on the day it
was taken (attempt limits, the wait after a failure) and is charged its fee.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp import rules
from webapp.accounts import normalise_email
from webapp.models import (
    KNOWLEDGE,
    Attempt,
    Fee,
    ImportBatch,
    Role,
    User,
)

MAX_ROWS = 20_000
COLUMNS = ("email", "certification", "date", "score")
#: Header names accepted for each column (lower-case, spaces and punctuation ignored).
HEADER_ALIASES = {
    "email": {"email", "emailaddress", "candidateemail", "candidate", "mail"},
    "certification": {"certification", "certificationid", "cert", "certid", "certificationcode"},
    "date": {"date", "takenon", "testdate", "examdate", "day"},
    "score": {"score", "scorepercent", "score%", "percent", "percentage", "result"},
}
SCORE_RE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


@dataclass(frozen=True)
class RowError:
    row: int
    message: str
    column: str | None = None


@dataclass(frozen=True)
class ResultRow:
    row: int
    email: str
    certification: str
    taken_on: date
    score_percent: Decimal


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, no rows, too many rows)."""


# -- reading --------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z%]", "", text.lower())


def parse_score(text: str) -> Decimal | None:
    match = SCORE_RE.match(text)
    if not match:
        return None
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    return value if Decimal(0) <= value <= Decimal(100) else None


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def read_rows(data: bytes) -> tuple[list[ResultRow], list[RowError]]:
    """Parse and check every row's shape; the rows that parsed, and every problem found."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFileError(
            "The file is not UTF-8 text. Save it as CSV (UTF-8) and upload it again."
        ) from err
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise ImportFileError(f"The file is not readable as CSV: {err}.") from err
    records = [r for r in records if any(cell.strip() for cell in r)] if records else []
    if not records:
        raise ImportFileError("The file has no rows.")
    order = list(COLUMNS)
    first_row = 1
    header = [_header_key(c) for c in records[0]]
    if not any("@" in c for c in records[0]):  # a header row names the columns
        found = {}
        for index, name in enumerate(header):
            for column, aliases in HEADER_ALIASES.items():
                if name in aliases and column not in found:
                    found[column] = index
        missing = [c for c in COLUMNS if c not in found]
        if missing:
            raise ImportFileError(
                "Row 1 must name the columns email, certification, date and score "
                f"(missing: {', '.join(missing)})."
            )
        order_index = [found[c] for c in COLUMNS]
        records = records[1:]
        first_row = 2
    else:
        order_index = list(range(len(order)))
    if len(records) > MAX_ROWS:
        raise ImportFileError(f"The file has {len(records)} rows; at most {MAX_ROWS} are allowed.")
    rows: list[ResultRow] = []
    errors: list[RowError] = []
    for offset, record in enumerate(records):
        number = first_row + offset
        cells = [record[i].strip() if i < len(record) else "" for i in order_index]
        email, cert, day_text, score_text = cells
        problems: list[RowError] = []
        if not email or "@" not in email:
            problems.append(RowError(number, f"{email!r} is not an e-mail address.", "email"))
        if cert not in program.CERTIFICATION_IDS:
            problems.append(
                RowError(
                    number,
                    f"{cert!r} is not a certification id; use one of "
                    f"{', '.join(program.CERTIFICATION_IDS)}.",
                    "certification",
                )
            )
        taken_on = parse_date(day_text)
        if taken_on is None:
            problems.append(
                RowError(number, f"{day_text!r} is not a date like 2024-03-31.", "date")
            )
        score = parse_score(score_text)
        if score is None:
            problems.append(
                RowError(
                    number,
                    f"{score_text!r} is not a score from 0 to 100 (at most two decimals).",
                    "score",
                )
            )
        if problems:
            errors.extend(problems)
            continue
        assert taken_on is not None and score is not None
        rows.append(ResultRow(number, normalise_email(email), cert, taken_on, score))
    return rows, errors


# -- checking against the database and the rules, then writing -------------------------------


def import_results(
    session: Session,
    rows: list[ResultRow],
    config: program.ProgramConfig,
    today: date,
    *,
    errors: list[RowError] | None = None,
    recorded_by: User | None = None,
    source: str = "import",
    filename: str = "",
    digest: str = "",
) -> ImportResult:
    """Check every row, then (only if all are good) add the new attempts and their fees.

    The caller commits; nothing is added to the session when any error is reported.
    """
    result = ImportResult(errors=list(errors or []))
    seen: dict[tuple[str, str, date], ResultRow] = {}
    by_email: dict[str, User | None] = {}
    new_rows: list[tuple[ResultRow, User]] = []
    for row in rows:
        key = (row.email, row.certification, row.taken_on)
        if key in seen:
            first = seen[key]
            if first.score_percent == row.score_percent:
                result.errors.append(RowError(row.row, f"Repeats row {first.row}."))
            else:
                result.errors.append(
                    RowError(
                        row.row,
                        f"Row {first.row} gives another score for the same "
                        "candidate, certification and date.",
                        "score",
                    )
                )
            continue
        seen[key] = row
        if row.taken_on > today:
            result.errors.append(
                RowError(row.row, f"The date {row.taken_on.isoformat()} is in the future.", "date")
            )
            continue
        if row.email not in by_email:
            by_email[row.email] = session.scalar(select(User).where(User.email == row.email))
        user = by_email[row.email]
        if user is None:
            result.errors.append(
                RowError(
                    row.row,
                    f"No account uses {row.email}; the candidate must register first.",
                    "email",
                )
            )
            continue
        if user.role != Role.CANDIDATE:
            result.errors.append(
                RowError(row.row, f"{row.email} is not a candidate account.", "email")
            )
            continue
        existing = session.scalar(
            select(Attempt).where(
                Attempt.candidate_id == user.id,
                Attempt.certification == row.certification,
                Attempt.evaluation == KNOWLEDGE,
                Attempt.taken_on == row.taken_on,
            )
        )
        if existing is not None:
            if existing.score_percent == row.score_percent:
                result.unchanged += 1
            else:
                result.errors.append(
                    RowError(
                        row.row,
                        f"A score of {existing.score_percent}% is already recorded for this "
                        "candidate, certification and date; correct it by hand if it is wrong.",
                        "score",
                    )
                )
            continue
        new_rows.append((row, user))
    result.errors.extend(_check_rules(session, new_rows, config))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    batch: ImportBatch | None = None
    if new_rows and source == "import":
        batch = ImportBatch(
            filename=filename[:255],
            sha256=digest,
            rows_total=len(rows),
            rows_created=len(new_rows),
            uploaded_by_id=recorded_by.id if recorded_by else None,
        )
        session.add(batch)
        session.flush()
    for row, user in new_rows:
        attempt = Attempt(
            candidate_id=user.id,
            certification=row.certification,
            evaluation=KNOWLEDGE,
            taken_on=row.taken_on,
            score_percent=row.score_percent,
            passed=config.knowledge_passed(row.score_percent),
            source=source,
            import_batch_id=batch.id if batch else None,
            recorded_by_id=recorded_by.id if recorded_by else None,
            note="",
        )
        session.add(attempt)
        session.flush()
        (line,) = program.fees(
            [program.knowledge_attempt(row.certification, row.taken_on, row.score_percent, config)],
            config,
        )
        session.add(
            Fee(
                attempt_id=attempt.id,
                candidate_id=user.id,
                certification=row.certification,
                evaluation=KNOWLEDGE,
                charged_on=row.taken_on,
                amount_cents=line.amount_cents,
                currency=config.currency,
            )
        )
    result.created = len(new_rows)
    return result


def _check_rules(
    session: Session, new_rows: list[tuple[ResultRow, User]], config: program.ProgramConfig
) -> list[RowError]:
    """Each new attempt, in date order per candidate, must be allowed on the day it was taken."""
    errors: list[RowError] = []
    by_user: dict[int, list[ResultRow]] = {}
    users: dict[int, User] = {}
    for row, user in new_rows:
        by_user.setdefault(user.id, []).append(row)
        users[user.id] = user
    for user_id, user_rows in by_user.items():
        history = rules.history(session, user_id)
        attempts = list(history.attempts)
        for row in sorted(user_rows, key=lambda r: (r.taken_on, r.row)):
            before = [a for a in attempts if a.taken_on <= row.taken_on]
            decision = program.can_take_knowledge_test(
                row.certification,
                program.CandidateHistory.of(before, history.certificates, history.credits),
                row.taken_on,
                config,
            )
            if not decision.allowed:
                errors.append(
                    RowError(
                        row.row,
                        f"Not allowed on {row.taken_on.isoformat()} for "
                        f"{users[user_id].email} (rule {decision.rule}): "
                        f"{decision.message}",
                    )
                )
                continue
            attempts.append(
                program.knowledge_attempt(
                    row.certification, row.taken_on, row.score_percent, config
                )
            )
            attempts.sort(key=lambda a: a.taken_on)
    return errors


def import_file(
    session: Session,
    data: bytes,
    config: program.ProgramConfig,
    today: date,
    *,
    recorded_by: User | None = None,
    filename: str = "",
) -> ImportResult:
    """Read and import a CSV file (``ImportFileError`` when it cannot be read at all)."""
    rows, errors = read_rows(data)
    return import_results(
        session,
        rows,
        config,
        today,
        errors=errors,
        recorded_by=recorded_by,
        filename=filename,
        digest=hashlib.sha256(data).hexdigest(),
    )

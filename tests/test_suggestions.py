"""Suggested projects: the shipped content, the schema's errors with file and line, and the
canonical file form (load → dump reproduces the files byte for byte)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.errors import DataError
from reviewer.program_config import CERTIFICATION_IDS
from reviewer.rubrics import parse_yaml
from reviewer.settings import Settings
from reviewer.suggestions import (
    Suggestion,
    check_suggestions,
    default_suggestions_dir,
    dump_suggestion,
    dump_suggestions,
    for_certification,
    load_rubric_criteria,
    load_suggestions,
    validate_suggestion,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "suggested_projects"
MIN_PER_CERTIFICATION = 4

# Criteria for the hand-made records below (the shipped files are checked against the rubrics).
CRITERIA = {
    "nlp": {"nlp-evaluation": "Evaluation", "nlp-deployment": "Deployment"},
    "mlops": {"testing": "Testing", "monitoring": "Monitoring"},
}

VALID = """\
id: sample-project
title: A sample project
status: active
order: 5
updated: 2026-01-31
certifications:
  - nlp
  - mlops
difficulty: beginner
estimated_hours: 20
summary: >-
  A summary that is long enough to pass the minimum length of the schema, in one paragraph.
demonstrates:
  nlp:
    - nlp-evaluation
  mlops:
    - testing
datasets:
  - name: SMS Spam Collection (UCI)
    url: https://archive.ics.uci.edu/dataset/228/sms+spam+collection
    license: CC BY 4.0
milestones:
  - First step
  - Second step
  - Third step
stretch_goals:
  - A stretch goal
interview_questions:
  - First question?
  - Second question?
"""


def record(**changes: object) -> dict[str, object]:
    data, _, _ = parse_yaml(VALID)
    assert isinstance(data, dict)
    data.update(changes)
    return data


def write(directory: Path, text: str, name: str = "sample-project.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def criteria() -> dict[str, dict[str, str]]:
    return load_rubric_criteria(Settings(rubrics_dir=ROOT / "rubrics"))


@pytest.fixture(scope="module")
def shipped(criteria: dict[str, dict[str, str]]) -> tuple[Suggestion, ...]:
    return load_suggestions(SHIPPED, criteria)


# -- the shipped content -----------------------------------------------------------------------


def test_shipped_suggestions_validate_against_the_rubrics(
    criteria: dict[str, dict[str, str]],
) -> None:
    checked = check_suggestions(SHIPPED, criteria)
    assert [str(p) for p in checked.problems] == []
    assert checked.files == len(checked.suggestions) >= 28


@pytest.mark.parametrize("cert", CERTIFICATION_IDS)
def test_shipped_suggestions_offer_at_least_four_per_certification(
    shipped: tuple[Suggestion, ...], cert: str
) -> None:
    assert len(for_certification(shipped, cert)) >= MIN_PER_CERTIFICATION


def test_shipped_suggestions_have_substance(shipped: tuple[Suggestion, ...]) -> None:
    for s in shipped:
        assert len(s.summary) >= 300, s.id
        assert len(s.milestones) >= 4, s.id
        assert len(s.interview_questions) >= 4, s.id
        assert all(d.license for d in s.datasets), s.id
    assert set(Counter(s.difficulty for s in shipped)) == {"beginner", "intermediate", "advanced"}


def test_shipped_files_are_in_canonical_form_byte_for_byte(
    shipped: tuple[Suggestion, ...],
) -> None:
    files = dump_suggestions(shipped)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.yaml")}
    assert files.keys() == on_disk.keys()
    for name, text in files.items():
        assert text == on_disk[name], name


def test_dump_then_load_gives_equal_suggestions(
    shipped: tuple[Suggestion, ...], tmp_path: Path
) -> None:
    for name, text in dump_suggestions(shipped).items():
        write(tmp_path, text, name)
    assert load_suggestions(tmp_path) == shipped


# -- validation: every problem, with file and line -----------------------------------------------


BROKEN = [
    (
        "unknown-field",
        ("difficulty: beginner\n", "difficulty: beginner\ncolour: red\n"),
        10,
        "colour: is not a known field",
    ),
    ("missing-title", ("title: A sample project\n", ""), 1, "title: is required"),
    (
        "bad-difficulty",
        ("difficulty: beginner", "difficulty: expert"),
        9,
        "difficulty: must be one of: 'beginner', 'intermediate', 'advanced'",
    ),
    (
        "unknown-certification",
        ("  - mlops\ndiff", "  - quantum\ndiff"),
        8,
        "certifications[1]: unknown certification 'quantum'",
    ),
    (
        "unknown-criterion",
        ("    - testing\n", "    - test-everything\n"),
        17,
        "demonstrates.mlops[0]: 'test-everything' is not a criterion of the mlops rubric",
    ),
    (
        "certification-without-criteria",
        ("  mlops:\n    - testing\n", ""),
        13,
        "demonstrates: names no criteria for certification 'mlops'",
    ),
    ("duplicate-key", ("order: 5\n", "order: 5\norder: 6\n"), 5, "order: key given twice"),
    (
        "javascript-url",
        ("https://archive.ics.uci.edu/dataset/228/sms+spam+collection", "javascript:alert(1)"),
        20,
        "datasets[0].url: must be an http(s) URL",
    ),
    (
        "too-few-milestones",
        ("  - Third step\n", ""),
        22,
        "milestones: needs at least 3 items (has 2)",
    ),
    (
        "hours-not-a-number",
        ("estimated_hours: 20", "estimated_hours: many"),
        10,
        "estimated_hours: must be a whole number",
    ),
    (
        "control-character",
        ("title: A sample project", 'title: "A sample\\a project"'),
        2,
        "title: contains a control character",
    ),
    ("not-a-slug", ("id: sample-project", "id: Sample_Project"), 1, "id: must be a slug"),
    (
        "id-differs-from-file",
        ("id: sample-project", "id: other-project"),
        1,
        "id: 'other-project' must equal the file name ('sample-project')",
    ),
    ("invalid-yaml", ("order: 5\n", "order: [5\n"), 5, "not valid YAML"),
    ("not-a-mapping", (VALID, "- just\n- a list\n"), 1, "must be a mapping"),
]


@pytest.mark.parametrize(
    ("edit", "line", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_check_reports_file_and_line_when_data_is_broken(
    tmp_path: Path, edit: tuple[str, str], line: int, message: str
) -> None:
    old, new = edit
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    checked = check_suggestions(tmp_path, CRITERIA)
    shown = [str(p) for p in checked.problems]
    assert any(s.startswith(f"{path}:{line}: ") and message in s for s in shown), shown
    assert checked.suggestions == ()


def test_check_accepts_the_valid_sample(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    checked = check_suggestions(tmp_path, CRITERIA)
    assert checked.ok and [s.id for s in checked.suggestions] == ["sample-project"]


def test_validate_collects_every_problem_of_a_record() -> None:
    data = record(title="", difficulty="hard", demonstrates={"nlp": ["nope"], "mlops": ["testing"]})
    result = validate_suggestion(data, CRITERIA)
    fields = sorted(p.field for p in result.problems)
    assert result.suggestion is None
    assert fields == ["demonstrates.nlp[0]", "difficulty", "title"]


def test_validate_without_criteria_checks_shape_only() -> None:
    data = record(demonstrates={"nlp": ["anything-goes"], "mlops": ["testing"]})
    assert validate_suggestion(data).suggestion is not None
    assert validate_suggestion(data, CRITERIA).suggestion is None


def test_validate_reports_missing_rubric_for_a_certification() -> None:
    result = validate_suggestion(record(), {"nlp": CRITERIA["nlp"]})
    assert [str(p) for p in result.problems] == [
        "demonstrates.mlops: no rubric was found for certification 'mlops'"
    ]


def test_check_reports_an_empty_or_missing_directory(tmp_path: Path) -> None:
    assert "holds no *.yaml" in str(check_suggestions(tmp_path).problems[0])
    assert "is not a directory" in str(check_suggestions(tmp_path / "nope").problems[0])


def test_load_raises_data_error_listing_every_problem(tmp_path: Path) -> None:
    write(tmp_path, VALID.replace("beginner", "expert").replace("order: 5", "order: -1"))
    with pytest.raises(DataError) as caught:
        load_suggestions(tmp_path, CRITERIA)
    text = str(caught.value)
    assert "2 problem(s)" in text and ":4: order:" in text and ":9: difficulty:" in text


# -- normalisation and the canonical form ------------------------------------------------------


def test_text_whitespace_is_normalised() -> None:
    result = validate_suggestion(
        record(
            title="  A   title\nover lines ",
            summary="First paragraph that is long enough\n  to pass.\n\n\nSecond   paragraph here.",
        )
    )
    assert result.suggestion is not None
    assert result.suggestion.title == "A title over lines"
    assert result.suggestion.summary == (
        "First paragraph that is long enough\nto pass.\nSecond paragraph here."
    )


def test_demonstrates_follows_the_order_of_certifications() -> None:
    result = validate_suggestion(
        record(demonstrates={"mlops": ["testing"], "nlp": ["nlp-evaluation"]})
    )
    assert result.suggestion is not None
    assert list(result.suggestion.demonstrates) == ["nlp", "mlops"]


def test_dump_rejects_two_suggestions_with_one_id() -> None:
    one = validate_suggestion(record()).suggestion
    assert one is not None
    with pytest.raises(DataError, match="share the id"):
        dump_suggestions([one, one.model_copy(update={"order": 9})])


def test_dump_orders_files_by_name_and_uses_the_id() -> None:
    a = validate_suggestion(record(id="b-project", order=1)).suggestion
    b = validate_suggestion(record(id="a-project", order=2)).suggestion
    assert a is not None and b is not None
    assert list(dump_suggestions([a, b])) == ["a-project.yaml", "b-project.yaml"]


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda t: t.strip())


@settings(max_examples=150, deadline=None)
@given(
    title=_TEXT,
    paragraphs=st.lists(_TEXT, min_size=1, max_size=3),
    milestone=_TEXT,
    hours=st.integers(min_value=1, max_value=1000),
)
def test_any_valid_text_survives_dump_and_load(
    title: str, paragraphs: list[str], milestone: str, hours: int
) -> None:
    summary = "\n\n".join(paragraphs) + " " + "x" * 60
    result = validate_suggestion(
        record(
            title=title + " title",
            summary=summary,
            milestones=[milestone, "two", "three"],
            estimated_hours=hours,
            updated=date(2026, 2, 28),
        )
    )
    assert result.suggestion is not None, result.problems
    data, _, _ = parse_yaml(dump_suggestion(result.suggestion))
    again = validate_suggestion(data)
    assert again.suggestion == result.suggestion
    assert dump_suggestion(again.suggestion) == dump_suggestion(result.suggestion)


# -- where the files are -----------------------------------------------------------------------


def test_suggestions_dir_comes_from_settings_first(tmp_path: Path) -> None:
    assert default_suggestions_dir(Settings(suggestions_dir=tmp_path)) == tmp_path
    assert default_suggestions_dir(Settings()) == SHIPPED

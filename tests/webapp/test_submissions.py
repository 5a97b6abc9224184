"""The submission flow of issue 6 item 5, end to end through the pages with the engine faked:
rules → URL → GitHub → pin → store → job → status."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from websupport import PASSWORD, SHA_A, create_user, pass_knowledge_test, run_queued_jobs

from reviewer.errors import CloneError, CloneTimeoutError
from webapp import reviews
from webapp.db import get_database
from webapp.models import Fee, Inspection, Job, Submission

URL = "https://github.com/Ada/churn-model"


@pytest.fixture
def candidate(app, make_user, auth):
    make_user("cand@example.org")
    auth.login()
    return "cand@example.org"


def submit(client, cert: str = "ml-expert", url: str = URL):
    return client.post("/submissions/new", data={"certification": cert, "repo_url": url})


def count(app, model) -> int:
    with get_database(app).session() as session:
        return session.scalar(select(func.count(model.id)))


def only_submission(app) -> Submission:
    with get_database(app).session() as session:
        (sub,) = session.scalars(select(Submission)).all()
        session.expunge(sub)
        return sub


def test_submission_before_the_knowledge_test_is_refused_with_the_rule(
    client, app, candidate, fake_engine
) -> None:
    response = submit(client)
    assert response.status_code == 422
    assert b"Why this submission was refused" in response.data
    assert b"Rule: knowledge-test-first" in response.data
    assert count(app, Submission) == 0 and fake_engine.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://evil.example/Ada/churn-model",
        "file:///etc/passwd",
        "ext::sh -c touch% /tmp/pwned",
        "https://user:secret@github.com/Ada/churn-model",
        "https://127.0.0.1/Ada/churn-model",
        "https://github.com:22/Ada/churn-model",
        "https://github.com/settings/profile",
        "https://github.com/Ada",
        "-uhttps://github.com/Ada/churn-model",
        "https://github.com/Ada/churn;rm -rf ~",
        "https://github.com/Ada/../../etc",
        "https://github.com/Ada/churn\u202emodel",
        "https://gіthub.com/Ada/churn-model",  # Cyrillic i
        "https://github.com/" + "a" * 400,
    ],
    ids=[
        "javascript",
        "other-host",
        "file",
        "ext-transport",
        "credentials",
        "ip",
        "port",
        "github-page",
        "no-repo",
        "option-injection",
        "shell-chars",
        "dot-dot",
        "bidi",
        "homoglyph",
        "too-long",
    ],
)
def test_malicious_urls_are_refused_before_anything_runs(
    client, app, candidate, fake_engine, url: str
) -> None:
    pass_knowledge_test(app, candidate)
    response = submit(client, url=url)
    assert response.status_code == 422
    assert b'id="repo_url-error"' in response.data
    assert count(app, Submission) == 0 and count(app, Job) == 0 and fake_engine.calls == []


def test_accepted_submission_is_pinned_from_the_clone_when_github_is_off(
    client, app, candidate, fake_engine
) -> None:
    pass_knowledge_test(app, candidate)
    response = submit(client)
    assert response.status_code == 302
    sub = only_submission(app)
    assert (sub.state, sub.commit_sha, sub.repo_url) == ("pending", None, URL)
    page = client.get(response.headers["Location"])
    assert b"Pending" in page.data and b"pinned when the review starts" in page.data
    assert run_queued_jobs(app) == ["done"]
    sub = only_submission(app)
    assert (sub.state, sub.commit_sha, sub.pinned_by) == ("ready", SHA_A, "clone")
    assert fake_engine.calls == [("Ada/churn-model", None)]
    page = client.get(f"/submissions/{sub.id}")
    assert b"Ready for interview" in page.data and b"What the inspection found" in page.data
    with get_database(app).session() as session:
        fee = session.scalar(select(Fee).where(Fee.submission_id == sub.id))
        assert fee is not None and fee.evaluation == "portfolio"


def test_one_repository_for_two_certifications_shares_one_inspection(
    client, app, candidate, fake_engine, monkeypatch
) -> None:
    pass_knowledge_test(app, candidate, "ml-expert")
    pass_knowledge_test(app, candidate, "mlops")
    monkeypatch.setattr(
        reviews,
        "check_repository",
        lambda ref, settings: reviews.RepoCheck(ref, True, "main", SHA_A, {"description": "d"}),
    )
    assert submit(client, "ml-expert").status_code == 302
    assert submit(client, "mlops", URL.lower() + ".git").status_code == 302
    assert count(app, Inspection) == 1 and count(app, Job) == 1
    assert run_queued_jobs(app) == ["done"]
    assert fake_engine.calls == [("Ada/churn-model", SHA_A)]
    with get_database(app).session() as session:
        subs = session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [(s.certification, s.state, s.commit_sha) for s in subs] == [
            ("ml-expert", "ready", SHA_A),
            ("mlops", "ready", SHA_A),
        ]
        assert subs[0].inspection_id == subs[1].inspection_id
    # a third certification later joins the finished inspection without a new job
    pass_knowledge_test(app, candidate, "genai")
    assert submit(client, "genai").status_code == 302
    assert count(app, Job) == 1 and run_queued_jobs(app) == []
    with get_database(app).session() as session:
        assert (
            session.scalar(select(Submission.state).where(Submission.certification == "genai"))
            == "ready"
        )


def test_a_second_open_submission_for_the_same_certification_is_refused(
    client, app, candidate, fake_engine
) -> None:
    pass_knowledge_test(app, candidate)
    assert submit(client).status_code == 302
    response = submit(client, url="https://github.com/Ada/other")
    assert response.status_code == 422 and b"Rule: pending-evaluation" in response.data


def test_transient_failures_back_off_then_fail_with_a_retry_button(
    client, app, candidate, fake_engine
) -> None:
    pass_knowledge_test(app, candidate)
    fake_engine.error = CloneTimeoutError("git fetch took too long.")
    submit(client)
    assert run_queued_jobs(app) == ["retry"] * 4 + ["failed"]
    sub = only_submission(app)
    assert (sub.state, sub.failure_transient) == ("failed", True)
    page = client.get(f"/submissions/{sub.id}")
    assert b"git fetch took too long." in page.data and b"Try the review again" in page.data
    fake_engine.error = None
    response = client.post(f"/submissions/{sub.id}/retry", follow_redirects=True)
    assert b"The review will run again." in response.data
    assert run_queued_jobs(app) == ["done"]
    assert only_submission(app).state == "ready"


def test_a_permanent_failure_offers_no_retry(client, app, candidate, fake_engine) -> None:
    pass_knowledge_test(app, candidate)
    fake_engine.error = CloneError("the repository does not exist.")
    submit(client)
    assert run_queued_jobs(app) == ["failed"]
    sub = only_submission(app)
    page = client.get(f"/submissions/{sub.id}")
    assert b"the repository does not exist." in page.data
    assert b"Try the review again" not in page.data
    assert client.post(f"/submissions/{sub.id}/retry").status_code == 302
    assert only_submission(app).state == "failed"  # refused: not transient


def test_an_engine_crash_is_a_failure_not_a_lost_job(client, app, candidate, fake_engine) -> None:
    pass_knowledge_test(app, candidate)
    fake_engine.error = RuntimeError("bug in a fact finder")
    submit(client)
    assert run_queued_jobs(app) == ["failed"]
    sub = only_submission(app)
    assert "error in the reviewing software" in (sub.failure_reason or "")
    assert "bug in a fact finder" not in (sub.failure_reason or "")


def test_failed_submission_does_not_block_a_new_one(client, app, candidate, fake_engine) -> None:
    pass_knowledge_test(app, candidate)
    fake_engine.error = CloneError("gone")
    submit(client)
    run_queued_jobs(app)
    fake_engine.error = None
    assert submit(client, url="https://github.com/Ada/second").status_code == 302


def test_status_json_follows_the_state(client, app, candidate, fake_engine) -> None:
    pass_knowledge_test(app, candidate)
    submit(client)
    sub = only_submission(app)
    assert client.get(f"/submissions/{sub.id}/status.json").json["state"] == "pending"
    run_queued_jobs(app)
    data = client.get(f"/submissions/{sub.id}/status.json").json
    assert data == {
        "state": "ready",
        "label": "Ready for interview",
        "reason": None,
        "can_retry": False,
    }


def test_another_candidates_submission_is_not_found(client, app, auth, make_user, fake_engine):
    make_user("ada@example.org")
    pass_knowledge_test(app, "ada@example.org")
    auth.login("ada@example.org")
    submit(client)
    sub = only_submission(app)
    auth.logout()
    make_user("eve@example.org")
    auth.login("eve@example.org")
    for path in (f"/submissions/{sub.id}", f"/submissions/{sub.id}/status.json"):
        assert client.get(path).status_code == 404
    assert client.post(f"/submissions/{sub.id}/retry").status_code == 404


def test_submissions_are_rate_limited(make_app, sqlite_url, fake_engine) -> None:
    app = make_app(sqlite_url, RATE_LIMIT_SUBMIT=(2, 3600))
    create_user(app, "cand@example.org")
    client = app.test_client()
    client.post("/auth/login", data={"email": "cand@example.org", "password": PASSWORD})
    codes = [submit(client, url="not a url").status_code for _ in range(3)]
    assert codes == [422, 422, 429]


def test_github_unavailable_still_accepts_the_submission(
    client, app, candidate, fake_engine, monkeypatch
) -> None:
    pass_knowledge_test(app, candidate)
    monkeypatch.setattr(
        reviews,
        "check_repository",
        lambda ref, settings: reviews.RepoCheck(ref, False, note="GitHub did not answer."),
    )
    assert submit(client).status_code == 302
    assert run_queued_jobs(app) == ["done"]
    assert only_submission(app).pinned_by == "clone"


def test_github_refusal_is_shown_on_the_url_field(client, app, candidate, monkeypatch) -> None:
    pass_knowledge_test(app, candidate)

    def refuse(ref, settings):
        raise reviews.RepositoryRefused("Ada/churn-model is not public.")

    monkeypatch.setattr(reviews, "check_repository", refuse)
    response = submit(client)
    assert response.status_code == 422 and b"is not public." in response.data
    assert count(app, Submission) == 0


def test_candidate_names_the_suggested_project_it_implements(
    client, app, candidate, fake_engine
) -> None:
    pass_knowledge_test(app, candidate)
    form = client.get("/submissions/new")
    assert b"credit-default-cost-sensitive" in form.data  # listed from the shipped files
    response = client.post(
        "/submissions/new",
        data={
            "certification": "ml-expert",
            "repo_url": URL,
            "suggested_project": "credit-default-cost-sensitive",
        },
    )
    assert response.status_code == 302
    assert only_submission(app).suggested_project == "credit-default-cost-sensitive"
    page = client.get(response.headers["Location"])
    assert b"Suggested project implemented" in page.data


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("no-such-project", b"Choose a project from the list"),
        ("image-text-retrieval", b"is suggested for"),
    ],
    ids=["unknown", "other-certification"],
)
def test_suggested_project_must_fit_the_certification(
    client, app, candidate, fake_engine, ident, message
) -> None:
    pass_knowledge_test(app, candidate)
    response = client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": URL, "suggested_project": ident},
    )
    assert response.status_code == 422
    assert message in response.data
    assert URL.encode() in response.data  # what the candidate typed is kept
    assert count(app, Submission) == 0

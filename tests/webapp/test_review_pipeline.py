"""The pipeline with the real engine on real git repositories served from a local forge."""

from __future__ import annotations

import json
import stat

from gitrepo import commit, make_repo, publish
from sqlalchemy import select
from websupport import pass_knowledge_test, run_queued_jobs

from webapp import reviews
from webapp.db import get_database
from webapp.demo import setup
from webapp.models import Inspection, Submission, User

FILES = {
    "README.md": "# Iris\n\n## Installation\n\npip install -r requirements.txt\n",
    "requirements.txt": "scikit-learn==1.5.1\n",
    "train.py": "from sklearn.linear_model import LogisticRegression\n",
}


def test_a_real_repository_is_inspected_at_its_head(client, app, auth, make_user, forge,
                                                     tmp_path) -> None:  # fmt: skip
    repo = make_repo(tmp_path / "iris", FILES)
    head = commit(repo, {"tests/test_train.py": "def test_x():\n    assert True\n"}, "tests")
    publish(repo, forge, "Ada", "iris")
    make_user("cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    auth.login()
    response = client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/Ada/iris"},
    )
    assert response.status_code == 302
    assert run_queued_jobs(app) == ["done"]
    with get_database(app).session() as session:
        sub = session.scalar(select(Submission))
        report = json.loads(sub.inspection.report_json)
        assert (sub.state, sub.commit_sha, report["commit"]) == ("ready", head, head)
    page = client.get(f"/submissions/{sub.id}").get_data(as_text=True)
    assert "Ready for interview" in page and "has_tests" in page


def test_a_branch_that_moved_after_pinning_is_reviewed_at_the_inspected_commit(
    client, app, auth, make_user, forge, tmp_path, monkeypatch
) -> None:
    repo = make_repo(tmp_path / "iris", FILES)
    first = commit(repo, {"a.py": "x = 1\n"}, "first pin")
    pinned_then = first
    head = commit(repo, {"b.py": "y = 2\n"}, "pushed after submitting")
    publish(repo, forge, "Ada", "iris")
    monkeypatch.setattr(
        reviews,
        "check_repository",
        lambda ref, settings: reviews.RepoCheck(ref, True, "main", pinned_then, {}),
    )
    make_user("cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    auth.login()
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/Ada/iris"},
    )
    assert run_queued_jobs(app) == ["done"]
    with get_database(app).session() as session:
        sub = session.scalar(select(Submission))
        reported = json.loads(sub.inspection.report_json)["commit"]
        assert sub.state == "ready"
        assert sub.commit_sha == sub.inspection.commit_sha == reported
        assert reported in {pinned_then, head}
        states = dict(session.execute(select(Inspection.commit_sha, Inspection.state)).all())
        assert states[reported] == "done"


def test_demo_setup_creates_accounts_once_and_a_reviewable_sample(app, client) -> None:
    setup.configure(app.config, app.config["REVIEWER_SETTINGS"].data_dir)
    info = setup.ensure_demo(app)
    assert info.created and [c[0] for c in info.credentials] == [
        "staff",
        "interviewer",
        "candidate",
    ]
    assert stat.S_IMODE(info.credentials_file.stat().st_mode) == 0o600
    again = setup.ensure_demo(app)
    assert not again.created and again.credentials == info.credentials
    with get_database(app).session() as session:
        assert (
            session.scalar(select(User.role).where(User.email == "staff@demo.invalid")) == "staff"
        )
    email, password = info.credentials[2][1:]
    client.post("/auth/login", data={"email": email, "password": password})
    response = client.post(
        "/submissions/new",
        data={"certification": setup.DEMO_CERTIFICATION, "repo_url": info.repository_url},
    )
    assert response.status_code == 302, response.data
    assert run_queued_jobs(app) == ["done"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ready for interview" in page and "src/churn/train.py" in page
    with get_database(app).session() as session:
        sub = session.scalar(select(Submission))
        assessment = json.loads(sub.assessment_json)
        assert assessment["certification"] == "ml-expert" and assessment["criteria"]
        assert sub.rubric_version == assessment["rubric_version"]
    refused = client.post(
        "/submissions/new", data={"certification": "nlp", "repo_url": info.repository_url}
    )
    assert b"Rule: knowledge-test-first" in refused.data

"""parse_repo_url, clone_url and resolve_target: what candidates paste, and what attackers do."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import bare_clone, make_repo

from reviewer.errors import BadTargetError, ConfigError
from reviewer.report import RepoRef
from reviewer.settings import Settings
from reviewer.targets import MAX_URL_LENGTH, clone_url, local_key, parse_repo_url, resolve_target

GOOD = [
    ("https://github.com/Owner/Name", ("Owner", "Name")),
    ("https://github.com/Owner/Name.git", ("Owner", "Name")),
    ("https://github.com/Owner/Name.GIT", ("Owner", "Name")),
    ("https://github.com/Owner/Name/", ("Owner", "Name")),
    ("https://github.com/Owner/Name.git/", ("Owner", "Name")),
    ("https://www.github.com/Owner/Name", ("Owner", "Name")),
    ("http://github.com/Owner/Name", ("Owner", "Name")),
    ("HTTPS://GitHub.COM/Owner/Name", ("Owner", "Name")),
    ("https://github.com./Owner/Name", ("Owner", "Name")),
    ("github.com/Owner/Name", ("Owner", "Name")),
    ("www.github.com/Owner/Name", ("Owner", "Name")),
    ("  https://github.com/Owner/Name \n", ("Owner", "Name")),
    ("\thttps://github.com/Owner/Name\r\n", ("Owner", "Name")),
    ("https://github.com/Owner/Name/tree/main", ("Owner", "Name")),
    ("https://github.com/Owner/Name/tree/feature/x/src/model", ("Owner", "Name")),
    ("https://github.com/Owner/Name/tree/feat%2Fx", ("Owner", "Name")),
    ("https://github.com/Owner/Name/blob/main/notebooks/eda.ipynb", ("Owner", "Name")),
    ("https://github.com/Owner/Name/issues/3", ("Owner", "Name")),
    ("https://github.com/Owner/Name/pulls", ("Owner", "Name")),
    ("https://github.com/Owner/Name?tab=readme-ov-file", ("Owner", "Name")),
    ("https://github.com/Owner/Name#readme", ("Owner", "Name")),
    ("https://github.com/Owner/Name/?tab=readme#install", ("Owner", "Name")),
    ("https://github.com/a/b", ("a", "b")),
    ("https://github.com/my-org-2/ml_project.v2-final", ("my-org-2", "ml_project.v2-final")),
    ("https://github.com/Owner/.github", ("Owner", ".github")),
    ("https://github.com/Owner/name.with.dots", ("Owner", "name.with.dots")),
    ("https://github.com/" + "a" * 39 + "/" + "b" * 100, ("a" * 39, "b" * 100)),
    ("https://github.com/Owner/Name/tree/main/données", ("Owner", "Name")),
]

BAD = [
    # hosts
    ("https://gitlab.com/Owner/Name", "not accepted"),
    ("https://github.com.evil.com/Owner/Name", "not accepted"),
    ("https://evilgithub.com/Owner/Name", "not accepted"),
    ("https://gist.github.com/Owner/abc123", "not accepted"),
    ("https://api.github.com/repos/Owner/Name", "not accepted"),
    ("https://evil.com#@github.com/Owner/Name", "not accepted"),
    ("https://evil.com?@github.com/Owner/Name", "not accepted"),
    ("https://gіthub.com/Owner/Name", "non-ASCII"),  # Cyrillic i
    ("https://ｇithub.com/Owner/Name", "non-ASCII"),  # fullwidth g
    ("https://git_hub.com/Owner/Name", "not a valid host"),
    ("https://-github.com/Owner/Name", "not a valid host"),
    ("https://github%2ecom/Owner/Name", "encoded"),
    ("https:///github.com/Owner/Name", "no host"),
    # user-info, ports, IP literals
    ("https://user@github.com/Owner/Name", "user name or password"),
    ("https://user:pass@github.com/Owner/Name", "user name or password"),
    ("https://github.com@evil.com/Owner/Name", "user name or password"),
    ("https://github.com:443/Owner/Name", "port"),
    ("https://github.com:22/Owner/Name", "port"),
    ("github.com:443/Owner/Name", "port"),
    ("https://127.0.0.1/Owner/Name", "IP addresses"),
    ("https://169.254.169.254/latest/meta-data", "IP addresses"),
    ("https://127.1/Owner/Name", "IP addresses"),
    ("https://2130706433/Owner/Name", "IP addresses"),
    ("https://0x7f000001/Owner/Name", "IP addresses"),
    ("https://0x7f.0.0.1/Owner/Name", "IP addresses"),
    ("https://0177.0.0.1/Owner/Name", "IP addresses"),
    ("https://[::1]/Owner/Name", "IP addresses"),
    ("https://[::ffff:127.0.0.1]/Owner/Name", "IP addresses"),
    ("https://[fe80::1%25eth0]/Owner/Name", "IP addresses"),
    # schemes and transports
    ("ext::sh -c touch% /tmp/pwned", "spaces"),
    ("ext::sh%20-c%20touch%20/tmp/pwned", "transport"),
    ("fd::17/Owner/Name", "transport"),
    ("file:///etc/passwd", "file://"),
    ("file:/etc/passwd", "file:"),
    ("ssh://git@github.com/Owner/Name.git", "ssh://"),
    ("git://github.com/Owner/Name.git", "git://"),
    ("git+ssh://github.com/Owner/Name", "git+ssh://"),
    ("ftp://github.com/Owner/Name", "ftp://"),
    ("git@github.com:Owner/Name.git", "SSH address"),
    ("github.com:Owner/Name", "SSH address"),
    ("javascript:alert(1)", "javascript"),
    ("https:/github.com/Owner/Name", "missing '//'"),
    ("/srv/repos/Owner/Name.git", "file path"),
    ("./Name", "file path"),
    ("../../etc", "file path"),
    ("~/repo", "file path"),
    ("Owner/Name", "full address"),
    # option injection (CVE-2022-24439's siblings)
    ("--upload-pack=touch /tmp/pwned", "spaces"),
    ("--upload-pack=touch%20/tmp/pwned", "cannot start with '-'"),
    ("-u/tmp/x", "cannot start with '-'"),
    ("--config=core.sshCommand=x", "cannot start with '-'"),
    ("https://github.com/-Owner/Name", "cannot start with '-'"),
    ("https://github.com/Owner/-Name", "cannot start with '-'"),
    ("https://github.com/Owner/--upload-pack=x", "cannot start with '-'"),
    # control characters, whitespace, invisible characters
    ("https://github.com/Owner/Name\nhttps://evil.com/x", "spaces, line breaks"),
    ("https://github.com/Owner/Na me", "spaces, line breaks"),
    ("https://github.com/Owner/Name\x00", "spaces, line breaks"),
    ("https://github.com/Owner/Name\x1b[31m", "spaces, line breaks"),
    ("https://github.com/Own\u200ber/Name", "spaces, line breaks"),  # zero-width space
    ("https://github.com/Owner/Name\u202egnp.exe", "spaces, line breaks"),  # RTL override
    ("https://github.com/Owner\u00a0/Name", "spaces, line breaks"),  # no-break space
    ("https://github.com\\@evil.com/Owner/Name", "backslashes"),
    ("https://github.com/Owner\\Name", "backslashes"),
    # percent-encoded tricks and traversal
    ("https://github.com/%2e%2e/Owner/Name", "encoded"),
    ("https://github.com/Owner/Name%2F..%2F..%2Fx", "encoded"),
    ("https://github.com/Owner/%2D%2Dupload-pack", "encoded"),
    ("https://github.com/Owner/Name/../../evil/x", "'..'"),
    ("https://github.com/evil/x/../../Owner/Name", "'..'"),
    ("https://github.com/./Owner/Name", "'..'"),
    ("https://github.com/Owner/..", "'..'"),
    # names GitHub would not allow
    ("https://github.com/Owner", "owner and the repository name"),
    ("https://github.com/", "owner and the repository name"),
    ("https://github.com", "owner and the repository name"),
    ("https://github.com//Owner/Name", "owner and the repository name"),
    ("https://github.com/Owner//Name", "owner and the repository name"),
    ("https://github.com/Owner/.git", "missing before '.git'"),
    ("https://github.com/" + "a" * 40 + "/Name", "not a GitHub account name"),
    ("https://github.com/Owner-/Name", "not a GitHub account name"),
    ("https://github.com/Ow--ner/Name", "not a GitHub account name"),
    ("https://github.com/Own_er/Name", "not a GitHub account name"),
    ("https://github.com/Own.er/Name", "not a GitHub account name"),
    ("https://github.com/Owner/" + "b" * 101, "not a GitHub repository name"),
    ("https://github.com/Owner/Na$me", "not a GitHub repository name"),
    ("https://github.com/Owner/Nâme", "not a GitHub repository name"),
    ("https://github.com/Owner/Name'", "not a GitHub repository name"),
    # reserved GitHub pages used as an owner
    ("https://github.com/orgs/SomeOrg", "GitHub page"),
    ("https://github.com/settings/profile", "GitHub page"),
    ("https://github.com/marketplace/actions", "GitHub page"),
    ("https://github.com/Features/copilot", "GitHub page"),
    ("https://github.com/sponsors/Owner", "GitHub page"),
    # emptiness and absurd lengths
    ("", "No repository address"),
    ("   \n", "No repository address"),
    ("https://github.com/Owner/Name/tree/" + "x" * MAX_URL_LENGTH, "characters long"),
]


@pytest.mark.parametrize(("text", "expected"), GOOD, ids=[t for t, _ in GOOD])
def test_parse_repo_url_normalises_when_address_is_legitimate(
    text: str, expected: tuple[str, str]
) -> None:
    assert parse_repo_url(text) == RepoRef("github.com", *expected)


@pytest.mark.parametrize(("text", "reason"), BAD, ids=[repr(t)[:70] for t, _ in BAD])
def test_parse_repo_url_refuses_with_reason_when_address_is_bad(text: str, reason: str) -> None:
    with pytest.raises(BadTargetError) as info:
        parse_repo_url(text)
    message = str(info.value)
    assert reason.lower() in message.lower()
    assert "\n" not in message and "\x00" not in message and "\x1b" not in message


def test_parse_repo_url_refuses_when_text_is_not_a_string() -> None:
    with pytest.raises(BadTargetError):
        parse_repo_url(b"https://github.com/Owner/Name")  # type: ignore[arg-type]


def test_parse_repo_url_accepts_operator_host_when_allowed() -> None:
    hosts = ("github.com", "ghe.example.org")
    ref = parse_repo_url("https://GHE.example.org/DataTeam/Proj.git", hosts)
    assert ref == RepoRef("ghe.example.org", "DataTeam", "Proj")
    with pytest.raises(BadTargetError, match="ghe.example.org"):
        parse_repo_url("https://ghe.example.org/DataTeam/Proj")


def test_parse_repo_url_keeps_case_and_key_ignores_it() -> None:
    a = parse_repo_url("https://github.com/OctoCat/Hello-World")
    b = parse_repo_url("github.com/octocat/hello-world.git")
    assert (a.owner, a.name) == ("OctoCat", "Hello-World")
    assert a != b and a.key() == b.key() == "github.com+octocat+hello-world"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("https://{host}/{owner}/{name}.git", "https://github.com/Owner/Name.git"),
        ("http://127.0.0.1:8080/{owner}/{name}.git", "http://127.0.0.1:8080/Owner/Name.git"),
        ("/srv/repos/{owner}/{name}.git", "/srv/repos/Owner/Name.git"),
        ("file:///srv/repos/{owner}/{name}", "file:///srv/repos/Owner/Name"),
        ("https://{host}/{owner}/{name}.git?x={{literal}}", "https://github.com/Owner/Name.git?x={literal}"),
    ],
    ids=["default", "http-server", "local-dir", "file-url", "escaped-braces"],
)  # fmt: skip
def test_clone_url_fills_template_when_ref_is_valid(template: str, expected: str) -> None:
    assert clone_url(RepoRef("github.com", "Owner", "Name"), template) == expected


@pytest.mark.parametrize(
    "template",
    ["https://{host}/{owner.__class__}/{name}", "https://{host}/{0}/{name}", "{owner!r}",
     "https://{host}/{owner:>10}/{name}", "https://{token}/{owner}/{name}", "https://{host/"],
    ids=["attribute", "positional", "conversion", "format-spec", "unknown", "unbalanced"],
)  # fmt: skip
def test_clone_url_refuses_when_template_uses_more_than_placeholders(template: str) -> None:
    with pytest.raises(ConfigError):
        clone_url(RepoRef("github.com", "Owner", "Name"), template)


@pytest.mark.parametrize(
    "ref",
    [RepoRef("github.com", "--upload-pack=x", "Name"), RepoRef("github.com", "Owner", "-x"),
     RepoRef("github.com", "Owner", "../x"), RepoRef("127.0.0.1", "Owner", "Name"),
     RepoRef("evil.com/x?", "Owner", "Name"), RepoRef("github.com", "Owner", "a b")],
    ids=["option-owner", "option-name", "traversal", "ip-host", "junk-host", "space"],
)  # fmt: skip
def test_clone_url_refuses_when_ref_was_not_built_by_parser(ref: RepoRef) -> None:
    with pytest.raises(BadTargetError):
        clone_url(ref, "https://{host}/{owner}/{name}.git")


def test_clone_url_refuses_when_template_yields_an_option() -> None:
    with pytest.raises(ConfigError):
        clone_url(RepoRef("github.com", "Owner", "Name"), "--upload-pack={name}")


def test_resolve_target_returns_path_when_text_names_a_work_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "work", {"a.txt": "a"})
    assert resolve_target(f"  {repo}  ", Settings(data_dir=tmp_path)) == repo.resolve()


def test_resolve_target_returns_path_when_text_names_a_bare_repository(tmp_path: Path) -> None:
    bare = bare_clone(make_repo(tmp_path / "work", {"a.txt": "a"}), tmp_path / "bare.git")
    assert resolve_target(str(bare), Settings(data_dir=tmp_path)) == bare.resolve()


def test_resolve_target_refuses_when_directory_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(BadTargetError, match="not a git repository"):
        resolve_target(str(tmp_path / "plain"), Settings(data_dir=tmp_path))


def test_resolve_target_parses_url_with_settings_hosts(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, allowed_hosts=("git.example.org",))
    assert resolve_target("https://git.example.org/A/B", settings) == RepoRef(
        "git.example.org", "A", "B"
    )
    with pytest.raises(BadTargetError):
        resolve_target("https://github.com/A/B", settings)
    with pytest.raises(BadTargetError):
        resolve_target(str(tmp_path / "missing"), settings)


def test_local_key_is_stable_and_safe_when_paths_differ(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert local_key(a) == local_key(tmp_path / "x" / ".." / "a")
    assert local_key(a) != local_key(b)
    assert local_key(a).replace("+", "").isalnum()

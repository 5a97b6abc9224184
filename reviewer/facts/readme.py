"""The README at the root, and what it says about installing, using and results.

FACTS.md: the sections describe what the README *says*. Install = how to get the dependencies
or environment (a heading, a paragraph or a command block such as ``pip install``); a bare
list of prerequisite names does not count. Usage = how to run or use it (commands, steps, a
demo). Results = metric values or concrete findings; metrics that "will be logged" do not count.

The README (Markdown, reStructuredText or plain text) is cut into sections under their
headings; each line is known to be code or prose. A section counts when its heading names the
subject and its body says something of that kind, or wherever a line itself is an install
command, a run command or a reported metric value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_README = re.compile(r"readme(\.(md|markdown|rst|txt))?", re.IGNORECASE)
_PREFERENCE = (".md", ".markdown", ".rst", ".txt", "")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    code: bool  # inside a code block (fenced, indented, RST literal)


@dataclass(frozen=True)
class Section:
    heading: str  # normalised words of the heading ("" before the first heading)
    line: int  # line of the heading (0 before the first heading)
    body: tuple[Line, ...]


# -- reading the document --------------------------------------------------------------------

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE)
_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_]{2,60})(?:\*\*|__)\s*:?\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_TAG = re.compile(r"<[^>]+>")
_DIAGRAMS = ("mermaid", "plantuml", "dot", "graphviz", "math", "latex", "tex", "svg")


def _words(heading: str) -> str:
    text = _TAG.sub(" ", heading)
    text = re.sub(r"[\W_]+", " ", text.lower())
    text = re.sub(r"^\d+(\s\d+)*\s", "", text.strip() + " ")  # "3.1 Setup" -> "setup"
    return text.strip()


def parse_sections(text: str) -> list[Section]:
    """Cut a README into sections; works for Markdown, reStructuredText and plain text."""
    lines = text.splitlines()
    sections: list[Section] = []
    heading, heading_line = "", 0
    body: list[Line] = []
    fence: str | None = None
    diagram = False  # inside a fenced diagram (mermaid...): not commands
    rst_literal_indent: int | None = None
    comment = False
    skip_next = False
    for idx, raw in enumerate(lines):
        number = idx + 1
        if skip_next:
            skip_next = False
            continue
        stripped = raw.strip()
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        if fence is not None:
            if stripped.startswith(fence) and not stripped.strip("`~"):
                fence = None
            elif not diagram:
                body.append(Line(number, raw, True))
            continue
        m = _FENCE.match(raw)
        if m:
            fence = m.group(1)[:3]
            diagram = stripped.strip("`~ ").lower().startswith(_DIAGRAMS)
            continue
        if comment or stripped.startswith("<!--"):
            comment = "-->" not in stripped
            continue
        if rst_literal_indent is not None:
            indent = len(raw) - len(raw.lstrip())
            if not stripped or indent > rst_literal_indent:
                if stripped:
                    body.append(Line(number, raw, True))
                continue
            rst_literal_indent = None
        new_heading: str | None = None
        if (am := _ATX.match(raw)) and (am.group(2) or raw.strip("# ")):
            new_heading = am.group(2)
        elif (
            stripped
            and not stripped.startswith(("|", "-", "*", ">", "```", "+"))
            and not re.match(r"^\d+[.)]\s", stripped)
            and not _FENCE.match(nxt)
            and (_SETEXT.match(nxt) or _RST_UNDERLINE.match(nxt.strip()))
            and len(nxt.strip()) >= min(len(stripped), 3)
            and not _RST_UNDERLINE.match(stripped)
        ):
            new_heading = stripped
            skip_next = True
        elif (
            _RST_UNDERLINE.match(stripped)
            and idx + 2 < len(lines)
            and (_RST_UNDERLINE.match(lines[idx + 2].strip()))
        ):
            continue  # RST over-line: the title follows
        elif (hm := _HTML_HEADING.search(raw)) is not None:
            new_heading = hm.group(1)
        elif (bm := _BOLD_HEADING.match(raw)) is not None and not nxt.strip().startswith("|"):
            new_heading = bm.group(1)
        if new_heading is not None:
            sections.append(Section(_words(heading), heading_line, tuple(body)))
            heading, heading_line, body = new_heading, number, []
            continue
        if not stripped:
            continue
        in_code = raw.startswith(("    ", "\t")) and not re.match(r"^\s*([-*+]|\d+[.)])\s", raw)
        body.append(Line(number, raw, in_code and _previous_blank_or_code(body, lines, idx)))
        if stripped.endswith("::") or stripped.startswith(".. code"):
            rst_literal_indent = len(raw) - len(raw.lstrip())
    sections.append(Section(_words(heading), heading_line, tuple(body)))
    return sections


def _previous_blank_or_code(body: list[Line], lines: list[str], idx: int) -> bool:
    """An indented line is code only after a blank line or more code (not a wrapped list)."""
    if idx == 0:
        return True
    if not lines[idx - 1].strip():
        return not (body and re.match(r"^\s*([-*+]|\d+[.)])\s", body[-1].text) is not None)
    return bool(body and body[-1].code)


# -- what lines say --------------------------------------------------------------------------

_PROMPT = r"^\s*(?:[$>%!#]\s*|\(\w[\w.-]*\)\s*\$?\s*|[\w@.-]+[:~][^$]*\$\s*)?"
_INSTALL_CMD = re.compile(
    r"\b(?:pip3?|python3?\s+-m\s+pip|py\s+-m\s+pip|uv\s+pip|conda|mamba|micromamba)\s+install\b"
    r"|\b(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:create|update)\b"
    r"|\b(?:poetry|pipenv|pdm|rye)\s+(?:install|sync)\b|\buv\s+(?:sync|venv|add)\b"
    r"|\bpython3?\s+-m\s+venv\b|\bvirtualenv\s+\S|\bpyenv\s+(?:install|virtualenv)\b"
    r"|\bmake\s+(?:install|setup|env|environment|venv|requirements|deps|dev)\b"
    r"|\bsetup\.py\s+(?:install|develop)\b|\b(?:npm|yarn|pnpm)\s+(?:install|ci)\b"
    r"|\bapt(?:-get)?\s+install\b|\bbrew\s+install\b|\binstall\.sh\b|\bsetup\.sh\b"
    r"|\bsource\s+\S*(?:venv|env)\S*/bin/activate|\bconda\s+activate\b",
    re.IGNORECASE,
)
_INSTALL_PROSE = re.compile(
    r"\binstall(?:ing|ed)?\b[^.\n]{0,80}\b(?:requirements|dependencies|packages|librar(?:y|ies))\b"
    r"|\b(?:set\s*up|setting\s+up|create|activate)\b[^.\n]{0,40}"
    r"\b(?:virtual\s+environment|environment|venv|virtualenv|conda\s+env)\b"
    r"|\brequirements[\w.-]*\.txt\b[^.\n]{0,60}\binstall|\binstall[^.\n]{0,60}\brequirements",
    re.IGNORECASE,
)
_RUN_CMD = re.compile(
    _PROMPT + r"(?:sudo\s+)?(?:"
    r"(?:python[\d.]*|py|ipython)\s+(?:-[umOB]\s+)*"
    r"(?:-m\s+(?!pip\b|venv\b|virtualenv\b|ipykernel\b|ensurepip\b)[\w.]+|[\w./\\-]+\.py\b|-c\b)"
    r"|(?:streamlit|chainlit)\s+run\b|(?:uvicorn|gunicorn|hypercorn|waitress-serve)\s+\S"
    r"|flask\s+(?:--app\s+\S+\s+)?run\b|fastapi\s+(?:dev|run)\b|gradio\s+\S+\.py"
    r"|panel\s+serve\b|bentoml\s+(?:serve|build|containerize)\b"
    r"|mlflow\s+(?:run|ui|server|models\s+serve)\b|dvc\s+(?:repro|exp\s+run|pull)\b"
    r"|kedro\s+run\b|zenml\s+\S|airflow\s+\S|prefect\s+\S|jupyter[\s-]+(?:notebook|lab|nbconvert)"
    r"|voila\s+\S|docker\s+(?:run|compose\s+up|compose\s+run)\b|docker-compose\s+(?:up|run)\b"
    r"|make(?:\s+[\w-]+)?\s*$|curl\s+\S|http(?:ie)?\s+(?:GET|POST)|(?:bash|sh|zsh)\s+\S+\.sh\b"
    r"|\./[\w./-]+|(?:npm|yarn|pnpm)\s+(?:start|run)\b|torchrun\b|accelerate\s+launch\b"
    r"|deepspeed\s+\S|(?:uv|poetry|pipenv|pdm|hatch|rye)\s+run\s+\S|kubectl\s+apply\b"
    r"|(?:[\w-]+)\s+--help\b|ollama\s+(?:run|pull|serve)\b|huggingface-cli\s+\S|modal\s+run\b"
    r")",
    re.IGNORECASE,
)
_RUN_INLINE = re.compile(
    r"`(?:python[\d.]*\s+(?:-m\s+[\w.]+|[\w./\\-]+\.py)|streamlit\s+run\s+\S+|uvicorn\s+\S+"
    r"|flask\s+run|docker(?:-|\s)compose\s+up|docker\s+run\s+\S|jupyter\s+(?:notebook|lab)"
    r"|dvc\s+repro|mlflow\s+(?:run|ui)|make\s+\w+|bash\s+\S+\.sh|\./\S+)[^`]*`",
    re.IGNORECASE,
)
_RUN_PROSE = re.compile(
    r"\b(?:open|run|execute|launch|start)\b[^.\n]{0,50}\b(?:notebooks?|\.ipynb|cells|app|"
    r"application|server|script|streamlit|the\s+project|the\s+code|main\.py)\b"
    r"|\b(?:navigate|go|browse)\s+to\s+<?https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0)"
    r"|\b(?:live|online|hosted|try\s+(?:the|it|our)?)\s*demo\b|\bdemo\s*(?:app)?\s*[:\-]\s*\S*https?://"
    r"|\bhttps?://[\w.-]+\.(?:streamlit\.app|hf\.space|herokuapp\.com|onrender\.com|vercel\.app)",
    re.IGNORECASE,
)
_METRIC = (
    r"(?:accuracy|acc|precision|recall|f1(?:[\s-]?score)?|f-?score|f-?measure|auc|roc[\s-]?auc|"
    r"auroc|auprc|pr[\s-]?auc|rmse|rmsle|mse|mae|mape|smape|r2|r²|r\^2|r-?squared|map(?:@?[\d.:]+)?|"
    r"map50(?:-95)?|m?iou|dice|bleu(?:-\d)?|rouge(?:-?[\dl]+)?|meteor|bertscore|perplexity|ppl|wer|"
    r"cer|(?:val(?:idation)?\s+|test\s+|train(?:ing)?\s+|log\s+)?loss|top-?[15](?:\s+acc\w*)?|psnr|"
    r"ssim|fid|exact[\s-]match|faithfulness|hit[\s-]?rate|mrr|ndcg(?:@\d+)?|kappa|specificity|"
    r"sensitivity|error\s+rate|score|latency|throughput|auc-roc|gini|silhouette|mcc|"
    r"balanced\s+accuracy|word\s+error\s+rate|precision@\d+|recall@\d+|r\s*2\s*score)"
)
_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:\.\d+)?\s?%|\d*\.\d+|\d{1,6})(?:\s?(?:ms|s|x))?(?!\w|\.\d)"
_STRICT_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:\.\d+)?\s?%|\d*\.\d+)(?!\w|\.\d)"
_GAP = (
    r"(?:\s*(?:[:=≈~(\-–,]|of|is|was|were|at|around|about|approx\.?|approximately|reached|"
    r"achieved|achieves|achieving|scored?|value|mean|avg|average|on\s+(?:the\s+)?(?:test|"
    r"validation|val|holdout|dev|train(?:ing)?)\s*(?:set|data|split)?)\s*){0,4}"
)
_METRIC_VALUE = re.compile(
    rf"\b{_METRIC}{_GAP}\s{{0,3}}{_NUMBER}|{_STRICT_NUMBER}\s*(?:\w+\s+)?{_METRIC}\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will\s+be|would\s+be|to\s+be\s+(?:logged|reported|added)|will|should|aim(?:s|ed)?\s+to|"
    r"target(?:s|ed|ing)?|goal|expected\s+to|tbd|todo|coming\s+soon|e\.g\.|such\s+as)\b",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^\s*[+|][-=+]{3,}")
_HAS_NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:\.\d+)?\s?%|\d*\.\d+)(?![\w])")
_FINDING = re.compile(
    r"\b(?:outperform\w*|achiev\w*|obtain\w*|reach\w*|scor(?:ed|es)|best\s+(?:model|result|"
    r"performing)|highest|lowest|improv\w*|reduc\w*|increas\w*|beat|surpass\w*|found\s+that|"
    r"shows?\s+that|results?\s+show|performed\s+best|most\s+important\s+features?)\b",
    re.IGNORECASE,
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]+\)|<img\s|^\s*\.\.\s+(?:image|figure)::", re.IGNORECASE)

_INSTALL_HEADING = re.compile(
    r"\b(?:install\w*|set\s?up|setting\s+up|environment|requirements?|prerequisites?|"
    r"dependenc\w*|getting\s+started|quick\s?start|build\w*|local\s+development|"
    r"how\s+to\s+(?:run|use|start)|usage|running|deployment|docker|reproduc\w*)\b"
)
_INSTALL_STRONG = re.compile(r"\b(?:install\w*|set\s?up|setting\s+up|environment\s+setup)\b")
_USAGE_HEADING = re.compile(
    r"\b(?:usage|how\s+to\s+(?:run|use|start|test|reproduce|train|launch)|running|run\w*|use|"
    r"using|demo|try\s+it|examples?|inference|predict\w*|getting\s+started|quick\s?start|"
    r"train\w*|evaluat\w*|deploy\w*|launch\w*|execut\w*|reproduc\w*|api|endpoints?|"
    r"walkthrough|tutorial|instructions|steps|workflow|pipeline|commands?|cli|serving|start)\b"
)
_USAGE_EXAMPLE_HEADING = re.compile(
    r"\b(?:usage|how\s+to\s+(?:use|run|start)|quick\s?start|getting\s+started|examples?|demo|"
    r"inference|predict\w*|running|run\w*|try\s+it|use|using)\b"
)
_USAGE_STRONG = re.compile(
    r"\b(?:usage|how\s+to\s+(?:run|use)|running|run(?:\s+\w+){0,3}|demo|try\s+it|live\s+demo)\b"
)
_RESULTS_HEADING = re.compile(
    r"\b(?:results?|performance|evaluation|metrics?|benchmarks?|findings|insights|outcomes?|"
    r"accuracy|scores?|experiments?|conclusions?|leaderboard|model\s+comparison|achievements?)\b"
)


_INSTALL_WORD_IN_CODE = re.compile(
    r"^\s*(?:[$>%]\s*)?[\w.\-/]+\s+(?:install|sync|bootstrap|setup|requirements|deps)\b"
    r"|#.*\binstall",
    re.IGNORECASE,
)


def _install_line(line: Line) -> bool:
    if _INSTALL_CMD.search(line.text):
        return True
    if line.code:
        return bool(_INSTALL_WORD_IN_CODE.search(line.text))
    return bool(_INSTALL_PROSE.search(line.text))


_CHECK_COMMAND = re.compile(
    r"(?:^|[\s`$>])(?:python[\d.]*\s+-m\s+)?(?:pytest|py\.test|ruff|flake8|mypy|black|isort|"
    r"pylint|pre-commit|tox|nox|coverage|bandit)\b|\bmake\s+(?:test|tests|lint|check|format)\b",
    re.IGNORECASE,
)
_CHECK_HEADING = re.compile(r"\b(?:tests?|testing|lint\w*|audit|code\s+quality|ci|checks?)\b")


def _usage_line(line: Line) -> bool:
    """A run command or an instruction to use the project (tests and linters are not use)."""
    text = line.text
    if _CHECK_COMMAND.search(text) and not _RUN_PROSE.search(text):
        return False
    if line.code:
        return bool(_RUN_CMD.match(text))
    if _RUN_INLINE.search(text) or _RUN_PROSE.search(text):
        return True
    return bool(_RUN_CMD.match(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)))


def _metric_line(line: Line) -> bool:
    if line.code:
        return False
    text = re.sub(r"[*_`]", "", _TAG.sub(" ", line.text))
    text = re.sub(
        r"\b(?:python|version|v|cuda|py|gpt|llama|ubuntu|node)[\s-]?\d[\d.]*",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    if _FUTURE.search(text):
        return False
    return bool(_METRIC_VALUE.search(text))


_STRONG_FINDING = re.compile(
    r"\b(?:(?:it\s+(?:is|was)\s+)?found\s+that|(?:our\s+|the\s+)?results?\s+(?:show|showed|"
    r"indicate|indicated|suggest|suggested|demonstrate|demonstrated|reveal|revealed)|"
    r"outperform(?:s|ed)?|performed\s+(?:best|better|worse)|"
    r"(?:best|top)[-\s]performing\s+(?:model|approach|method)\s+(?:is|was))\b",
    re.IGNORECASE,
)


def _finding_line(line: Line) -> bool:
    """A sentence that states a concrete finding ("it is found that ...", "X outperformed Y")."""
    if line.code or _FUTURE.search(line.text):
        return False
    return bool(_STRONG_FINDING.search(line.text))


def _table_results(lines: tuple[Line, ...]) -> Line | None:
    """The header of a table naming a metric whose rows hold numbers."""
    header: Line | None = None
    for line in lines:
        if not _TABLE_ROW.match(line.text):
            header = None
            continue
        if header is None:
            header = line
            continue
        if re.fullmatch(r"[\s|:+=-]+", line.text):
            continue
        if re.search(rf"\b{_METRIC}\b", header.text, re.IGNORECASE) and _HAS_NUMBER.search(
            line.text
        ):
            return header
    return None


# -- the finder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadmeFacts:
    install: tuple[int, ...]
    usage: tuple[int, ...]
    results: tuple[int, ...]


def analyse(text: str) -> ReadmeFacts:
    """Line numbers that show install, usage and results content (empty when absent)."""
    install: list[int] = []
    usage: list[int] = []
    results: list[int] = []
    for section in parse_sections(text):
        heading = section.heading
        body = section.body
        prose = [ln for ln in body if not ln.code]
        inst = [ln.number for ln in body if _install_line(ln)]
        if inst:
            install.append(section.line if _INSTALL_HEADING.search(heading) else inst[0])
        elif _INSTALL_STRONG.search(heading) and not _bare_list(body):
            install.append(section.line)
        runs = [ln.number for ln in body if _usage_line(ln)]
        if runs:
            usage.append(section.line if _USAGE_HEADING.search(heading) else runs[0])
        elif (
            _USAGE_EXAMPLE_HEADING.search(heading)
            and not _CHECK_HEADING.search(heading)
            and any(
                ln.code
                and not _install_line(ln)
                and not _TREE.search(ln.text)
                and not _CHECK_COMMAND.search(ln.text)
                for ln in body
            )
        ):
            usage.append(section.line)  # an example to run under a usage-like heading
        elif _USAGE_STRONG.search(heading) and any(
            re.search(
                r"\b(?:run|open|click|upload|enter|type|select|execute|launch|start|"
                r"visit|ask|call|send|import|load)\b",
                ln.text,
                re.I,
            )
            for ln in body
        ):
            usage.append(section.line)
        metric_lines = [ln.number for ln in body if _metric_line(ln) or _finding_line(ln)]
        table = _table_results(body)
        if table is not None:
            metric_lines.insert(0, table.number)
        if metric_lines:
            results.append(section.line if _RESULTS_HEADING.search(heading) else metric_lines[0])
        elif _RESULTS_HEADING.search(heading) and _reports_something(prose):
            results.append(section.line)
    return ReadmeFacts(tuple(install), tuple(usage), tuple(results))


_TREE = re.compile(r"[├└│]|^\s*[|`+\\]--|^\s*\.?/?[\w.-]+/?\s*(?:#.*)?$")
_BARE_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*[\w .,:+()/\[\]<>=*`'-]{0,60}$")


def _bare_list(body: tuple[Line, ...]) -> bool:
    """Nothing but short names (a "Prerequisites" list): no instruction in it."""
    prose = [ln for ln in body if not ln.code]
    if not prose:
        return not body
    return all(
        _BARE_ITEM.match(ln.text)
        and len(ln.text.split()) <= 5
        and not re.search(r"\b(?:see|install|run|use|clone|create|download)\b", ln.text, re.I)
        for ln in prose
    ) and not any(ln.code for ln in body)


def _reports_something(prose: list[Line]) -> bool:
    """A results-titled section with numbers, a table, a figure or a stated finding."""
    for line in prose:
        text = line.text
        if _FUTURE.search(text):
            continue
        if _IMAGE.search(text) or _TABLE_ROW.match(text):
            return True
        cleaned = re.sub(r"https?://\S+|\b\w*\d\w*\.(?:py|png|jpg|csv)\b", " ", text)
        if _HAS_NUMBER.search(re.sub(r"^\s*\d+[.)]\s", "", cleaned)) or _FINDING.search(text):
            return True
    return False


def readme_path(snapshot: Snapshot) -> str | None:
    """The root README the reader sees first (Markdown preferred over other forms)."""
    names = [p for p in snapshot.root_files if _README.fullmatch(p)]
    if not names:
        return None

    def rank(name: str) -> tuple[int, str]:
        suffix = name[name.find(".") :].lower() if "." in name else ""
        order = _PREFERENCE.index(suffix) if suffix in _PREFERENCE else len(_PREFERENCE)
        return order, name

    return min(names, key=rank)


def _section_fact(path: str, lines: tuple[int, ...], what: str) -> Fact:
    if lines:
        evidence = tuple(f"{path}:{n}" if n else path for n in sorted(set(lines))[:3])
        return Fact(True, evidence, f"{path} {what} (line {min(n for n in lines) or 1})")
    return Fact(False, (path,), f"{path} has no heading or paragraph that {what}")


@finder(
    "has_readme",
    "readme_has_install_section",
    "readme_has_usage_section",
    "readme_has_results_section",
)
def find_readme(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    path = readme_path(snapshot)
    if path is None:
        absent = Fact(False, (), "no README at the root of the repository")
        return {
            "has_readme": absent,
            "readme_has_install_section": Fact(False, (), "no README"),
            "readme_has_usage_section": Fact(False, (), "no README"),
            "readme_has_results_section": Fact(False, (), "no README"),
        }
    text = snapshot.text(path)
    has = Fact(True, (path,), f"{path} at the root")
    if text is None:
        unread = f"{path} could not be read (binary or too large)"
        return {
            "has_readme": has,
            "readme_has_install_section": Fact(None, (path,), unread),
            "readme_has_usage_section": Fact(None, (path,), unread),
            "readme_has_results_section": Fact(None, (path,), unread),
        }
    facts = analyse(text)
    return {
        "has_readme": has,
        "readme_has_install_section": _section_fact(path, facts.install, _SAYS["install"]),
        "readme_has_usage_section": _section_fact(path, facts.usage, _SAYS["usage"]),
        "readme_has_results_section": _section_fact(path, facts.results, _SAYS["results"]),
    }


_SAYS = {
    "install": "says how to install or set up the environment",
    "usage": "says how to run or use the project",
    "results": "reports results or metric values",
}

"""The one explicit tuple of finders, in the order they run (later ones may read earlier facts).

A test checks that what they produce is exactly the catalogue (FACTS.md plus our extras),
minus the facts that only the GitHub API can give.
"""

from __future__ import annotations

from reviewer.facts.base import Finder
from reviewer.facts.ci import find_ci
from reviewer.facts.containers import find_containers
from reviewer.facts.copies import find_copies
from reviewer.facts.data_versioning import find_data_versioning
from reviewer.facts.dependencies import find_dependencies
from reviewer.facts.domains import find_domains
from reviewer.facts.history import find_history
from reviewer.facts.libraries import find_libraries
from reviewer.facts.license import find_license
from reviewer.facts.notebooks import find_notebooks
from reviewer.facts.practices import find_practices
from reviewer.facts.readme import find_readme
from reviewer.facts.secrets import find_secrets
from reviewer.facts.tests import find_tests
from reviewer.facts.tools import find_tools

FINDERS: tuple[Finder, ...] = (
    find_readme,
    find_license,
    find_dependencies,
    find_tests,
    find_ci,
    find_containers,
    find_notebooks,
    find_data_versioning,
    find_history,
    find_secrets,
    find_libraries,
    find_tools,
    find_practices,
    find_domains,
    find_copies,
)

"""Options for select fields in the form WTForms expects (``SelectChoice`` since 3.3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms < 3.3 takes (value, label) tuples
    SelectChoice = None


def choices(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]

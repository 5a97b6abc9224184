"""Forms of the interview side. The scoring and reconciliation forms have one field per rubric
criterion, so they are read by ``scoring`` and ``reconcile`` from the posted data; the forms
here carry the CSRF token and the fixed fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectMultipleField, widgets


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AssignForm(FlaskForm):
    interviewers = CheckboxesField("Interviewers", coerce=int, validate_choice=False)
    scheduled_at = DateTimeLocalField(
        "Date and time of the interview (UTC)", format="%Y-%m-%dT%H:%M"
    )


class TokenForm(FlaskForm):
    """Only the CSRF token (the other fields are read from the posted data)."""

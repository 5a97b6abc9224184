from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from reviewer import program
from webapp.formchoices import choices


class SubmissionForm(FlaskForm):
    certification = SelectField(
        "Certification",
        choices=choices(
            [("", "Choose a certification")] + [(c.id, c.name) for c in program.CERTIFICATIONS]
        ),
        validators=[DataRequired("Choose a certification.")],
    )
    repo_url = StringField(
        "Repository address on GitHub",
        validators=[
            DataRequired("Paste the address of your repository on GitHub."),
            Length(max=300, message="The address is too long."),
        ],
    )
    # Choices are filled in by the view from the editors' current list.
    suggested_project = SelectField(
        "Which suggested project does the repository implement? (optional)",
        choices=choices([("", "None: my own project idea")]),
        validate_choice=False,
    )

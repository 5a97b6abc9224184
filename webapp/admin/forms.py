from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from reviewer import program
from webapp.formchoices import choices
from webapp.models import Role

CERT_CHOICES = choices(
    [("", "Choose a certification")] + [(c.id, c.name) for c in program.CERTIFICATIONS]
)


class CreateUserForm(FlaskForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter an e-mail address."), Length(max=254)]
    )
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField(
        "Role",
        choices=choices([("", "Choose a role")] + [(r.value, r.label) for r in Role]),
        validators=[DataRequired("Choose a role.")],
    )
    password = PasswordField(
        "Initial password", validators=[DataRequired("Choose a password."), Length(max=1024)]
    )


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to upload.")])


class ManualResultForm(FlaskForm):
    email = EmailField(
        "Candidate's e-mail address",
        validators=[DataRequired("Enter the candidate's e-mail address."), Length(max=254)],
    )
    certification = SelectField(
        "Certification", choices=CERT_CHOICES, validators=[DataRequired("Choose a certification.")]
    )
    taken_on = DateField(
        "Date of the test",
        validators=[DataRequired("Enter the date of the test, like 2024-03-31.")],
    )
    score = StringField(
        "Score (%)", validators=[DataRequired("Enter the score in percent."), Length(max=10)]
    )


class BudgetForm(FlaskForm):
    amount = StringField(
        "Amount (EUR)",
        validators=[DataRequired("Enter an amount, like 5000 or -200.50."), Length(max=20)],
    )
    reason = StringField(
        "Reason", validators=[DataRequired("Say why the budget changes."), Length(max=2000)]
    )


class CreditForm(FlaskForm):
    email = EmailField(
        "Candidate's e-mail address",
        validators=[DataRequired("Enter the candidate's e-mail address."), Length(max=254)],
    )
    provider = StringField(
        "Provider", validators=[DataRequired("Name the provider."), Length(max=200)]
    )
    credential = StringField(
        "Certificate", validators=[DataRequired("Name the certificate."), Length(max=200)]
    )
    earned_on = DateField("Earned on", validators=[Optional()])
    decision = RadioField(
        "Decision",
        choices=choices([("granted", "Granted"), ("refused", "Refused")]),
        validators=[DataRequired("Choose the decision.")],
    )
    waivers = SelectMultipleField("What it credits", choices=[], validate_choice=False)
    note = TextAreaField("Note", validators=[Length(max=4000)])

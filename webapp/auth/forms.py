from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=200)])
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Choose a password."), Length(max=1024)]
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords differ."),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (log out, retry)."""

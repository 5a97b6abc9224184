"""Alembic migrations of the web app's schema (``reviewer db upgrade``)."""

"""Staff exports: interview results (one column per rubric criterion), certificates with their
expiry, and the refund ledger, as CSV and JSON.

Each module builds plain rows from the database (``rows(...)``) and names its columns;
:mod:`webapp.exports.formats` turns rows into a file. The routes are in
``webapp.interview.staff_views``.
"""

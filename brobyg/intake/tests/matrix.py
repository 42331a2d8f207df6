"""Authorisation-matrix rows for the intake URLs (see orgs/tests/test_authorisation_matrix.py)."""

ROWS = []

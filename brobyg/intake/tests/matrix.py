"""Authorisation-matrix rows for the intake URLs (see orgs/tests/test_authorisation_matrix.py)."""

from brobyg.intake.tests.matrix_public import ROWS as PUBLIC_ROWS
from brobyg.intake.tests.matrix_staff import ROWS as STAFF_ROWS

ROWS = PUBLIC_ROWS + STAFF_ROWS

"""Fixtures of the deployment tests (defined in deploy_helpers.py, which the
tests also import their helpers from)."""

from deploy_helpers import deployment, proxy  # noqa: F401

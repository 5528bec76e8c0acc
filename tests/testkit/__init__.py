"""Test support shared by every test directory.

``tests.testkit.factories``: factory_boy factories for users with a casework
role, reference data (fields, agencies, officers) and cases filed through
casework.services, plus the fixed dates and helpers the tests build on
(``FILED_ON``, ``determine_exempt``, ``reload`` ...).

Helpers used by one test directory only stay beside their tests (for example
tests/staffauth/staffauth_helpers.py, tests/fuzz/fuzzwire.py).
"""

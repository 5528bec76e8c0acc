"""The portal's test suite.

A package so that shared test support is importable by one absolute name from
every test directory: ``from tests.testkit.factories import ...``. The test
directories below it carry no ``__init__.py``: pytest imports each test module
by its basename (rootdir-based ``prepend`` mode), so test file names stay
unique across the whole tree.
"""

"""Benchmarks (run by hand, never by the test suite): data generators, the
gunicorn + wrk runner and the bench-only settings, URLs and stock page."""

"""The audit log (issue #8). Plugins call ``audit.record(...)`` for views,
exports and downloads and decorate decision services with ``audit.audited``;
see audit/log.py."""


def record(*args, **kwargs):
    from audit.log import record as _record

    return _record(*args, **kwargs)


def audited(*args, **kwargs):
    from audit.log import audited as _audited

    return _audited(*args, **kwargs)

"""Who made a change, for django-simple-history.

In a request, HistoryRequestMiddleware knows the user. The service layer is
also called without one (tasks, the demo loader, other services), so each
service runs "as" its ``user`` argument and history records that actor.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar = ContextVar("casework_actor", default=None)


def history_user(request=None, instance=None, **kwargs):
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@contextmanager
def acting_as(user):
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def records_actor(fn):
    """Run a service function as its ``user`` keyword argument."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with acting_as(kwargs.get("user")):
            return fn(*args, **kwargs)

    return wrapper

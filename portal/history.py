"""Who made a change, for django-simple-history, in every plugin.

In a request, HistoryRequestMiddleware knows the user. Services are also
called without one (tasks, the demo loader, other services), so each
service runs "as" its ``user`` argument and the history records that actor:

- a model's ``HistoricalRecords(get_user=history_user)`` asks
  :func:`history_user` who is acting;
- a service function decorated with :func:`records_actor` acts as its
  ``user`` keyword argument; other code wraps its writes in
  ``with acting_as(user):``.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["acting_as", "history_user", "records_actor"]

_actor: ContextVar = ContextVar("history_actor", default=None)


def history_user(request=None, instance=None, **kwargs):
    """The user a history record names: the one the current code acts as
    (:func:`acting_as`), else the request's signed-in user, else nobody."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@contextmanager
def acting_as(user):
    """Record ``user`` as the author of every history record written inside
    the block (nested blocks restore the outer actor on leaving)."""
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

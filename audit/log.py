"""Writing the audit log: ``record()`` for one event, ``audited`` for a
decision service.

Where a row is written depends on its outcome:

- a success is written in the caller's transaction, so a decision that is
  rolled back leaves no success row behind (and a failed audit write rolls the
  decision back: no decision without its row);
- a denied or failed attempt must survive the rollback of the transaction it
  happened in. Outside any transaction it is written at once; inside one it is
  held on the connection and written after that transaction ends, committed
  (``on_commit``) or rolled back (at the end of the request, or when the
  ``audited`` service returns to a caller outside any transaction).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.http import Http404
from simple_history.models import HistoricalRecords

from audit.models import Action, AuditEvent, Outcome
from portal.ratelimit import client_address

logger = logging.getLogger(__name__)

__all__ = ["Action", "Outcome", "audited", "flush_pending", "record"]

# Keys that never go into ``detail``: whatever a caller passes, a reporter's
# identity, a receipt code or a secret is not written to the log.
FORBIDDEN_DETAIL_KEYS = re.compile(
    r"(name|contact|identity|receipt|code|password|secret|token|key)$",
    re.IGNORECASE,
)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _test_scope(connection):
    """The innermost atomic block a test case opened (None outside tests).

    Events held back inside one test must not be written into the next: the
    rows they name (the user) went with the first test's rollback."""
    return next(
        (
            block
            for block in reversed(connection.atomic_blocks)
            if getattr(block, "_from_testcase", False)
        ),
        None,
    )


def _pending(connection) -> list[tuple[object, AuditEvent]]:
    try:
        return connection._audit_pending
    except AttributeError:
        connection._audit_pending = []
        return connection._audit_pending


def in_caller_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether an atomic block of the application is open (the one a test
    case wraps around each test does not count)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[using].atomic_blocks
    )


def flush_pending(using: str = DEFAULT_DB_ALIAS) -> int:
    """Write the denied/failed events held back while a transaction was open;
    a no-op while one still is."""
    connection = connections[using]
    pending = _pending(connection)
    if not pending or in_caller_transaction(using):
        return 0
    scope = _test_scope(connection)
    events = [event for held_in, event in pending if held_in is scope]
    pending[:] = []
    if not events:
        return 0
    try:
        AuditEvent.objects.using(using).bulk_create(events)
    except Exception:
        logger.exception(
            "audit: %d denied/failed events could not be written", len(events)
        )
        return 0
    return len(events)


def request_id(request) -> str:
    """One id per request, shared by its events; a sane X-Request-ID from
    the proxy is kept, so log lines and audit rows can be matched."""
    if request is None:
        return ""
    value = getattr(request, "_audit_request_id", None)
    if value is None:
        header = request.META.get("HTTP_X_REQUEST_ID", "")
        value = header if REQUEST_ID.match(header) else uuid.uuid4().hex
        request._audit_request_id = value
    return value


def _address(request) -> str:
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return ""


def object_repr(obj) -> str:
    """A short label: a case's or report's number when it has one (a report's
    subject or reporter never), otherwise its string."""
    number = getattr(obj, "number", None)
    label = number if isinstance(number, str) and number else str(obj)
    return label[:200]


def clean_detail(detail: dict | None) -> dict:
    return {
        str(key): value
        for key, value in (detail or {}).items()
        if not FORBIDDEN_DETAIL_KEYS.search(str(key))
    }


def current_request():
    """The request being served, for events written below the view (the
    decision services): django-simple-history's middleware keeps it."""
    return getattr(HistoricalRecords.context, "request", None)


def build_event(
    action: str,
    *,
    request=None,
    user=None,
    obj=None,
    model=None,
    object_id=None,
    outcome: str = Outcome.SUCCESS,
    detail: dict | None = None,
) -> AuditEvent:
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if request is None:
        request = current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        model = type(obj)
        object_id = obj.pk
    path = method = ""
    if request is not None:
        path = request.path[:300]
        method = request.method or ""
    return AuditEvent(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(model) if model else None,
        object_id="" if object_id is None else str(object_id)[:64],
        object_repr=object_repr(obj) if obj is not None else "",
        outcome=outcome,
        client_address=_address(request) if request is not None else "",
        request_id=request_id(request),
        method=method[:8],
        path=path,
        detail=clean_detail(detail),
    )


def record(
    action: str,
    *,
    request=None,
    user=None,
    obj=None,
    model=None,
    object_id=None,
    outcome: str = Outcome.SUCCESS,
    detail: dict | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> AuditEvent:
    """Write one audit event.

    ``obj`` is the object acted on; for an attempt on an object the user may
    not see, give ``model`` and ``object_id`` instead. ``user`` defaults to
    the request's. A success goes into the caller's transaction; a denied or
    failed attempt is kept even when that transaction rolls back.
    """
    event = build_event(
        action,
        request=request,
        user=user,
        obj=obj,
        model=model,
        object_id=object_id,
        outcome=outcome,
        detail=detail,
    )
    if outcome == Outcome.SUCCESS or not in_caller_transaction(using):
        event.save(using=using)
        return event
    connection = connections[using]
    _pending(connection).append((_test_scope(connection), event))
    transaction.on_commit(functools.partial(flush_pending, using), using=using)
    return event


def _refusal_detail(error: Exception) -> dict:
    if isinstance(error, ValidationError):
        return {"reasons": [str(message) for message in error.messages][:10]}
    return {"error": type(error).__name__}


def _success_detail(result, obj, detail, args, kwargs) -> dict:
    """What the decision wrote (``app.model:pk`` of the record it made) and
    what the service's ``detail`` adds."""
    extra = {}
    same = isinstance(obj, Model) and type(result) is type(obj) and result.pk == obj.pk
    if isinstance(result, Model) and not same:
        extra["record"] = f"{result._meta.label_lower}:{result.pk}"
    if detail is not None:
        extra.update(detail(result, kwargs))
    return extra


def _record_failure(action, user, obj, outcome, error) -> None:
    # The original exception matters more than its audit row: a failure to
    # write the row is logged, never raised in its place.
    try:
        record(
            action, user=user, obj=obj, outcome=outcome, detail=_refusal_detail(error)
        )
        flush_pending()
    except Exception:
        logger.exception("audit: could not record a %s %s", outcome, action)


def audited(
    action: str,
    *,
    target: Callable | None = None,
    result_target: Callable | None = None,
    detail: Callable | None = None,
) -> Callable:
    """Audit a decision service called as ``fn(obj, ..., user=...)``.

    The service runs in a transaction with its success row, so neither exists
    without the other. A refusal (``ValidationError``, ``PermissionDenied``)
    is recorded as denied, any other exception as an error, and re-raised.

    ``target(*args, **kwargs)`` names the object before the call (default: the
    first argument), ``result_target(result)`` after it (default: target);
    ``detail(result, kwargs)`` adds what the decision was (``kwargs``: the
    call's keyword arguments, as a dict).
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            user = kwargs.get("user")
            before = target(*args, **kwargs) if target else (args[0] if args else None)
            try:
                with transaction.atomic():
                    result = fn(*args, **kwargs)
                    after = result_target(result) if result_target else before
                    record(
                        action,
                        user=user,
                        obj=after,
                        detail=_success_detail(result, after, detail, args, kwargs),
                    )
            except (ValidationError, PermissionDenied, Http404) as error:
                _record_failure(action, user, before, Outcome.DENIED, error)
                raise
            except Exception as error:
                _record_failure(action, user, before, Outcome.ERROR, error)
                raise
            return result

        return wrapper

    return decorate


def flush_after_request(sender=None, **kwargs) -> None:
    """``request_finished``: whatever a rolled-back transaction held back is
    written once the request is over."""
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "_audit_pending", None):
            flush_pending(connection.alias)

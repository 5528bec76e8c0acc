"""Looking up one record for a view, with the refusal audited.

A staff view shows a record only through its model's ``visible_to(user)``
queryset; a record the user may not see and one that does not exist both
answer 404 (nothing tells them apart) and both are logged as a denied
attempt on that model and key, whichever plugin's view it is.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.log import record
from audit.models import Outcome

__all__ = ["get_visible_or_404"]


def get_visible_or_404(request, queryset, pk, action: str):
    """The record ``pk`` of ``queryset`` (already narrowed to what the
    request's user may see); else Http404, with a DENIED ``action`` event
    naming the queryset's model and ``pk``."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except Http404:
        record(
            action,
            request=request,
            model=queryset.model,
            object_id=pk,
            outcome=Outcome.DENIED,
        )
        raise
